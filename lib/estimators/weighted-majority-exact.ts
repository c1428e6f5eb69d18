import { voteCorrect, type AnswerGroups } from "./answer-groups.ts";

/** One budget's weighted majority@k: the value, its standard error (0 when exact) and the terms or draws behind it. */
export interface WeightedMajorityEstimate {
  value: number;
  stderr: number;
  evaluations: number;
}

/**
 * Weighted majority@k by enumerating every k-subset of the n samples (lexicographic order, iteratively, so
 * k is not limited by the call stack). Each subset's per-answer totals are summed in increasing sample index.
 *
 * @param groups - the samples grouped by answer ({@link groupAnswers})
 * @param weights - vote weight per sample, finite and ≥ 0 (checked by the caller)
 * @param k - subset size, 1 ≤ k ≤ n
 * @returns the mean over the C(n, k) subsets of P(the weighted vote picks a correct answer)
 * @see FORMULAS.md "Majority@k"
 */
export function weightedMajorityExact(groups: AnswerGroups, weights: ArrayLike<number>, k: number): WeightedMajorityEstimate {
  const n = groups.groupOf.length;
  const pick = new Int32Array(k);
  for (let d = 0; d < k; d++) pick[d] = d;
  const totals = new Float64Array(groups.answers.length);
  let sum = 0;
  let evaluations = 0;
  for (;;) {
    totals.fill(0);
    for (let d = 0; d < k; d++) {
      const i = pick[d] as number;
      const g = groups.groupOf[i] as number;
      if (g >= 0) totals[g] = (totals[g] as number) + (weights[i] as number);
    }
    sum += voteCorrect(totals, groups.correct);
    evaluations++;
    // next k-subset: advance the rightmost index that can still move, reset those after it
    let d = k - 1;
    while (d >= 0 && (pick[d] as number) === n - k + d) d--;
    if (d < 0) break;
    pick[d] = (pick[d] as number) + 1;
    for (let e = d + 1; e < k; e++) pick[e] = (pick[e - 1] as number) + 1;
  }
  return { value: sum / evaluations, stderr: 0, evaluations };
}
