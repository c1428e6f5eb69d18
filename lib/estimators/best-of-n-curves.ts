import { requireArg } from "../core/errors.ts";
import { evaluateHits, rankHits, type RankedHits } from "./ranked-hits.ts";
import { subsetFirstWeights } from "./subset-first-weights.ts";

/** One problem's samples for {@link bestOfNCurves}. */
export interface BestOfNProblem {
  /** Verifier score per sample (finite; higher is better). */
  scores: ArrayLike<number>;
  /** Correctness per sample (boolean or 0/1). */
  correct: ArrayLike<boolean | number>;
}

/**
 * {@link bestOfNCurve} for many problems at once — the same values, byte for byte, faster. The
 * first-position weights C(N−i−1, k−1)/C(N, k) depend only on N and k, so they are computed once per
 * (N, k) and shared by every problem with N samples; each problem then costs one sort plus, per budget,
 * a sum over its tie groups that hold a correct sample (problems with no correct sample cost nothing).
 * Memory: the ranked groups with hits of every problem (at most one entry per correct sample) and one
 * weight buffer of the largest N.
 *
 * @param problems - per problem, `scores` and `correct` of equal length N ≥ 1 (N may differ between problems)
 * @param ks - budgets; each must satisfy 1 ≤ k ≤ N for every problem
 * @returns one curve per problem (BoN@k in the order of `ks`), in the order of `problems`
 * @throws InvalidArgumentError on an empty problem list, mismatched lengths, non-finite scores, or a k outside [1, N] of some problem (the message names the problem)
 * @example
 * bestOfNCurves([{ scores: [0.9, 0.1], correct: [false, true] }, { scores: [0.2, 0.7], correct: [0, 1] }], [1, 2])
 * // [Float64Array [0.5, 0], Float64Array [0.5, 1]]
 * @see FORMULAS.md "Best-of-N@k without resampling"; {@link bestOfNAtK} for the tie rule
 */
export function bestOfNCurves(problems: readonly BestOfNProblem[], ks: readonly number[]): Float64Array[] {
  requireArg("bestOfNCurves", problems.length > 0, "at least one problem", 0);
  const ranked: RankedHits[] = problems.map((p, pi) => rankHits("bestOfNCurves", p.scores, p.correct, ` in problem ${pi}`));
  let minN = Infinity;
  let maxN = 0;
  for (const h of ranked) {
    minN = Math.min(minN, h.n);
    maxN = Math.max(maxN, h.n);
  }
  for (const k of ks) requireArg("bestOfNCurves", Number.isSafeInteger(k) && k >= 1 && k <= minN, `integers k with 1 <= k <= N for every problem (smallest N = ${minN})`, k);
  const byN = new Map<number, number[]>();
  ranked.forEach((h, pi) => {
    if (h.mean.length === 0) return; // no correct sample: BoN@k = 0 at every k
    const list = byN.get(h.n);
    if (list) list.push(pi);
    else byN.set(h.n, [pi]);
  });
  const curves = problems.map(() => new Float64Array(ks.length));
  const weights = new Float64Array(maxN);
  for (const [n, members] of byN) {
    for (let ki = 0; ki < ks.length; ki++) {
      const k = ks[ki] as number;
      const w = subsetFirstWeights(n, k, weights);
      for (const pi of members) (curves[pi] as Float64Array)[ki] = evaluateHits(ranked[pi] as RankedHits, k, w);
    }
  }
  return curves;
}
