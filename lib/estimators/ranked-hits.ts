import { requireArg, requireEach } from "../core/errors.ts";

/**
 * Samples ranked by score, highest first, merged into tie groups, keeping only the groups that hold a
 * correct sample (the others add nothing to best-of-N@k): what {@link bestOfNAtK}, {@link bestOfNCurve}
 * and {@link bestOfNCurves} evaluate. Memory is proportional to the number of such groups.
 */
export interface RankedHits {
  /** Number of samples N. */
  n: number;
  /** Per group holding a correct sample, in rank order: first position (0-based, descending score). */
  start: Int32Array;
  /** One past the group's last position. */
  end: Int32Array;
  /** The group's mean correctness (right samples / group size), > 0. */
  mean: Float64Array;
}

/**
 * Rank samples by score and keep the tie groups that contain a correct sample.
 *
 * @param fn - the public function, named in error messages
 * @param scores - verifier score per sample, finite
 * @param correct - correctness per sample, same length
 * @param where - appended to the offending value in error messages (e.g. `" in problem 3"`); empty for one problem
 * @returns the groups with hits, in rank order
 * @throws InvalidArgumentError on no samples, mismatched lengths or a non-finite score
 */
export function rankHits(fn: string, scores: ArrayLike<number>, correct: ArrayLike<boolean | number>, where = ""): RankedHits {
  const n = scores.length;
  const got = (v: unknown) => (where === "" ? v : `${String(v)}${where}`);
  requireArg(fn, n > 0, "at least one sample", got(0));
  requireArg(fn, correct.length === n, `correct of the same length as scores (${n})`, got(correct.length));
  // Sort the right and the wrong samples' scores separately (native typed-array sorts), then merge
  // descending: each tie group needs only its size and how many of it are right.
  let nRight = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) requireEach(fn, false, "finite scores", () => `${scores[i]} at index ${i}${where}`);
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
  const start = new Int32Array(nRight);
  const end = new Int32Array(nRight);
  const mean = new Float64Array(nRight);
  let groups = 0;
  let ri = right.length - 1;
  let wi = wrong.length - 1;
  let pos = 0;
  while (ri >= 0) {
    const top = Math.max(right[ri] as number, wi >= 0 ? (wrong[wi] as number) : -Infinity);
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
    if (hits > 0) {
      start[groups] = pos;
      end[groups] = pos + size;
      mean[groups] = hits / size;
      groups++;
    }
    pos += size;
  }
  return { n, start: start.subarray(0, groups), end: end.subarray(0, groups), mean: mean.subarray(0, groups) };
}

/**
 * Σ over groups of P(the top sample of a random k-subset lies in the group) × the group's mean
 * correctness, given the first-position weights w[i] = C(N−i−1, k−1)/C(N, k) for i = 0 … N−k.
 *
 * @param h - ranked groups with hits
 * @param k - budget, 1 ≤ k ≤ N (checked by the caller)
 * @param w - weights for positions 0 … N−k ({@link subsetFirstWeights})
 */
export function evaluateHits(h: RankedHits, k: number, w: Float64Array): number {
  const last = h.n - k;
  let total = 0;
  for (let gi = 0; gi < h.mean.length; gi++) {
    const from = h.start[gi] as number;
    if (from > last) break;
    const to = Math.min(h.end[gi] as number, last + 1);
    let mass = 0;
    for (let i = from; i < to; i++) mass += w[i] as number;
    total += mass * (h.mean[gi] as number);
  }
  return total;
}
