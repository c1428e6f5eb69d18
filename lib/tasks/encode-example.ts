import { requireArg } from "../core/errors.ts";
import type { ChainProblem } from "./chain-problem.ts";
import { CHAIN_TOKENIZER, type CharTokenizer } from "./char-tokenizer.ts";
import { formatPrompt, formatSolution } from "./format.ts";

export interface EncodedExample {
  /** BOS, prompt, reference solution, EOS, then PAD up to the requested length. */
  tokens: number[];
  /** Tokens before the solution (BOS and prompt): train the loss on positions ≥ this. */
  promptTokens: number;
  /** Tokens before padding (BOS … EOS). */
  lengthTokens: number;
}

/**
 * A training example: BOS + prompt + reference solution + EOS, optionally
 * right-padded with PAD.
 *
 * @param padTo - pad to this many tokens (default: no padding)
 * @param tokenizer - default {@link CHAIN_TOKENIZER}
 * @throws InvalidArgumentError when the example is longer than `padTo`
 */
export function encodeExample(problem: ChainProblem, padTo?: number, tokenizer: CharTokenizer = CHAIN_TOKENIZER): EncodedExample {
  const prompt = tokenizer.encode(formatPrompt(problem), { bos: true });
  const tokens = [...prompt, ...tokenizer.encode(formatSolution(problem), { eos: true })];
  const lengthTokens = tokens.length;
  if (padTo !== undefined) {
    requireArg("encodeExample", Number.isInteger(padTo) && padTo >= lengthTokens, `padTo >= the example's ${lengthTokens} tokens`, padTo);
    while (tokens.length < padTo) tokens.push(tokenizer.pad);
  }
  return { tokens, promptTokens: prompt.length, lengthTokens };
}
