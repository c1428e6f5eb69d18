import { requireArg } from "../core/errors.ts";

/** Parameter values of a law, by name. */
export type Params<P extends string = string> = Readonly<Record<P, number>>;

/**
 * Bounds on one parameter. The fit enforces them through smooth transforms of an
 * unconstrained variable u: `lower + exp(u)` for (lower, ∞), `upper − exp(u)` for
 * (−∞, upper), `lower + (upper − lower)·logistic(u)` for (lower, upper). Bounds are
 * open: a fit whose optimum lies on a bound approaches it without reaching it.
 */
export interface ParamBound {
  lower?: number;
  upper?: number;
}

/** The data a law sees when it proposes starting values (already validated). */
export interface LawData {
  /** First input, one value per point. */
  x: Float64Array;
  /** Second input for two-input laws (e.g. Chinchilla's D); `undefined` for one-input laws. */
  x2: Float64Array | undefined;
  /** Observed values. */
  y: Float64Array;
}

/**
 * A parametric scaling law y = f(x; θ) that {@link fit} can fit.
 *
 * @example
 * // a user-defined law in a few lines: y = a + b·√x
 * const sqrtLaw = defineLaw({
 *   name: "sqrtLaw",
 *   paramNames: ["a", "b"],
 *   predict: (p, x) => p.a + p.b * Math.sqrt(x),
 *   initialGuesses: () => [{ a: 0, b: 1 }],
 * });
 */
export interface Law<P extends string = string> {
  /** Short identifier used in results and error messages, e.g. `"powerLaw"`. */
  readonly name: string;
  /** Parameter names, in the order used by covariance matrices and tables. */
  readonly paramNames: readonly P[];
  /** Number of inputs: 1 (default), or 2 for laws such as Chinchilla's L(N, D). */
  readonly inputs?: 1 | 2;
  /**
   * The law's prediction at one point.
   * @param p - parameter values
   * @param x - the first input
   * @param x2 - the second input of a two-input law; `NaN` for one-input laws
   */
  predict(p: Params<P>, x: number, x2: number): number;
  /** Optional analytic ∂f/∂θ at one point, by parameter name. Central finite differences are used otherwise. */
  jacobian?(p: Params<P>, x: number, x2: number): Params<P>;
  /** Several starting points for the multi-start search, derived from the data. */
  initialGuesses(data: LawData): Params<P>[];
  /** Optional open bounds per parameter (see {@link ParamBound}). */
  readonly bounds?: Partial<Record<P, ParamBound>>;
  /** The law is only defined for y > 0 (fits refuse other data). */
  readonly requiresPositiveY?: boolean;
  /** The law is only defined for x > 0 (and x2 > 0) (fits refuse other data). */
  readonly requiresPositiveX?: boolean;
  /** Where the law comes from: paper and equation. */
  readonly source?: string;
}

/**
 * Check a law's declaration and return it unchanged, with its parameter names
 * inferred as a string-literal union (so `p.alpha` type-checks in `predict`).
 *
 * @param law - the law's declaration
 * @returns `law`
 * @throws InvalidArgumentError if parameter names are empty or repeated, `inputs` is
 *   not 1 or 2, or a bound names an unknown parameter or has lower ≥ upper
 * @example
 * const line = defineLaw({ name: "line", paramNames: ["a", "b"], predict: (p, x) => p.a + p.b * x, initialGuesses: () => [{ a: 0, b: 1 }] });
 */
export function defineLaw<const P extends string>(law: Law<P>): Law<P> {
  const names = law.paramNames;
  requireArg("defineLaw", names.length > 0, "at least one parameter name", names);
  requireArg("defineLaw", new Set(names).size === names.length, "distinct parameter names", names);
  requireArg("defineLaw", law.inputs === undefined || law.inputs === 1 || law.inputs === 2, "inputs of 1 or 2", law.inputs);
  for (const [key, b] of Object.entries(law.bounds ?? {}) as [string, ParamBound | undefined][]) {
    requireArg("defineLaw", (names as readonly string[]).includes(key), `bounds on known parameters (${names.join(", ")})`, key);
    if (b?.lower !== undefined && b.upper !== undefined) {
      requireArg("defineLaw", b.lower < b.upper, `lower < upper in the bounds of ${key}`, b);
    }
  }
  return law;
}
