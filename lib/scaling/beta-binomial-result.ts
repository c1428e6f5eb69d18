import { num } from "./fit-result.ts";
import { requireArg } from "../core/errors.ts";
import { normalQuantile } from "../sim/distributions.ts";

/** The parameters of the scaled Beta(α, β) on [0, s]. */
export type BetaBinomialParam = "alpha" | "beta" | "scale";

/** What {@link fitBetaBinomial} returns: the maximum-likelihood estimate and its uncertainty. */
export interface BetaBinomialFit {
  /** Estimates: α and β (the Beta's shapes) and s (the upper end of the support of p; 1 unless fitted or fixed otherwise). */
  params: Readonly<Record<BetaBinomialParam, number>>;
  /** Standard errors by the delta method from the free coordinates (α·se(log α), β·se(log β), s(1 − s)·se(logit s)); NaN for a fixed parameter or one at its bound. */
  stderr: Readonly<Record<BetaBinomialParam, number>>;
  /** The estimated parameters, in the order of `covariance` (free coordinates log α, log β, logit s). */
  free: readonly BetaBinomialParam[];
  /** Inverse observed information (−∂²ℓ/∂u∂uᵀ)⁻¹ in the free coordinates u = (log α, log β[, logit s]). */
  covariance: number[][];
  /** Parameters whose estimate sits on a bound (only `scale` → 1 is possible); the fit then holds them fixed there. */
  atBounds: BetaBinomialParam[];
  /** Maximised log-likelihood Σᵢ log P(cᵢ | nᵢ), including the binomial coefficients (natural log). */
  logLikelihood: number;
  /** Number of problems. */
  problems: number;
  iterations: number;
  converged: boolean;
  reason: string;
  /**
   * Wald interval at `level` (default 0.95) computed in the free coordinate and mapped back
   * (exp for α and β, logistic for s), so it respects the parameter's range; [v, v] for a fixed one.
   */
  interval(name: BetaBinomialParam, level?: number): [number, number];
  /** A fixed-width table: param, value, stderr and the `level` interval. */
  table(level?: number): string;
  /** A one-line summary followed by {@link BetaBinomialFit.table}. */
  toString(): string;
}

/** The fields {@link makeBetaBinomialFit} computes from. */
export type BetaBinomialFitFields = Omit<BetaBinomialFit, "interval" | "table" | "toString" | "stderr">;

/** Free coordinate of a parameter value, and back. */
const toFree = (name: BetaBinomialParam, v: number) => (name === "scale" ? Math.log(v / (1 - v)) : Math.log(v));
const fromFree = (name: BetaBinomialParam, u: number) => (name === "scale" ? 1 / (1 + Math.exp(-u)) : Math.exp(u));

/**
 * Assemble a {@link BetaBinomialFit} with its methods.
 * @param f - the computed fields
 */
export function makeBetaBinomialFit(f: BetaBinomialFitFields): BetaBinomialFit {
  const freeSe = (name: BetaBinomialParam) => {
    const j = f.free.indexOf(name);
    return j < 0 ? NaN : Math.sqrt((f.covariance[j] as number[])[j] as number);
  };
  const dParam = (name: BetaBinomialParam, v: number) => (name === "scale" ? v * (1 - v) : v);
  const stderr = {} as Record<BetaBinomialParam, number>;
  for (const name of ["alpha", "beta", "scale"] as const) stderr[name] = dParam(name, f.params[name]) * freeSe(name);
  const result: BetaBinomialFit = {
    ...f,
    stderr,
    interval(name, level = 0.95) {
      requireArg("BetaBinomialFit.interval", name === "alpha" || name === "beta" || name === "scale", 'a parameter ("alpha", "beta" or "scale")', name);
      requireArg("BetaBinomialFit.interval", level > 0 && level < 1, "0 < level < 1", level);
      const v = f.params[name];
      const se = freeSe(name);
      if (!Number.isFinite(se)) return [v, v];
      const half = normalQuantile((1 + level) / 2) * se;
      const u = toFree(name, v);
      return [fromFree(name, u - half), fromFree(name, u + half)];
    },
    table(level = 0.95) {
      const pct = `${+(level * 100).toFixed(2)}%`;
      const rows = (["alpha", "beta", "scale"] as const).map((name) => {
        const [lo, hi] = result.interval(name, level);
        const fixed = !f.free.includes(name);
        return [name, num(f.params[name]), fixed ? "fixed" : num(stderr[name]), fixed ? "" : num(lo), fixed ? "" : num(hi)];
      });
      const header = ["param", "value", "stderr", `${pct} low`, `${pct} high`];
      const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
      const line = (cells: string[]) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c] as number) : s.padStart(widths[c] as number))).join("  ");
      return [line(header), ...rows.map(line)].join("\n");
    },
    toString() {
      const head =
        `scaled beta-binomial fit: ${f.problems} problems, log-likelihood = ${f.logLikelihood.toFixed(4)}; ` +
        `${f.converged ? "converged" : "not converged"} (${f.reason}) after ${f.iterations} iterations` +
        (f.atBounds.length > 0 ? `; at a bound: ${f.atBounds.join(", ")}` : "");
      return `${head}\n${result.table()}`;
    },
  };
  return result;
}
