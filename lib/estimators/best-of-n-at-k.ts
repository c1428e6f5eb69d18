import { requireArg, requireEach } from "../core/errors.ts";
import { subsetFirstWeights } from "./subset-first-weights.ts";

/**
 * Samples ranked by score, highest first, merged into tie groups: the
 * precomputation {@link bestOfNAtK} and {@link bestOfNCurve} share.
 */
interface RankedGroups {
  /** Number of samples N. */
  n: number;
  /** Start position (0-based, in descending-score order) of each tie group, plus N at the end. */
  starts: number[];
  /** Mean correctness of each tie group. */
  meanCorrect: number[];
}

function rank(fn: string, scores: ArrayLike<number>, correct: ArrayLike<boolean | number>): RankedGroups {
  const n = scores.length;
  requireArg(fn, n > 0, "at least one sample", 0);
  requireArg(fn, correct.length === n, `correct of the same length as scores (${n})`, correct.length);
  // Sort the right and the wrong samples' scores separately (native typed-array sorts), then merge
  // descending: each tie group needs only its size and how many of it are right.
  let nRight = 0;
  for (let i = 0; i < n; i++) {
    requireEach(fn, Number.isFinite(scores[i]), "finite scores", () => `${scores[i]} at index ${i}`);
    if (correct[i]) nRight++;
  }
  const right = new Float64Array(nRight);
  const wrong = new Float64Array(n - nRight);
  let r = 0;
  let w = 0;
  for (let i = 0; i < n; i++) {
    if (correct[i]) right[r++] = scores[i] as number;
    else wrong[w++] = scores[i] as number;
  }
  right.sort();
  wrong.sort();
  const starts: number[] = [];
  const meanCorrect: number[] = [];
  let ri = right.length - 1;
  let wi = wrong.length - 1;
  let pos = 0;
  while (ri >= 0 || wi >= 0) {
    const top = Math.max(ri >= 0 ? (right[ri] as number) : -Infinity, wi >= 0 ? (wrong[wi] as number) : -Infinity);
    let hits = 0;
    let size = 0;
    while (ri >= 0 && right[ri] === top) {
      ri--;
      hits++;
      size++;
    }
    while (wi >= 0 && wrong[wi] === top) {
      wi--;
      size++;
    }
    starts.push(pos);
    meanCorrect.push(hits / size);
    pos += size;
  }
  starts.push(n);
  return { n, starts, meanCorrect };
}

/** Σ over tie groups of P(the k-subset's top sample lies in the group) × the group's mean correctness. */
function evaluate(g: RankedGroups, k: number, scratch: Float64Array): number {
  const { n, starts, meanCorrect } = g;
  const w = subsetFirstWeights(n, k, scratch); // w[i] for i = 0 … n − k; zero beyond
  let total = 0;
  for (let gi = 0; gi < meanCorrect.length; gi++) {
    let mass = 0;
    for (let i = starts[gi] as number; i < (starts[gi + 1] as number) && i <= n - k; i++) mass += w[i] as number;
    total += mass * (meanCorrect[gi] as number);
  }
  return total;
}

/**
 * Best-of-N@k without resampling: the expected correctness of the top-scored
 * sample in a uniformly random k-subset of the N samples.
 *
 * With samples sorted by score (descending) and correctness y_i, the top of a
 * random k-subset is sample i with probability C(N−i−1, k−1)/C(N, k), so
 * BoN@k = Σ_i y_i C(N−i−1, k−1)/C(N, k). **Ties**: tied samples are ordered
 * uniformly at random and the result averaged over those orders, which is exact
 * and equals giving each tie group its total weight times its mean correctness.
 *
 * @param scores - verifier score per sample (finite; higher is better)
 * @param correct - correctness per sample (boolean or 0/1)
 * @param k - budget, 1 ≤ k ≤ N
 * @returns BoN@k in [0, 1]
 * @throws InvalidArgumentError on mismatched lengths, non-finite scores or k outside [1, N]
 * @example
 * bestOfNAtK([0.9, 0.1], [false, true], 2) // 0
 * @see FORMULAS.md "Best-of-N@k without resampling" (sc-genrm-scaling, eval_utils.py)
 */
export function bestOfNAtK(scores: ArrayLike<number>, correct: ArrayLike<boolean | number>, k: number): number {
  const g = rank("bestOfNAtK", scores, correct);
  requireArg("bestOfNAtK", Number.isSafeInteger(k) && k >= 1 && k <= g.n, `an integer k with 1 <= k <= N (N = ${g.n})`, k);
  return evaluate(g, k, new Float64Array(g.n));
}

/** {@link bestOfNAtK} at several budgets, sorting once. */
export function bestOfNCurve(scores: ArrayLike<number>, correct: ArrayLike<boolean | number>, ks: readonly number[]): Float64Array {
  const g = rank("bestOfNCurve", scores, correct);
  const scratch = new Float64Array(g.n);
  return Float64Array.from(ks, (k) => {
    requireArg("bestOfNCurve", Number.isSafeInteger(k) && k >= 1 && k <= g.n, `integers k with 1 <= k <= N (N = ${g.n})`, k);
    return evaluate(g, k, scratch);
  });
}
