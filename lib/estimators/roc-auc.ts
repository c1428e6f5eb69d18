import { requireArg, requireEach } from "../core/errors.ts";

/**
 * Area under the ROC curve of `scores` for binary `labels`: the probability
 * that a random positive scores above a random negative, ties counting one
 * half (the Mann–Whitney U statistic divided by n₊·n₋). Computed from
 * mid-ranks in O(n log n).
 *
 * @param scores - one finite score per item
 * @param labels - one label per item (true = positive); both classes must occur
 * @returns AUC in [0, 1]
 * @throws InvalidArgumentError on length mismatch, a non-finite score, or a missing class
 * @example
 * rocAuc([0.9, 0.2, 0.6], [true, false, false]); // 1
 * @see Hanley & McNeil 1982, "The meaning and use of the area under a ROC curve", eq. 2 (AUC = U / (n₊ n₋))
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const n = scores.length;
  requireArg("rocAuc", labels.length === n, `labels of the same length as scores (${n})`, labels.length);
  for (let i = 0; i < n; i++) requireEach("rocAuc", Number.isFinite(scores[i]), "finite scores", () => `${scores[i]} at index ${i}`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if (labels[order[t] as number]) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  requireArg("rocAuc", positives > 0 && negatives > 0, "at least one positive and one negative label", `${positives} positive, ${negatives} negative`);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
