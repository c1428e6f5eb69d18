import { requireArg } from "../core/errors.ts";
import { expandStep, isOpen } from "./expand-step.ts";
import { endStatus, type Beam } from "./problem-search.ts";
import { runProblems } from "./run-problems.ts";
import type { Candidate, SearchCollaborators, SearchOptions, SearchResult, Selection } from "./search-types.ts";
import { selectCandidate } from "./select-answer.ts";

/** Options of {@link dvts}. */
export interface DvtsOptions extends SearchOptions {
  /** Total budget N per round; must be a multiple of the width. */
  n: number;
  /** Width M of each subtree: its beam is expanded M ways per step. There are N/M subtrees. */
  beamWidth: number;
  /** How the answer is chosen among finished candidates. Default `"naive"`. */
  select?: Selection;
}

/**
 * Diverse verifier tree search: N/M independent subtrees, each a greedy beam
 * of width M — per round every open subtree's beam is expanded M ways (one
 * policy call for all subtrees, one PRM call) and the subtree moves to its
 * best-scored child (the first on ties); a subtree ends when that child
 * finishes or is truncated. The last allowed round generates to the end.
 *
 * Candidates are the M children of every subtree's last expansion (N in all,
 * as search-and-learn returns them): the chosen path plus its siblings, which
 * may be unfinished. The answer is chosen among the finished and truncated ones.
 *
 * @throws InvalidArgumentError unless M ≥ 1 divides N; without a verifier
 * @example
 * const res = await dvts(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(5) },
 *   { n: 16, beamWidth: 4, extractAnswer: world.extractAnswer });
 * @see huggingface/search-and-learn `sal/search/diverse_verifier_tree_search.py`; Beeching, Tunstall & Rush 2024, "Scaling test-time compute with open models" (DVTS)
 */
export async function dvts(prompts: readonly string[], collaborators: SearchCollaborators, options: DvtsOptions): Promise<SearchResult> {
  const { n, beamWidth: m, select = "naive" } = options;
  requireArg("dvts", Number.isSafeInteger(n) && Number.isSafeInteger(m) && m >= 1 && n >= m && n % m === 0, "integers n and beamWidth >= 1 with beamWidth dividing n", { n, beamWidth: m });
  requireArg("dvts", collaborators.verifier !== undefined, "a verifier (a PRM)", undefined);
  const maxSteps = options.maxSteps ?? 40;
  return runProblems("dvts", prompts, collaborators, options, async (search) => {
    const tips: Beam[] = Array.from({ length: n / m }, () => search.root());
    const lastChildren: Beam[][] = tips.map(() => []);
    const done = tips.map(() => false);
    for (let i = 0; i < maxSteps && done.includes(false); i++) {
      const active = done.flatMap((d, t) => (d ? [] : [t]));
      const { children } = await expandStep(search, active.map((t) => tips[t] as Beam), active.map(() => m), { label: `step-${i}`, last: i === maxSteps - 1, score: true });
      active.forEach((t, a) => {
        const kids = children[a] as Beam[];
        let best = kids[0] as Beam;
        for (const b of kids) if ((b.score as number) > (best.score as number)) best = b;
        lastChildren[t] = kids;
        tips[t] = best;
        done[t] = !isOpen(best);
      });
    }
    const candidates: Candidate[] = lastChildren.flat().map((b) => search.candidate(b, isOpen(b) ? "unfinished" : endStatus(b)));
    const pool = candidates.flatMap((c, i) => (c.status === "unfinished" ? [] : [i]));
    return { candidates, pool, chosen: selectCandidate(candidates, pool, select, search.rng.fork("select")) };
  });
}
