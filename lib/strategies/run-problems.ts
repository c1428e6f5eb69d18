import { requireArg } from "../core/errors.ts";
import { Ledger } from "./ledger.ts";
import { ProblemSearch } from "./problem-search.ts";
import type { Candidate, ProblemResult, SearchCollaborators, SearchOptions, SearchResult } from "./search-types.ts";

/** What a strategy's per-problem search hands back. */
export interface ProblemOutcome {
  candidates: Candidate[];
  /** Indices the final choice was made among. */
  pool: number[];
  /** The chosen index, or −1. */
  chosen: number;
}

/**
 * Run a per-problem search on every prompt, concurrently, each with its own
 * {@link ProblemSearch} and random stream `rng.fork("problem:" + prompt)` —
 * so a problem's result does not depend on what it was batched with — and sum
 * the ledgers.
 *
 * @param fn - the calling strategy's name, for error messages
 * @param prompts - one prompt per problem
 * @param solve - the strategy for one problem
 * @returns per-problem results in prompt order, and their summed ledger
 * @example
 * const res = await runProblems("myStrategy", prompts, { policy, verifier, rng: rng(1) }, { extractAnswer }, async (search) => {
 *   const [kids] = await search.sample([search.root()], [4], { maxTokens: 512, stopAtStepEnd: false, label: "sample" });
 *   const candidates = kids.map((b) => search.candidate(b, endStatus(b)));
 *   return { candidates, pool: [0, 1, 2, 3], chosen: selectCandidate(candidates, [0, 1, 2, 3], "majority", search.rng.fork("select")) };
 * });
 * @throws InvalidArgumentError on a missing policy, extractAnswer, or a non-string prompt
 */
export async function runProblems(
  fn: string,
  prompts: readonly string[],
  collaborators: SearchCollaborators,
  options: SearchOptions,
  solve: (search: ProblemSearch) => Promise<ProblemOutcome>,
): Promise<SearchResult> {
  const { policy, verifier, rng } = collaborators;
  requireArg(fn, typeof policy?.sampleSteps === "function", "a policy with sampleSteps", policy);
  requireArg(fn, typeof options.extractAnswer === "function", "an extractAnswer(text) option", options.extractAnswer);
  requireArg(fn, prompts.every((p) => typeof p === "string"), "prompts that are strings", prompts);
  const problems = await Promise.all(
    prompts.map(async (prompt): Promise<ProblemResult> => {
      const search = new ProblemSearch(prompt, policy, verifier, rng.fork(`problem:${prompt}`), options);
      const { candidates, pool, chosen } = await solve(search);
      const answer = chosen >= 0 ? (candidates[chosen] as Candidate).answer : null;
      return { prompt, answer, chosen, candidates, pool, ledger: search.ledger };
    }),
  );
  return { problems, ledger: Ledger.sum(problems.map((p) => p.ledger), options.pricing) };
}
