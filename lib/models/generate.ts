import { Generation, type GenerateOptions, type GenerateResult } from "./generation.ts";
import type { Transformer } from "./transformer.ts";

export type { GenerateOptions, GenerateResult, SequenceOptions, StopReason } from "./generation.ts";

/**
 * Batched autoregressive sampling with a KV cache (`KvDecoder`): all
 * sequences advance in lockstep, each feeding its prompt token by token and
 * then its own samples, so prompts may have different lengths. Sequence i
 * draws from `rng.fork("seq-i")`, or from `sequences[i].rng` when given (then
 * its samples do not depend on which batch, or which row, it runs in).
 * Identical prompts are read once and forked; `sequences[i].cache` starts a
 * row after cached K/V (see {@link Generation}); neither changes a sample.
 *
 * @param prompts - token ids per sequence (BOS first), each non-empty and shorter than maxLen
 * @throws InvalidArgumentError on empty prompts, a missing rng when sampling, or bad options
 * @example
 * const r = generate(model, [CHAIN_TOKENIZER.encode(formatPrompt(p), { bos: true })], { maxNewTokens: 40, temperature: 0 });
 * CHAIN_TOKENIZER.decode(r.tokens[0]);
 * @see Generation to step the same loop yourself
 */
export function generate(model: Transformer, prompts: readonly (readonly number[])[], options: GenerateOptions): GenerateResult {
  const g = new Generation(model, prompts, options);
  try {
    while (g.running) g.step();
  } finally {
    g.dispose();
  }
  return g.result();
}
