import { TtcError } from "../core/errors.ts";

/**
 * The fit reached an optimum at which JᵀJ (in the original parameter space) is
 * singular: some parameters are not identified by the data, so no covariance exists.
 * The message names them (those with weight in a null direction of the scaled JᵀJ).
 */
export class SingularFitError extends TtcError {
  override name = "SingularFitError";
  constructor(
    readonly law: string,
    /** The parameters that are not identified. */
    readonly parameters: readonly string[],
    /** Smallest / largest eigenvalue of the unit-diagonal (correlation-scaled) JᵀJ. */
    readonly eigenRatio: number,
  ) {
    super(
      `fit requires identifiable parameters (a non-singular JᵀJ at the optimum), got ${law} with ${parameters.join(", ")} not identified (eigenvalue ratio ${eigenRatio.toExponential(2)})`,
    );
  }
}

/** No start of the multi-start search converged; the message carries the best start's reason. */
export class FitConvergenceError extends TtcError {
  override name = "FitConvergenceError";
  constructor(
    readonly law: string,
    /** Number of starts tried. */
    readonly starts: number,
    /** Why the best start stopped. */
    readonly reason: string,
    /** The best SSE reached (NaN when no start had finite predictions). */
    readonly sse: number,
  ) {
    super(`fit requires convergence from at least one start, got ${law} unconverged from all ${starts} starts (best: ${reason}; SSE ${sse})`);
  }
}
