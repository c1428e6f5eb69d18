import { requireArg, requireEach } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { Candidate, Selection } from "./search-types.ts";

/**
 * Choose one candidate from `pool`:
 * - `"naive"`: the highest aggregated score (best-of-N);
 * - `"majority"`: the most frequent answer (self-consistency);
 * - `"weighted"`: the answer with the largest sum of aggregated scores (reward-weighted majority).
 *
 * Missing answers never vote (as in `majorityAtK`); a tie at the top is broken
 * uniformly at random with `rng`. For a vote, the chosen candidate is the first
 * in `pool` with the winning answer.
 *
 * @param candidates - answers and aggregated scores (scores needed by naive and weighted)
 * @param pool - indices into `candidates` to choose among
 * @returns the chosen index, or −1 when the pool is empty or no candidate has an answer to vote for
 * @throws InvalidArgumentError on an index outside `candidates`, or a missing score where one is needed
 * @example
 * selectCandidate([{ answer: "4", score: 0.2 }, { answer: "5", score: 0.9 }, { answer: "4", score: 0.3 }], [0, 1, 2], "majority", rng(0)); // 0
 * @see FORMULAS.md "Selection among N samples"; Snell et al. 2024 §5 (best-of-N weighted); Wang et al. 2023 (self-consistency)
 */
export function selectCandidate(candidates: readonly Pick<Candidate, "answer" | "score">[], pool: readonly number[], how: Selection, rng: Rng): number {
  const fn = "selectCandidate";
  for (const i of pool) requireEach(fn, Number.isInteger(i) && i >= 0 && i < candidates.length, `pool indices in [0, ${candidates.length})`, () => i);
  const scoreOf = (i: number): number => {
    const s = (candidates[i] as Candidate).score;
    requireEach(fn, s !== null && Number.isFinite(s), `scored candidates for "${how}" selection`, () => `score ${s} at candidate ${i}`);
    return s as number;
  };
  if (how === "naive") {
    let best = -Infinity;
    let tied: number[] = [];
    for (const i of pool) {
      const s = scoreOf(i);
      if (s > best) [best, tied] = [s, [i]];
      else if (s === best) tied.push(i);
    }
    return pick(tied, rng);
  }
  requireArg(fn, how === "majority" || how === "weighted", "a selection in naive | majority | weighted", how);
  const totals = new Map<string, number>();
  const first = new Map<string, number>();
  for (const i of pool) {
    const a = (candidates[i] as Candidate).answer;
    if (a === null) continue;
    totals.set(a, (totals.get(a) ?? 0) + (how === "majority" ? 1 : scoreOf(i)));
    if (!first.has(a)) first.set(a, i);
  }
  let best = 0;
  let tied: number[] = [];
  for (const [a, t] of totals) {
    if (t > best) [best, tied] = [t, [first.get(a) as number]];
    else if (t === best && t > 0) tied.push(first.get(a) as number);
  }
  return pick(tied, rng);
}

function pick(tied: readonly number[], rng: Rng): number {
  if (tied.length === 0) return -1;
  return tied.length === 1 ? (tied[0] as number) : (tied[rng.int(tied.length)] as number);
}
