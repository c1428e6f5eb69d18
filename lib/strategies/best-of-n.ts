import { requireArg } from "../core/errors.ts";
import { expandStep, isOpen, type RejectionOptions } from "./expand-step.ts";
import { endStatus, type Beam } from "./problem-search.ts";
import { runProblems } from "./run-problems.ts";
import type { SearchCollaborators, SearchOptions, SearchResult, Selection } from "./search-types.ts";
import { selectCandidate } from "./select-answer.ts";

/** Options of {@link bestOfN}. */
export interface BestOfNOptions extends SearchOptions {
  /** Solutions sampled per problem (N). */
  n: number;
  /** How the answer is chosen. Default `"naive"` (highest aggregated score). */
  select?: Selection;
  /** Generate step by step (one policy call per step for all open solutions) instead of whole solutions in one call. Default false. */
  stepwise?: boolean;
  /**
   * Early rejection at the first `rounds` steps (default 1): after τ tokens of the step, keep the best
   * fraction by partial score and finish only those. Implies `stepwise`. See {@link earlyRejection}.
   */
  rejection?: RejectionOptions & { rounds?: number };
}

/**
 * Best-of-N: sample N solutions per problem and choose one — by the highest
 * aggregated verifier score (naive), the most frequent answer (majority), or
 * the answer with the largest total score (weighted). Candidates are scored
 * (one verifier call) unless the selection is majority.
 *
 * Whole-solution sampling is one policy call of N continuations of the prompt;
 * step-wise sampling makes one call per step (the last allowed round goes to
 * the end), which early rejection needs.
 *
 * @param prompts - one prompt per problem
 * @returns per problem: the answer, all N candidates (rejected ones last), the pool chosen among, and the ledger
 * @throws InvalidArgumentError on N not a positive integer, or no verifier for naive / weighted selection
 * @example
 * const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 4 }, rng(1));
 * const res = await bestOfN(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(2) },
 *   { n: 8, select: "weighted", extractAnswer: world.extractAnswer });
 * res.problems[0].answer; res.ledger.policyGeneratedTokens;
 * @see huggingface/search-and-learn `sal/search/best_of_n.py` and `sal/utils/math.py` (naive / maj / weighted predictions); Snell et al. 2024 §5
 */
export async function bestOfN(prompts: readonly string[], collaborators: SearchCollaborators, options: BestOfNOptions): Promise<SearchResult> {
  const { n, select = "naive", rejection } = options;
  requireArg("bestOfN", Number.isSafeInteger(n) && n >= 1, "an integer n >= 1", n);
  const rounds = rejection?.rounds ?? 1;
  requireArg("bestOfN", rejection === undefined || (Number.isSafeInteger(rounds) && rounds >= 1), "rejection.rounds an integer >= 1", rounds);
  const stepwise = options.stepwise === true || rejection !== undefined;
  return runProblems("bestOfN", prompts, collaborators, options, async (search) => {
    let final: Beam[];
    const rejected: Beam[] = [];
    if (!stepwise) {
      final = (await search.sample([search.root()], [n], { maxTokens: options.maxTokens ?? 2048, stopAtStepEnd: false, label: "sample" }))[0] as Beam[];
    } else {
      final = [];
      const maxSteps = options.maxSteps ?? 40;
      let alive = [search.root()];
      let counts = [n];
      for (let i = 0; i < maxSteps && alive.length > 0; i++) {
        const round = await expandStep(search, alive, counts, { label: `step-${i}`, last: i === maxSteps - 1, score: false, rejection: i < rounds ? rejection : undefined });
        rejected.push(...round.rejected);
        const children = round.children.flat();
        final.push(...children.filter((b) => !isOpen(b)));
        alive = children.filter(isOpen);
        counts = alive.map(() => 1);
      }
    }
    if (select !== "majority") await search.score(final);
    const candidates = [...final.map((b) => search.candidate(b, endStatus(b))), ...rejected.map((b) => search.candidate(b, "rejected"))];
    const pool = final.map((_, i) => i);
    return { candidates, pool, chosen: selectCandidate(candidates, pool, select, search.rng.fork("select")) };
  });
}
