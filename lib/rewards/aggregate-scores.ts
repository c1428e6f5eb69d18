import { requireArg, requireEach } from "../core/errors.ts";

/** How a solution's step scores become one score (search-and-learn's `agg_strategy`, plus OpenR's mean). */
export type Aggregation = "last" | "min" | "prod" | "mean";

/** The aggregations {@link aggregateScores} knows, in documentation order. */
export const AGGREGATIONS: readonly Aggregation[] = ["last", "min", "prod", "mean"];

/**
 * One score for a solution from its per-step verifier scores: the last step's
 * score, the minimum, the product, or the mean. An outcome verifier's single
 * score is returned unchanged by all four.
 *
 * @param stepScores - the verifier's score after each step, each in [0, 1]; at least one
 * @param how - `"last"` (default in search-and-learn), `"min"`, `"prod"` or `"mean"`
 * @returns the aggregated score in [0, 1]
 * @throws InvalidArgumentError on an empty list, a score outside [0, 1], or an unknown aggregation
 * @example
 * aggregateScores([0.9, 0.5, 0.8], "min");  // 0.5
 * aggregateScores([0.9, 0.5, 0.8], "prod"); // 0.36
 * @see FORMULAS.md "PRM aggregation"; huggingface/search-and-learn `sal/utils/score.py` (aggregate_scores)
 */
export function aggregateScores(stepScores: readonly number[], how: Aggregation = "last"): number {
  const fn = "aggregateScores";
  requireArg(fn, stepScores.length > 0, "at least one step score", stepScores);
  for (let i = 0; i < stepScores.length; i++) {
    const s = stepScores[i] as number;
    requireEach(fn, s >= 0 && s <= 1, "step scores in [0, 1]", () => `${s} at step ${i}`);
  }
  switch (how) {
    case "last":
      return stepScores[stepScores.length - 1] as number;
    case "min":
      return Math.min(...stepScores);
    case "prod":
      return stepScores.reduce((a, s) => a * s, 1);
    case "mean":
      return stepScores.reduce((a, s) => a + s, 0) / stepScores.length;
    default:
      requireArg(fn, false, `an aggregation in ${AGGREGATIONS.join(" | ")}`, how);
  }
}
