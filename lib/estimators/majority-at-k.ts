import { requireArg, requireEach } from "../core/errors.ts";
import { logChoose } from "../core/math.ts";
import type { Rng } from "../core/rng.ts";
import { groupAnswers, voteCorrect, type AnswerGroups } from "./answer-groups.ts";
import { hypergeometric } from "./hypergeometric.ts";

export interface MajorityAtKOptions {
  /** Per-sample vote weights (e.g. verifier scores ≥ 0) for weighted majority; default 1 each. */
  weights?: ArrayLike<number>;
  /** Random source for the Monte Carlo path (required when the exact path is too large). */
  rng?: Rng;
  /** Largest number of terms (count vectors, or subsets when weighted) to enumerate exactly. Default 200,000. */
  exactLimit?: number;
  /** Monte Carlo draws. Default 4,000. */
  samples?: number;
}

export interface MajorityAtKResult {
  /** Expected correctness of the (weighted) majority answer of a random k-subset. */
  value: number;
  /** Standard error of `value` (0 when exact). */
  stderr: number;
  method: "exact" | "monte-carlo";
  /** Terms enumerated, or Monte Carlo draws. */
  evaluations: number;
}

/**
 * Majority@k: draw k of the N samples uniformly without replacement, vote by
 * answer (missing answers do not vote; a tie at the top is broken uniformly at
 * random), and score the winner. Returns the expectation over k-subsets —
 * exactly when cheap, otherwise by Monte Carlo with a standard error.
 *
 * Unweighted, the exact path enumerates per-answer count vectors (x_1..x_G),
 * each with probability ∏ C(n_g, x_g) / C(N, k) — far fewer than subsets when
 * answers repeat; Monte Carlo draws the counts by sequential hypergeometric
 * sampling. Weighted, both paths work on subsets of samples.
 *
 * @param answers - extracted answer per sample; `null` for none
 * @param correct - correctness per sample (must agree within an answer)
 * @param k - budget, 1 ≤ k ≤ N
 * @throws InvalidArgumentError on bad lengths, negative weights, k outside [1, N], or no `rng` when Monte Carlo is needed
 * @example
 * majorityAtK(["4", "4", "5"], [true, true, false], 3).value // 1
 * @see FORMULAS.md "Majority@k"; Wang et al. 2023 (self-consistency)
 */
export function majorityAtK(
  answers: ArrayLike<string | null | undefined>,
  correct: ArrayLike<boolean | number>,
  k: number,
  options: MajorityAtKOptions = {},
): MajorityAtKResult {
  return majorityCurve(answers, correct, [k], options)[0] as MajorityAtKResult;
}

/**
 * {@link majorityAtK} at several budgets, grouping the answers once (the
 * grouping is the costly part for large N). Each k uses its own forked stream
 * (`rng.fork("k-<k>")`), so adding a budget does not shift the others.
 */
export function majorityCurve(
  answers: ArrayLike<string | null | undefined>,
  correct: ArrayLike<boolean | number>,
  ks: readonly number[],
  options: MajorityAtKOptions = {},
): MajorityAtKResult[] {
  const groups = groupAnswers("majorityAtK", answers, correct);
  const n = answers.length;
  const weights = options.weights;
  if (weights) {
    requireArg("majorityAtK", weights.length === n, `weights of the same length as answers (${n})`, weights.length);
    for (let i = 0; i < n; i++) requireEach("majorityAtK", (weights[i] as number) >= 0 && Number.isFinite(weights[i]), "finite weights >= 0", () => `${weights[i]} at index ${i}`);
  }
  const limit = options.exactLimit ?? 200_000;
  const missing = n - groups.sizes.reduce((s, x) => s + x, 0);
  const sizes = missing > 0 ? [...groups.sizes, missing] : groups.sizes;
  const correctOf = missing > 0 ? [...groups.correct, false] : groups.correct;
  const vote = (counts: Int32Array) => voteCorrect(missing > 0 ? counts.subarray(0, counts.length - 1) : counts, correctOf);
  return ks.map((k) => {
    requireArg("majorityAtK", Number.isSafeInteger(k) && k >= 1 && k <= n, `an integer k with 1 <= k <= N (N = ${n})`, k);
    const rng = options.rng?.fork(`k-${k}`);
    if (weights) {
      if (logChoose(n, k) <= Math.log(limit)) return weightedExact(groups, weights, n, k);
      return monteCarlo(groups, k, options, rng, (r) => weightedDraw(groups, weights, n, k, r));
    }
    if (countVectors(sizes, k, limit) !== undefined) return countsExact(sizes, n, k, vote);
    return monteCarlo(groups, k, options, rng, (r) => {
      const counts = new Int32Array(sizes.length);
      let left = n;
      let draws = k;
      for (let g = 0; g < sizes.length && draws > 0; g++) {
        counts[g] = hypergeometric(left, sizes[g] as number, draws, r);
        left -= sizes[g] as number;
        draws -= counts[g] as number;
      }
      return vote(counts);
    });
  });
}

