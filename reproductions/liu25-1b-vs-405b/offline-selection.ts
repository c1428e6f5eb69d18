import { requireArg } from "../../lib/core/errors.ts";
import type { Rng } from "../../lib/core/rng.ts";
import { bestOfNCurve } from "../../lib/estimators/best-of-n-at-k.ts";
import { majorityCurve } from "../../lib/estimators/majority-at-k.ts";

/** The N samples of one problem, graded by final answer, with one aggregated score per sample per reward model. */
export interface ScoredPool {
  /** Extracted answer per sample (null: none). */
  answers: (string | null)[];
  /** Whether each sample's answer equals the ground truth. */
  correct: boolean[];
  /** `scores[rewardModel][sample]`: the last step score (PRM; 0 for an empty solution) or the outcome score (ORM). */
  scores: Record<string, number[]>;
}

/** The selection rules evaluated offline on a pool: best-of-N by score, reward-weighted vote, plain vote. */
export type OfflineMethod = "bon-naive" | "bon-weighted" | "majority";

/**
 * Expected accuracy of one selection rule at each budget k on one problem's
 * pool: the mean over uniformly random k-subsets of the N samples. Naive
 * best-of-N is exact (`bestOfNCurve`); weighted and plain majority come from
 * `majorityCurve` (exact when small, else Monte Carlo with `draws` draws from
 * `r`).
 *
 * @param pool - one problem's graded, scored samples
 * @param method - the selection rule
 * @param rewardModel - whose scores rank or weight (ignored by `majority`)
 * @param ks - budgets, each 1 ≤ k ≤ N
 * @returns expected correctness per budget, in `ks` order, each in [0, 1]
 * @throws InvalidArgumentError (from the estimators) on k outside [1, N] or a reward model without scores
 * @example
 * offlineCurve({ answers: ["1", "2"], correct: [true, false], scores: { prm: [0.2, 0.9] } }, "bon-naive", "prm", [1, 2], 100, rng(1)) // [0.5, 0]
 * @see Liu et al. 2025 §3 (best-of-N with PRM scores, weighted vote); FORMULAS.md "Best-of-N@k without resampling", "Majority@k"
 */
export function offlineCurve(pool: ScoredPool, method: OfflineMethod, rewardModel: string | null, ks: readonly number[], draws: number, r: Rng): number[] {
  if (method === "majority") return majorityCurve(pool.answers, pool.correct, ks, { rng: r, samples: draws }).map((x) => x.value);
  const scores = pool.scores[rewardModel ?? ""];
  requireArg("offlineCurve", scores !== undefined, "scores of the reward model named", { rewardModel, scored: Object.keys(pool.scores) });
  if (method === "bon-naive") return Array.from(bestOfNCurve(scores as number[], pool.correct, ks));
  return majorityCurve(pool.answers, pool.correct, ks, { weights: scores as number[], rng: r, samples: draws }).map((x) => x.value);
}
