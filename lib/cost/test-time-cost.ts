import { requireArg } from "../core/errors.ts";
import type { AttentionSpan } from "./attention-span.ts";
import { addCosts, scaleCost, type Cost } from "./cost.ts";
import { decodeCost, prefillCost } from "./decode-cost.ts";
import type { ModelShape } from "./model-shape.ts";

/** Options of {@link bestOfNCost}. */
export interface BestOfNCostOptions {
  /** Prompt tokens L_in. */
  promptTokens: number;
  /** Tokens generated per trial L_out. */
  generationTokens: number;
  /** Trials N, decoded as one batch. */
  trials: number;
  /**
   * Whether the trials share the prompt's KV cache: prefill once and read the
   * prompt's KV once per step for all N (Kinetics' dense assumption; Hydragen).
   * Otherwise each trial prefills and reads its own copy. Default true.
   */
  sharePrefix?: boolean;
  /** Dense (default) or block top-k decode attention. */
  span?: AttentionSpan;
  /** Include the prefill. Default true (Kinetics' closed forms leave it out). */
  includePrefill?: boolean;
  /** Bytes per element. Default 2 (bf16). */
  bytesPerElement?: number;
}

/**
 * Cost of best-of-N / repeated sampling: N trials of `generationTokens` each
 * from one prompt, decoded together (weights read once per step), with or
 * without prefix sharing.
 *
 * @throws InvalidArgumentError on a non-positive trial count (other checks in decodeCost / prefillCost)
 * @see Sadhukhan et al. 2025 (Kinetics), best-of-N cost; Juravsky et al. 2024 (Hydragen)
 */
export function bestOfNCost(shape: ModelShape, options: BestOfNCostOptions): Cost {
  const { promptTokens, generationTokens, trials, sharePrefix = true, span, includePrefill = true, bytesPerElement } = options;
  requireArg("bestOfNCost", Number.isSafeInteger(trials) && trials >= 1, "an integer trials >= 1", trials);
  const decode = decodeCost(shape, {
    contextTokens: promptTokens,
    newTokens: generationTokens,
    batch: trials,
    sharedPrefixTokens: sharePrefix ? promptTokens : 0,
    ...(span === undefined ? {} : { span }),
    ...(bytesPerElement === undefined ? {} : { bytesPerElement }),
  });
  if (!includePrefill) return decode;
  const prefill = prefillCost(shape, { promptTokens, ...(bytesPerElement === undefined ? {} : { bytesPerElement }) });
  return addCosts(decode, sharePrefix ? prefill : scaleCost(prefill, trials));
}

/** Options of {@link longChainOfThoughtCost}. */
export type LongChainOfThoughtCostOptions = Omit<BestOfNCostOptions, "trials" | "sharePrefix">;

/**
 * Cost of one long chain of thought: a single trial generating
 * `generationTokens` after the prompt (best-of-N with N = 1).
 */
export function longChainOfThoughtCost(shape: ModelShape, options: LongChainOfThoughtCostOptions): Cost {
  return bestOfNCost(shape, { ...options, trials: 1 });
}
