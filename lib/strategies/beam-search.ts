import { requireArg } from "../core/errors.ts";
import { expandStep, isOpen, type RejectionOptions } from "./expand-step.ts";
import { endStatus, type Beam, type ProblemSearch } from "./problem-search.ts";
import { runProblems } from "./run-problems.ts";
import type { SearchCollaborators, SearchOptions, SearchResult, Selection } from "./search-types.ts";
import { selectCandidate } from "./select-answer.ts";

/** Options of {@link beamSearch}. */
export interface BeamSearchOptions extends SearchOptions {
  /** Beams N: continuations generated per round. */
  n: number;
  /** Beam width M: each kept beam is expanded M ways, and ⌊N/M⌋ beams are kept per round. */
  beamWidth: number;
  /** Greedy rollout steps k that score each candidate step (Snell et al.'s lookahead search). Default 0. */
  lookaheadSteps?: number;
  /** How the answer is chosen among the completed beams. Default `"naive"` (search-and-learn's pred). */
  select?: Selection;
  /** Early rejection inside each round (see {@link earlyRejection}). */
  rejection?: RejectionOptions;
  /** Drop open beams whose text repeats an earlier one's before keeping the best (search-and-learn's filter_duplicates). Default false. */
  filterDuplicates?: boolean;
}

/**
 * Beam search over steps against a process reward model. Round 0 samples N
 * first steps from the prompt; every round scores the new steps with the PRM,
 * moves finished (or truncated) beams to the completed pool, keeps the ⌊N/M⌋
 * open beams with the best aggregated score (ties to the earlier one) and
 * expands them so that N continuations are generated again — M each, or, when
 * fewer beams are open, N shared out evenly with the better beams taking the
 * remainder (search-and-learn duplicates survivors to N the same way). The last
 * allowed round generates to the end. The answer is chosen among all completed
 * beams. Round i samples from the problem stream's fork `"step-<i>"`.
 *
 * With `lookaheadSteps` = k > 0 an open step is scored by the PRM at the end of
 * a k-step greedy (temperature 0) rollout from it; rollouts are discarded and
 * charged to the ledger. With ⌊N/M⌋ = 1 this is greedy step selection: the best
 * of N samples of each step.
 *
 * @returns per problem: the answer, the completed beams as candidates, the ledger
 * @throws InvalidArgumentError unless 1 ≤ M ≤ N are integers and k ≥ 0; without a verifier
 * @example
 * const res = await beamSearch(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(3) },
 *   { n: 16, beamWidth: 4, extractAnswer: world.extractAnswer });
 * @see huggingface/search-and-learn `sal/search/beam_search.py`; Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally…", §5.1 (beam search, lookahead search)
 */
export async function beamSearch(prompts: readonly string[], collaborators: SearchCollaborators, options: BeamSearchOptions): Promise<SearchResult> {
  const { n, beamWidth: m, lookaheadSteps: k = 0, select = "naive" } = options;
  requireArg("beamSearch", Number.isSafeInteger(n) && Number.isSafeInteger(m) && m >= 1 && m <= n, "integers 1 <= beamWidth <= n", { n, beamWidth: m });
  requireArg("beamSearch", Number.isSafeInteger(k) && k >= 0, "an integer lookaheadSteps >= 0", k);
  requireArg("beamSearch", collaborators.verifier !== undefined, "a verifier (a PRM)", undefined);
  const keep = Math.floor(n / m);
  const maxSteps = options.maxSteps ?? 40;
  return runProblems("beamSearch", prompts, collaborators, options, async (search) => {
    const completed: Beam[] = [];
    let parents = [search.root()];
    let counts = [n];
    for (let i = 0; i < maxSteps && parents.length > 0; i++) {
      const last = i === maxSteps - 1;
      const label = `step-${i}`;
      const children = (await expandStep(search, parents, counts, { label, last, score: true, rejection: options.rejection })).children.flat();
      completed.push(...children.filter((b) => !isOpen(b)));
      const open = options.filterDuplicates ? distinctTexts(children.filter(isOpen)) : children.filter(isOpen);
      const ranking = k > 0 ? await lookaheadScores(search, open, k, label) : open.map((b) => b.score as number);
      const order = open.map((_, j) => j).sort((a, b) => (ranking[b] as number) - (ranking[a] as number) || a - b);
      parents = order.slice(0, keep).map((j) => open[j] as Beam);
      counts = parents.map((_, j) => Math.floor(n / parents.length) + (j < n % parents.length ? 1 : 0));
    }
    const candidates = completed.map((b) => search.candidate(b, endStatus(b)));
    const pool = candidates.map((_, i) => i);
    return { candidates, pool, chosen: selectCandidate(candidates, pool, select, search.rng.fork("select")) };
  });
}

/**
 * Score each open beam by a k-step greedy rollout: k policy calls (temperature
 * 0, one step each, finished rollouts drop out), then one PRM call on the
 * rollouts; a beam's ranking score is its rollout's aggregated score.
 */
async function lookaheadScores(search: ProblemSearch, open: readonly Beam[], k: number, label: string): Promise<number[]> {
  let tips = [...open];
  for (let r = 0; r < k; r++) {
    const live = tips.map((t, j) => (isOpen(t) ? j : -1)).filter((j) => j >= 0);
    if (live.length === 0) break;
    const next = await search.sample(live.map((j) => tips[j] as Beam), live.map(() => 1), { maxTokens: search.options.maxStepTokens ?? 256, stopAtStepEnd: true, temperature: 0, label: `${label}/lookahead-${r}` });
    tips = [...tips];
    live.forEach((j, i) => (tips[j] = (next[i] as Beam[])[0] as Beam));
  }
  const rolled = tips.filter((t, j) => t !== open[j]);
  await search.score(rolled);
  return tips.map((t) => t.score as number);
}

/** The first beam of each distinct text, in order. */
function distinctTexts(beams: readonly Beam[]): Beam[] {
  const seen = new Set<string>();
  return beams.filter((b) => !seen.has(b.text) && seen.add(b.text) !== undefined);
}
