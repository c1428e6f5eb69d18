import { requireArg } from "../core/errors.ts";
import { beamSearch, type BeamSearchOptions } from "./beam-search.ts";
import type { SearchCollaborators, SearchResult } from "./search-types.ts";

/** Options of {@link lookahead}: beam search's, with the rollout depth required. */
export interface LookaheadOptions extends Omit<BeamSearchOptions, "lookaheadSteps"> {
  /** Greedy rollout steps k ≥ 1 before a step is scored. */
  lookaheadSteps: number;
}

/**
 * Lookahead search (Snell et al. 2024): beam search in which each candidate
 * step is scored by the PRM at the end of a k-step greedy (temperature 0)
 * rollout from it, instead of at the step itself. The rollouts only score;
 * they are discarded, and their tokens and verifier calls are charged to the
 * ledger. k = 0 would be plain beam search (use {@link beamSearch}).
 *
 * @throws InvalidArgumentError unless lookaheadSteps is an integer ≥ 1 (and as {@link beamSearch})
 * @example
 * const res = await lookahead(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(4) },
 *   { n: 16, beamWidth: 4, lookaheadSteps: 2, extractAnswer: world.extractAnswer });
 * @see Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally can be More Effective than Scaling Model Parameters", §5.1 (lookahead search); search-and-learn `generate_k_steps` (greedy after the first step)
 */
export async function lookahead(prompts: readonly string[], collaborators: SearchCollaborators, options: LookaheadOptions): Promise<SearchResult> {
  requireArg("lookahead", Number.isSafeInteger(options.lookaheadSteps) && options.lookaheadSteps >= 1, "an integer lookaheadSteps >= 1", options.lookaheadSteps);
  return beamSearch(prompts, collaborators, options);
}
