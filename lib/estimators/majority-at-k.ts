import { requireArg, requireEach } from "../core/errors.ts";
import { logChoose } from "../core/math.ts";
import type { Rng } from "../core/rng.ts";
import { groupAnswers, voteCorrect, type AnswerGroups } from "./answer-groups.ts";
import { drawHypergeometric, LogGammaTable } from "./hypergeometric.ts";
import { weightedMajorityExact, type WeightedMajorityEstimate } from "./weighted-majority-exact.ts";
import { weightedMajorityMonteCarlo } from "./weighted-majority-monte-carlo.ts";

export interface MajorityAtKOptions {
  /** Per-sample vote weights (e.g. verifier scores ≥ 0) for weighted majority; default 1 each. */
  weights?: ArrayLike<number>;
  /** Random source for the Monte Carlo path (required when the exact path is too large). */
  rng?: Rng;
  /** Largest number of terms (count vectors, or subsets when weighted) to enumerate exactly. Default 200,000. */
  exactLimit?: number;
  /** Monte Carlo draws per budget. Default 4,000. (Weighted, budgets share draws; see {@link majorityCurve}.) */
  samples?: number;
}

export interface MajorityAtKResult {
  /** Expected correctness of the (weighted) majority answer of a random k-subset. */
  value: number;
  /** Standard error of `value` (0 when exact). */
  stderr: number;
  method: "exact" | "monte-carlo";
  /** Terms enumerated, or Monte Carlo draws (weighted: k-subsets voted on, several per draw for small k). */
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
 * sampling. Weighted, both paths work on subsets of samples: exact enumeration
 * of every k-subset, or Monte Carlo over shuffled prefixes (see {@link majorityCurve}).
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
 * {@link majorityAtK} at several budgets, grouping the answers once. Adding or
 * removing a budget does not change the others' values.
 *
 * Unweighted, each k uses its own forked stream (`rng.fork("k-<k>")`).
 * Weighted, Monte Carlo budgets share draws: draw t (stream
 * `rng.fork("weighted-draw-<t>")`) shuffles the samples once, as far as the
 * budgets need, and every budget k ≤ N/2 votes on the first k shuffled samples
 * (k > N/2: on all but the first N − k), so one draw costs O(max min(k, N − k))
 * rather than O(Σ k); budgets k ≤ 64 also vote on further disjoint blocks of k
 * among the first 128 shuffled samples and average them, which cuts their
 * standard error several-fold at almost no cost. Standard errors are over draws.
 *
 * @param answers - extracted answer per sample; `null` for none
 * @param correct - correctness per sample (must agree within an answer)
 * @param ks - budgets, each 1 ≤ k ≤ N
 * @returns one result per budget, in the order of `ks`
 * @throws InvalidArgumentError as {@link majorityAtK}
 * @example
 * majorityCurve(["4", "4", "5"], [true, true, false], [1, 3]).map((r) => r.value) // [0.667, 1] (2/3 exactly)
 * @see FORMULAS.md "Majority@k"
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
  for (const k of ks) requireArg("majorityAtK", Number.isSafeInteger(k) && k >= 1 && k <= n, `an integer k with 1 <= k <= N (N = ${n})`, k);
  const limit = options.exactLimit ?? 200_000;
  const samples = options.samples ?? 4000;
  const needsRng = (k: number) => requireArg("majorityAtK", options.rng !== undefined, "an rng option (the exact path is too large; Monte Carlo needs a seeded Rng)", `k = ${k} with ${groups.answers.length} answers`);
  if (weights) return weightedCurve(groups, weights, ks, limit, samples, options.rng, needsRng);
  const missing = n - groups.sizes.reduce((s, x) => s + x, 0);
  const sizes = missing > 0 ? [...groups.sizes, missing] : groups.sizes;
  const correctOf = missing > 0 ? [...groups.correct, false] : groups.correct;
  // One count buffer and one log-Γ table for every draw of every k (the draws are the same as without them).
  const counts = new Int32Array(sizes.length);
  const voters = missing > 0 ? counts.subarray(0, counts.length - 1) : counts; // the missing-answer count never votes
  const vote = (c: Int32Array) => voteCorrect(missing > 0 ? c.subarray(0, c.length - 1) : c, correctOf);
  const table = new LogGammaTable(n + 2);
  return ks.map((k) => {
    const rng = options.rng?.fork(`k-${k}`);
    if (countVectors(sizes, k, limit) !== undefined) return countsExact(sizes, n, k, vote);
    needsRng(k);
    return monteCarlo(samples, rng as Rng, (r) => {
      counts.fill(0);
      let left = n;
      let draws = k;
      for (let g = 0; g < sizes.length && draws > 0; g++) {
        counts[g] = drawHypergeometric(left, sizes[g] as number, draws, r, table);
        left -= sizes[g] as number;
        draws -= counts[g] as number;
      }
      return voteCorrect(voters, correctOf);
    });
  });
}

/** The weighted budgets: exact subset enumeration where C(N, k) ≤ limit, nested-subset Monte Carlo for the rest. */
function weightedCurve(
  groups: AnswerGroups,
  weights: ArrayLike<number>,
  ks: readonly number[],
  limit: number,
  samples: number,
  rng: Rng | undefined,
  needsRng: (k: number) => void,
): MajorityAtKResult[] {
  const n = groups.groupOf.length;
  const exact = ks.map((k) => logChoose(n, k) <= Math.log(limit));
  const sampled = ks.filter((_, i) => !exact[i]);
  if (sampled.length > 0) needsRng(sampled[0] as number);
  const mc = sampled.length > 0 ? weightedMajorityMonteCarlo(groups, weights, sampled, samples, rng as Rng) : [];
  let next = 0;
  return ks.map((k, i) => {
    if (exact[i]) return { ...weightedMajorityExact(groups, weights, k), method: "exact" };
    return { ...(mc[next++] as WeightedMajorityEstimate), method: "monte-carlo" };
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

function monteCarlo(m: number, rng: Rng, draw: (rng: Rng) => number): MajorityAtKResult {
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
