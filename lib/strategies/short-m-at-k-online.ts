import { requireArg } from "../core/errors.ts";
import type { Beam } from "./problem-search.ts";
import { runProblems } from "./run-problems.ts";
import type { Candidate, SearchCollaborators, SearchOptions, SearchResult } from "./search-types.ts";

/** Options of {@link shortMAtKOnline}. */
export interface ShortMAtKOnlineOptions extends SearchOptions {
  /** Chains started in parallel (k). */
  k: number;
  /** Chains to wait for (m ≤ k). */
  m: number;
  /**
   * Tokens per chain per policy call. The run stops after the call in which the m-th chain finishes, so a
   * chain may overshoot that moment by less than a chunk; 1 makes the count exact. Default 32.
   */
  chunkTokens?: number;
}

/**
 * short-m@k, online (Hassid et al. 2025): start k chains from the prompt,
 * extend them together `chunkTokens` at a time, and stop as soon as m have
 * finished; majority-vote the answers of the m that finished first (shortest
 * first; equal lengths in a random order drawn once per problem), a tie between
 * answers going to the answer of the shortest chain among them. Chains that
 * reach `maxTokens` unfinished are truncated and do not vote. The ledger counts
 * every chain up to the stop — with chunkTokens = 1, the thinking tokens of the
 * offline estimator `shortMAtK` with k = N.
 *
 * @returns per problem: the answer, all k chains (stopped ones `"unfinished"`), the voters as `pool`, the ledger
 * @throws InvalidArgumentError unless 1 ≤ m ≤ k and chunkTokens ≥ 1 are integers
 * @example
 * const res = await shortMAtKOnline(world.prompts, { policy: world.policy, rng: rng(7) },
 *   { k: 8, m: 3, extractAnswer: world.extractAnswer });
 * @see Hassid et al. 2025, "Don't Overthink it. Preferring Shorter Thinking Chains for Improved LLM Reasoning", §3; FORMULAS.md "short-m@k"; lib/estimators/short-m-at-k.ts
 */
export async function shortMAtKOnline(prompts: readonly string[], collaborators: SearchCollaborators, options: ShortMAtKOnlineOptions): Promise<SearchResult> {
  const { k, m, chunkTokens = 32 } = options;
  requireArg("shortMAtKOnline", Number.isSafeInteger(k) && Number.isSafeInteger(m) && m >= 1 && m <= k, "integers 1 <= m <= k", { m, k });
  requireArg("shortMAtKOnline", Number.isSafeInteger(chunkTokens) && chunkTokens >= 1, "an integer chunkTokens >= 1", chunkTokens);
  const maxTokens = options.maxTokens ?? 2048;
  return runProblems("shortMAtKOnline", prompts, collaborators, options, async (search) => {
    const priority = search.rng.fork("order").shuffle(Array.from({ length: k }, (_, j) => j));
    const chains: Beam[] = [];
    const stopped = new Set<number>(); // finished or truncated
    let alive: number[] = [];
    for (let used = 0, round = 0; used < maxTokens; used += chunkTokens, round++) {
      const budget = Math.min(chunkTokens, maxTokens - used);
      const label = `chunk-${round}`;
      if (round === 0) {
        chains.push(...((await search.sample([search.root()], [k], { maxTokens: budget, stopAtStepEnd: false, label }))[0] as Beam[]));
        alive = chains.map((_, j) => j);
      } else {
        const next = await search.sample(alive.map((j) => chains[j] as Beam), alive.map(() => 1), { maxTokens: budget, stopAtStepEnd: false, label });
        alive.forEach((j, i) => (chains[j] = (next[i] as Beam[])[0] as Beam));
      }
      for (const j of alive) if ((chains[j] as Beam).finished || (chains[j] as Beam).pathTokens >= maxTokens) stopped.add(j);
      alive = alive.filter((j) => !stopped.has(j));
      if (alive.length === 0 || chains.filter((c) => c.finished).length >= m) break;
    }
    const finished = chains.map((_, j) => j).filter((j) => (chains[j] as Beam).finished);
    finished.sort((a, b) => (chains[a] as Beam).pathTokens - (chains[b] as Beam).pathTokens || (priority[a] as number) - (priority[b] as number));
    const voters = finished.slice(0, m);
    const candidates: Candidate[] = chains.map((c, j) => search.candidate(c, c.finished ? "finished" : stopped.has(j) ? "truncated" : "unfinished"));
    return { candidates, pool: voters, chosen: shortestMajority(candidates, voters) };
  });
}

/** Majority over `voters` (in finishing order); a tie goes to the answer whose first voter finished first. */
function shortestMajority(candidates: readonly Candidate[], voters: readonly number[]): number {
  const counts = new Map<string, number>();
  const first = new Map<string, number>();
  for (const j of voters) {
    const a = (candidates[j] as Candidate).answer;
    if (a === null) continue;
    counts.set(a, (counts.get(a) ?? 0) + 1);
    if (!first.has(a)) first.set(a, j);
  }
  let best = -1;
  let bestCount = 0;
  for (const [a, c] of counts) if (c > bestCount) [best, bestCount] = [first.get(a) as number, c]; // Map order = first-voter order: ties keep the earlier
  return best;
}
