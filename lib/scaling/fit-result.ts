import { requireArg } from "../core/errors.ts";
import type { Params } from "./law.ts";
import { studentTQuantile } from "./student-t.ts";

/** What {@link fit} returns: the estimate, its uncertainty, fit statistics and how the search ended. */
export interface FitResult<P extends string = string> {
  /** The law's name. */
  law: string;
  /** Parameter names, in the order of `covariance`. */
  paramNames: readonly P[];
  /** Fitted parameter values. */
  params: Params<P>;
  /** Standard errors, √diag(covariance). */
  stderr: Params<P>;
  /** σ²·(JᵀWJ)⁻¹ with J = ∂f/∂θ in the original (untransformed) parameters and σ² = SSE/(n − p); [p][p]. */
  covariance: number[][];
  /** Number of points. */
  n: number;
  /** Residual degrees of freedom, n − p. */
  dof: number;
  /** Weighted sum of squared residuals in the fitting space (log residuals in log space). */
  sse: number;
  /** The minimised objective: SSE for l2; 2·Σ Huber(eᵢ) for huber (equal to SSE when no |eᵢ| exceeds δ). */
  objective: number;
  /** Weighted coefficient of determination 1 − SSE/SST in the fitting space. */
  r2: number;
  /** Akaike information criterion of the Gaussian likelihood, n·ln(2π·SSE/n) + n + 2(p + 1) (σ² counted as a parameter). */
  aic: number;
  /**
   * Parameters whose estimate sits on a declared bound (within 1e-6 standard errors of it): the
   * constraint is active, so the unconstrained optimum lies beyond the bound and the Wald interval
   * of that parameter is not meaningful. Empty for an interior optimum.
   */
  atBounds: P[];
  /** Trial steps taken by the start that won. */
  iterations: number;
  /** Always true for a returned result ({@link fit} throws otherwise); kept for logs. */
  converged: boolean;
  /** Why the winning start stopped. */
  reason: string;
  /** How many starts were tried. */
  starts: number;
  loss: "l2" | "huber";
  space: "linear" | "log";
  /** Wald interval value ± t_{(1+level)/2, n−p}·stderr. Default level 0.95. */
  interval(name: P, level?: number): [number, number];
  /** The fitted law's prediction at x (and x2 for two-input laws). */
  predict(x: number, x2?: number): number;
  /** A fixed-width table: param, value, stderr and the `level` interval. */
  table(level?: number): string;
  /** A one-line summary followed by {@link FitResult.table}. */
  toString(): string;
}

/** The fields {@link makeFitResult} computes from. */
export type FitResultFields<P extends string> = Omit<FitResult<P>, "interval" | "predict" | "table" | "toString" | "stderr"> & {
  predictAt: (params: Params<P>, x: number, x2: number) => number;
};

/**
 * Assemble a {@link FitResult} with its methods.
 *
 * @param f - the computed fields and the law's prediction function
 */
export function makeFitResult<P extends string>(f: FitResultFields<P>): FitResult<P> {
  const { predictAt, ...fields } = f;
  const stderr = {} as Record<P, number>;
  f.paramNames.forEach((name, j) => (stderr[name] = Math.sqrt((f.covariance[j] as number[])[j] as number)));
  const result: FitResult<P> = {
    ...fields,
    stderr,
    interval(name, level = 0.95) {
      requireArg("FitResult.interval", f.paramNames.includes(name), `a parameter of ${f.law} (${f.paramNames.join(", ")})`, name);
      requireArg("FitResult.interval", level > 0 && level < 1, "0 < level < 1", level);
      const half = studentTQuantile((1 + level) / 2, f.dof) * stderr[name];
      return [f.params[name] - half, f.params[name] + half];
    },
    predict: (x, x2 = NaN) => predictAt(f.params, x, x2),
    table(level = 0.95) {
      const pct = `${+(level * 100).toFixed(2)}%`;
      const rows = f.paramNames.map((name) => {
        const [lo, hi] = result.interval(name, level);
        return [name, num(f.params[name]), num(stderr[name]), num(lo), num(hi)];
      });
      const header = ["param", "value", "stderr", `${pct} low`, `${pct} high`];
      const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
      const line = (cells: string[]) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c] as number) : s.padStart(widths[c] as number))).join("  ");
      return [line(header), ...rows.map(line)].join("\n");
    },
    toString() {
      const how = `${f.loss}${f.space === "log" ? ", log space" : ""}`;
      const head =
        `${f.law} fit (${how}): n = ${f.n}, SSE = ${num(f.sse)}, R² = ${f.r2.toFixed(6)}, AIC = ${f.aic.toFixed(3)}; ` +
        `${f.converged ? "converged" : "not converged"} (${f.reason}) after ${f.iterations} iterations, best of ${f.starts} starts` +
        (f.atBounds.length > 0 ? `; at a bound: ${f.atBounds.join(", ")}` : "");
      return `${head}\n${result.table()}`;
    },
  };
  return result;
}

/** Six significant digits, exponent form for very large or small magnitudes (shared by the fit tables). */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-4) ? v.toExponential(5) : v.toPrecision(6);
}
