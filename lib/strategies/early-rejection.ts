import { requireArg } from "../core/errors.ts";
import { beamSearch, type BeamSearchOptions } from "./beam-search.ts";
import { bestOfN, type BestOfNOptions } from "./best-of-n.ts";
import type { RejectionOptions } from "./expand-step.ts";
import type { SearchCollaborators, SearchResult } from "./search-types.ts";

/** Options of {@link earlyRejection}: τ and the kept fraction, the strategy it wraps, and that strategy's options. */
export type EarlyRejectionOptions = RejectionOptions &
  (
    | ({ strategy: "best-of-n"; /** Steps at which to reject (from the first). Default 1. */ rounds?: number } & Omit<BestOfNOptions, "rejection" | "stepwise">)
    | ({ strategy: "beam-search" } & Omit<BeamSearchOptions, "rejection">)
  );

/**
 * Early rejection with partial rewards (ER-PRM): generate only τ tokens of
 * each candidate's current step, score the partial step with the PRM, keep the
 * best `keepFraction` of the candidates and finish only those; rejected
 * candidates cost τ tokens instead of a whole step.
 *
 * - `strategy: "beam-search"`: every round of {@link beamSearch} rejects before
 *   finishing its steps (keepFraction = 1/M keeps exactly the ⌊N/M⌋ beams the
 *   round would keep, as in the paper); rejected steps are dropped like pruned beams;
 * - `strategy: "best-of-n"`: step-wise {@link bestOfN} rejects at its first
 *   `rounds` steps (default 1); survivors are finished to the end, rejected
 *   candidates are returned with status `"rejected"` and their partial scores.
 *
 * With τ at least every step's length and keepFraction 1, the result equals the
 * plain strategy's (step-wise for best-of-N); for beam search the ledger too.
 *
 * @throws InvalidArgumentError on τ not a positive integer, keepFraction outside (0, 1], an unknown strategy (and as the wrapped strategy)
 * @example
 * const res = await earlyRejection(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(6) },
 *   { strategy: "beam-search", n: 16, beamWidth: 4, tau: 4, keepFraction: 1 / 4, extractAnswer: world.extractAnswer });
 * @see Cheshmi et al. 2025, "Accelerating LLM Reasoning via Early Rejection with Partial Reward Modeling" (arXiv 2508.01969); FORMULAS.md "Early rejection"
 */
export async function earlyRejection(prompts: readonly string[], collaborators: SearchCollaborators, options: EarlyRejectionOptions): Promise<SearchResult> {
  const { tau, keepFraction } = options;
  requireArg("earlyRejection", Number.isSafeInteger(tau) && tau >= 1, "an integer tau >= 1", tau);
  requireArg("earlyRejection", keepFraction > 0 && keepFraction <= 1, "keepFraction in (0, 1]", keepFraction);
  if (options.strategy === "beam-search") return beamSearch(prompts, collaborators, { ...options, rejection: { tau, keepFraction } });
  requireArg("earlyRejection", options.strategy === "best-of-n", 'a strategy "best-of-n" or "beam-search"', (options as { strategy: unknown }).strategy);
  return bestOfN(prompts, collaborators, { ...options, rejection: { tau, keepFraction, ...(options.rounds === undefined ? {} : { rounds: options.rounds }) } });
}
