import type { Rng } from "../core/rng.ts";
import { voteCorrect, type AnswerGroups } from "./answer-groups.ts";
import type { WeightedMajorityEstimate } from "./weighted-majority-exact.ts";

/** Small budgets also vote on further disjoint blocks of k shuffled samples, within this many first positions. */
const BLOCK_SPAN = 128;

/**
 * Weighted majority@k by Monte Carlo at several budgets at once, with nested subsets. Draw t shuffles the
 * sample indices (a partial Fisher–Yates from the samples' own order, with its own stream
 * `rng.fork("weighted-draw-<t>")`) only as far as it needs: the first k shuffled samples are a uniform
 * k-subset for every budget k ≤ N/2, and the samples after the first N − k are one for every k > N/2.
 * Vote totals are running sums over the shuffled prefix, so a draw costs O(max min(k, N − k)) for all
 * budgets together instead of O(Σ k).
 *
 * Small budgets, whose votes vary most from subset to subset, are cheap to vote on more often: within the
 * first {@link BLOCK_SPAN} shuffled positions, budget k also votes on the disjoint blocks [bk, (b+1)k),
 * b = 1 … ⌊span/k⌋ − 1. Each block is a uniform k-subset, so a draw's mean over its blocks is an unbiased
 * value for that budget, and draws are independent; the estimate is the mean over draws with the standard
 * error of that mean (no independence between blocks is assumed). Estimates at different budgets share
 * draws and are correlated with each other; adding or removing a budget leaves the others' values unchanged.
 *
 * Floating point: a budget k > N/2 gets its totals as (group total − shuffled-prefix total). A group with
 * no positive weight left in the subset gets exactly 0 (counted, not subtracted); other totals carry the
 * rounding of either way of summing, so exact ties between different answers are resolved exactly only
 * when the sums are exact (integer or dyadic weights, as in the exact path's tests).
 *
 * @param groups - the samples grouped by answer
 * @param weights - vote weight per sample, finite and ≥ 0 (checked by the caller)
 * @param ks - budgets, each 1 ≤ k ≤ N (any order, repeats allowed)
 * @param draws - Monte Carlo draws, ≥ 1
 * @param rng - the random source
 * @returns one estimate per entry of `ks`, in order; `evaluations` counts the k-subsets voted on
 */