/**
 * Number of count vectors with Σx = k, 0 ≤ x_g ≤ n_g, or undefined if more than `limit`.
 * Cheap bounds first: the product of (min(n_g, k) + 1) bounds it from above (exact is then
 * certainly affordable); counting exactly costs O(groups × k × min(n_g, k)), so past 20,000
 * steps it is not attempted and the answer is "too many" (Monte Carlo is then cheaper).
 */
function countVectors(sizes: readonly number[], k: number, limit: number): number | undefined {
  let product = 1;
  let work = 0;
  for (const size of sizes) {
    product *= Math.min(size, k) + 1;
    work += (k + 1) * (Math.min(size, k) + 1);
  }
  if (product <= limit) return product;
  if (work > 20_000) return undefined;
  // ways[s] = number of partial vectors over the groups so far summing to s (capped to limit + 1).
  let ways = new Float64Array(k + 1);
  ways[0] = 1;
  for (const size of sizes) {
    const next = new Float64Array(k + 1);
    for (let s = 0; s <= k; s++) {
      if (ways[s] === 0) continue;
      for (let x = 0; x <= size && s + x <= k; x++) next[s + x] = Math.min(limit + 1, (next[s + x] as number) + (ways[s] as number));
    }
    ways = next;
  }
  return (ways[k] as number) > limit ? undefined : (ways[k] as number);
}

function countsExact(sizes: readonly number[], n: number, k: number, vote: (c: Int32Array) => number): MajorityAtKResult {
  const counts = new Int32Array(sizes.length);
  const logTotal = logChoose(n, k);
  const suffix = sizes.map((_, g) => sizes.slice(g).reduce((s, x) => s + x, 0));
  let value = 0;
  let evaluations = 0;
  const rec = (g: number, left: number, logWays: number): void => {
    if (g === sizes.length) {
      if (left === 0) {
        value += Math.exp(logWays - logTotal) * vote(counts);
        evaluations++;
      }
      return;
    }
    const size = sizes[g] as number;
    const rest = (suffix[g] as number) - size;
    for (let x = Math.max(0, left - rest); x <= Math.min(size, left); x++) {
      counts[g] = x;
      rec(g + 1, left - x, logWays + logChoose(size, x));
    }
    counts[g] = 0;
  };
  rec(0, k, 0);
  return { value, stderr: 0, method: "exact", evaluations };
}

function weightedExact(groups: AnswerGroups, weights: ArrayLike<number>, n: number, k: number): MajorityAtKResult {
  const pick = new Int32Array(k);
  const totals = new Float64Array(groups.answers.length);
  let sum = 0;
  let evaluations = 0;
  const rec = (start: number, depth: number): void => {
    if (depth === k) {
      totals.fill(0);
      for (const i of pick) {
        const g = groups.groupOf[i] as number;
        if (g >= 0) totals[g] = (totals[g] as number) + (weights[i] as number);
      }
      sum += voteCorrect(totals, groups.correct);
      evaluations++;
      return;
    }
    for (let i = start; i <= n - (k - depth); i++) {
      pick[depth] = i;
      rec(i + 1, depth + 1);
    }
  };
  rec(0, 0);
  return { value: sum / evaluations, stderr: 0, method: "exact", evaluations };
}

function weightedDraw(groups: AnswerGroups, weights: ArrayLike<number>, n: number, k: number, rng: Rng): number {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const totals = new Float64Array(groups.answers.length);
  for (let d = 0; d < k; d++) {
    const j = d + rng.int(n - d);
    const i = idx[j] as number;
    idx[j] = idx[d] as number;
    idx[d] = i;
    const g = groups.groupOf[i] as number;
    if (g >= 0) totals[g] = (totals[g] as number) + (weights[i] as number);
  }
  return voteCorrect(totals, groups.correct);
}

function monteCarlo(groups: AnswerGroups, k: number, options: MajorityAtKOptions, rng: Rng | undefined, draw: (rng: Rng) => number): MajorityAtKResult {
  requireArg("majorityAtK", rng !== undefined, "an rng option (the exact path is too large; Monte Carlo needs a seeded Rng)", `k = ${k} with ${groups.answers.length} answers`);
  const m = options.samples ?? 4000;
  let s = 0;
  let s2 = 0;
  for (let t = 0; t < m; t++) {
    const v = draw(rng);
    s += v;
    s2 += v * v;
  }
  const mean = s / m;
  const variance = Math.max(0, s2 / m - mean * mean);
  return { value: mean, stderr: Math.sqrt(variance / (m - 1 || 1)), method: "monte-carlo", evaluations: m };
}
