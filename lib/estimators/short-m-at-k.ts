import { requireArg, requireEach } from "../core/errors.ts";
import { logChoose } from "../core/math.ts";
import type { Rng } from "../core/rng.ts";
import { groupAnswers } from "./answer-groups.ts";
import { subsetFirstWeights } from "./subset-first-weights.ts";

export interface ShortMAtKOptions {
  /** Random source: orders samples of equal length, and drives Monte Carlo. Required. */
  rng: Rng;
  /** Largest number of k-subsets to enumerate exactly (m > 1). Default 200,000. */
  exactLimit?: number;
  /** Monte Carlo draws when enumeration is too large. Default 4,000. */
  samples?: number;
}

export interface ShortMAtKResult {
  /** Expected correctness of the chosen answer. */
  accuracy: number;
  /** Expected thinking tokens spent: all k chains, each until it finishes or the m-th chain finishes. */
  thinkingTokens: number;
  /** Expected wall time in tokens: the length of the m-th chain to finish (chains decode in parallel). */
  wallTokens: number;
  /** Standard error of `accuracy` (0 when exact). */
  stderr: number;
  method: "exact" | "monte-carlo";
}

/**
 * short-m@k (Hassid et al. 2025): start k chains in parallel (a uniformly
 * random k-subset of the N samples), stop when the first m finish — the m
 * shortest — and majority-vote their answers; a tie between answers goes to
 * the answer of the shortest chain among them. Chains of equal length finish
 * in a uniformly random order (drawn once per call from `rng`).
 *
 * m = 1 is exact in O(N log N): the shortest of a random k-subset is the i-th
 * shortest sample with probability C(N−i−1, k−1)/C(N, k), and then every other
 * chain has thought exactly as long. m > 1 enumerates subsets when there are at
 * most `exactLimit`, otherwise it samples them.
 *
 * @param answers - extracted answer per sample (`null` if none)
 * @param lengths - thinking tokens per sample (≥ 0)
 * @param correct - correctness per sample
 * @param m - chains to wait for, 1 ≤ m ≤ k
 * @param k - chains started, 1 ≤ k ≤ N
 * @throws InvalidArgumentError on mismatched lengths, negative lengths, or m, k out of range
 * @see Hassid et al. 2025, "Don't Overthink it", §3 (short-m@k) and FORMULAS.md
 */
export function shortMAtK(
  answers: ArrayLike<string | null | undefined>,
  lengths: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
  m: number,
  k: number,
  options: ShortMAtKOptions,
): ShortMAtKResult {
  const n = answers.length;
  const groups = groupAnswers("shortMAtK", answers, correct);
  requireArg("shortMAtK", lengths.length === n, `lengths of the same length as answers (${n})`, lengths.length);
  for (let i = 0; i < n; i++) requireEach("shortMAtK", (lengths[i] as number) >= 0 && Number.isFinite(lengths[i]), "finite lengths >= 0", () => `${lengths[i]} at index ${i}`);
  requireArg("shortMAtK", Number.isSafeInteger(k) && k >= 1 && k <= n, `an integer k with 1 <= k <= N (N = ${n})`, k);
  requireArg("shortMAtK", Number.isSafeInteger(m) && m >= 1 && m <= k, `an integer m with 1 <= m <= k (k = ${k})`, m);

  // Finishing order of all samples: by length, equal lengths in a random order.
  const priority = options.rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const rankOf = new Int32Array(n);
  priority.forEach((s, r) => (rankOf[s] = r));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (lengths[a] as number) - (lengths[b] as number) || (rankOf[a] as number) - (rankOf[b] as number));
  const len = Float64Array.from(order, (i) => lengths[i] as number);
  const group = Int32Array.from(order, (i) => groups.groupOf[i] as number);
  const ok = (g: number) => (g >= 0 && groups.correct[g] ? 1 : 0);

  if (m === 1) {
    const w = subsetFirstWeights(n, k);
    let acc = 0;
    let wall = 0;
    for (let i = 0; i <= n - k; i++) {
      acc += (w[i] as number) * ok(group[i] as number);
      wall += (w[i] as number) * (len[i] as number);
    }
    return { accuracy: acc, thinkingTokens: k * wall, wallTokens: wall, stderr: 0, method: "exact" };
  }

  // Evaluate one subset given as ascending positions in finishing order.
  const counts = new Float64Array(groups.answers.length);
  const firstSeen = new Int32Array(groups.answers.length);
  const evaluate = (pos: ArrayLike<number>): [number, number, number] => {
    counts.fill(0);
    firstSeen.fill(-1);
    for (let j = 0; j < m; j++) {
      const g = group[pos[j] as number] as number;
      if (g < 0) continue;
      counts[g] = (counts[g] as number) + 1;
      if (firstSeen[g] === -1) firstSeen[g] = j;
    }
    let best = -1;
    for (let g = 0; g < counts.length; g++) {
      if ((counts[g] as number) === 0) continue;
      if (best < 0 || (counts[g] as number) > (counts[best] as number) || (counts[g] === counts[best] && (firstSeen[g] as number) < (firstSeen[best] as number))) best = g;
    }
    const stop = len[pos[m - 1] as number] as number;
    let thinking = 0;
    for (let j = 0; j < k; j++) thinking += Math.min(len[pos[j] as number] as number, stop);
    return [best >= 0 && groups.correct[best] ? 1 : 0, thinking, stop];
  };

  const limit = options.exactLimit ?? 200_000;
  const pos = new Int32Array(k);
  let sa = 0, sa2 = 0, st = 0, sw = 0, count = 0;
  const add = ([a, t, w]: [number, number, number]) => {
    sa += a;
    sa2 += a * a;
    st += t;
    sw += w;
    count++;
  };
  if (logChoose(n, k) <= Math.log(limit)) {
    const rec = (start: number, depth: number): void => {
      if (depth === k) return add(evaluate(pos));
      for (let i = start; i <= n - (k - depth); i++) {
        pos[depth] = i;
        rec(i + 1, depth + 1);
      }
    };
    rec(0, 0);
    return { accuracy: sa / count, thinkingTokens: st / count, wallTokens: sw / count, stderr: 0, method: "exact" };
  }
  const draws = options.samples ?? 4000;
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let t = 0; t < draws; t++) {
    for (let d = 0; d < k; d++) {
      const j = d + options.rng.int(n - d);
      const tmp = idx[j] as number;
      idx[j] = idx[d] as number;
      idx[d] = tmp;
    }
    const chosen = idx.slice(0, k).sort();
    add(evaluate(chosen));
  }
  const mean = sa / count;
  return {
    accuracy: mean,
    thinkingTokens: st / count,
    wallTokens: sw / count,
    stderr: Math.sqrt(Math.max(0, sa2 / count - mean * mean) / (count - 1)),
    method: "monte-carlo",
  };
}