export function weightedMajorityMonteCarlo(groups: AnswerGroups, weights: ArrayLike<number>, ks: readonly number[], draws: number, rng: Rng): WeightedMajorityEstimate[] {
  const n = groups.groupOf.length;
  const groupOf = groups.groupOf;
  const G = groups.answers.length;
  const span = Math.min(n, BLOCK_SPAN);
  // Per budget: prefix length p (k, or N − k for the complement), and blocks voted on per draw.
  const prefix = ks.map((k) => (k <= n - k ? k : n - k));
  const blocks = ks.map((k) => (k <= n - k ? Math.max(1, Math.floor(span / k)) : 1));
  const order = ks.map((_, i) => i).sort((a, b) => (prefix[a] as number) - (prefix[b] as number));
  let length = 0; // shuffled positions needed
  ks.forEach((k, ki) => (length = Math.max(length, k <= n - k ? k * (blocks[ki] as number) : n - k)));
  const full = new Float64Array(G); // every sample's weight per answer, and how many of those weights are > 0
  const fullPositive = new Int32Array(G);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i] as number;
    if (g < 0) continue;
    full[g] = (full[g] as number) + (weights[i] as number);
    if ((weights[i] as number) > 0) fullPositive[g] = (fullPositive[g] as number) + 1;
  }
  const idx = new Int32Array(n); // sample indices, shuffled in place
  const totals = new Float64Array(G);
  const positive = new Int32Array(G);
  const rest = new Float64Array(G);
  const first = new Float64Array(ks.length); // this draw's vote on the budget's first subset
  const s = new Float64Array(ks.length);
  const s2 = new Float64Array(ks.length);
  const score = (ki: number) => {
    if ((ks[ki] as number) <= n - (ks[ki] as number)) return voteCorrect(totals, groups.correct);
    for (let g = 0; g < G; g++) rest[g] = (fullPositive[g] as number) === (positive[g] as number) ? 0 : (full[g] as number) - (totals[g] as number);
    return voteCorrect(rest, groups.correct);
  };
  const picked = new Int32Array(length); // where step d took its sample from
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let t = 0; t < draws; t++) {
    const r = rng.fork(`weighted-draw-${t}`);
    totals.fill(0);
    positive.fill(0);
    let next = 0; // position in `order` of the next budget to score, and its prefix length
    let nextPrefix = order.length > 0 ? (prefix[order[0] as number] as number) : -1;
    for (let d = 0; ; d++) {
      while (nextPrefix === d) {
        first[order[next] as number] = score(order[next] as number);
        next++;
        nextPrefix = next < order.length ? (prefix[order[next] as number] as number) : -1;
      }
      if (d === length) break;
      const j = d + uniformBelow(r, n - d);
      picked[d] = j;
      const i = idx[j] as number;
      idx[j] = idx[d] as number;
      idx[d] = i;
      const g = groupOf[i] as number;
      if (g >= 0) {
        const w = weights[i] as number;
        totals[g] = (totals[g] as number) + w;
        if (w > 0) positive[g] = (positive[g] as number) + 1;
      }
    }
    for (let ki = 0; ki < ks.length; ki++) {
      const k = ks[ki] as number;
      const count = blocks[ki] as number;
      let sum = first[ki] as number;
      for (let b = 1; b < count; b++) {
        for (let g = 0; g < G; g++) totals[g] = 0;
        for (let p = b * k; p < (b + 1) * k; p++) {
          const i = idx[p] as number;
          const g = groupOf[i] as number;
          if (g >= 0) totals[g] = (totals[g] as number) + (weights[i] as number);
        }
        sum += voteCorrect(totals, groups.correct);
      }
      const y = sum / count;
      s[ki] = (s[ki] as number) + y;
      s2[ki] = (s2[ki] as number) + y * y;
    }
    // Put the samples back in their own order (undo the swaps, last first), so that every draw starts
    // from the same arrangement and its subsets depend on its own stream alone.
    for (let d = length - 1; d >= 0; d--) {
      const j = picked[d] as number;
      const i = idx[j] as number;
      idx[j] = idx[d] as number;
      idx[d] = i;
    }
  }
  return ks.map((_, ki) => {
    const mean = (s[ki] as number) / draws;
    const variance = Math.max(0, (s2[ki] as number) / draws - mean * mean);
    return { value: mean, stderr: Math.sqrt(variance / (draws - 1 || 1)), evaluations: draws * (blocks[ki] as number) };
  });
}

/**
 * A uniform integer in [0, m) from one 32-bit draw (rarely more): Lemire's multiply-and-reject, which
 * avoids the floating-point remainder `Rng.int` pays for when its draw exceeds 2³¹. Exact in doubles
 * while m ≤ 2²¹ (the product stays below 2⁵³); larger m go through `Rng.int`.
 *
 * @see Lemire 2019, "Fast Random Integer Generation in an Interval", ACM TOMACS 29(1)
 */
function uniformBelow(r: Rng, m: number): number {
  if (m > 2097152) return r.int(m);
  let product = r.uint32() * m;
  let high = Math.floor(product * 2.3283064365386963e-10); // × 2⁻³², exact
  if (product - high * 4294967296 < m) {
    // the rare case where the low word may fall in the biased zone: reject below (2³² − m) mod m
    const threshold = (4294967296 - m) % m;
    while (product - high * 4294967296 < threshold) {
      product = r.uint32() * m;
      high = Math.floor(product * 2.3283064365386963e-10);
    }
  }
  return high;
}
