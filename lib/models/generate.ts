import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { KvDecoder } from "./kv-decoder.ts";
import { sampleToken, type SamplingOptions } from "./sample-token.ts";
import type { Transformer } from "./transformer.ts";

export interface GenerateOptions extends SamplingOptions {
  /** Most tokens to generate per sequence. */
  maxNewTokens: number;
  /** Random source (required unless temperature is 0); sequence i draws from `rng.fork("seq-i")`, so results do not depend on batching. */
  rng?: Rng;
  /** Stop a sequence after it writes `eos` (default true). */
  stopAtEos?: boolean;
  /** Stop a sequence after it writes the step separator `sep`, i.e. generate one step (default false). */
  stopAtStepEnd?: boolean;
  /** EOS id (default 2, the chain tokenizer's). */
  eos?: number;
  /** Step-separator id (default 3, the chain tokenizer's `"\n"`). */
  sep?: number;
}

/** Why a sequence stopped: it wrote EOS, it wrote a step separator, it hit `maxNewTokens`, or it filled the model's context. */
export type StopReason = "eos" | "step" | "length" | "context";

export interface GenerateResult {
  /** Generated ids per sequence, the stop token (EOS or separator) included. */
  tokens: number[][];
  /** The model's log-probability (temperature 1) of each generated token. */
  logProbs: number[][];
  stopReasons: StopReason[];
  /** Prompt length per sequence. */
  promptTokens: number[];
  /** Generated length per sequence (= tokens[i].length). */
  generatedTokens: number[];
  /** Tokens run through the model over all sequences (prompt + generated − 1 each): the compute to charge. */
  processedTokens: number;
}

/**
 * Batched autoregressive sampling with a KV cache ({@link KvDecoder}): all
 * sequences advance in lockstep, each feeding its prompt token by token and
 * then its own samples, so prompts may have different lengths.
 *
 * @param prompts - token ids per sequence (BOS first), each non-empty and shorter than maxLen
 * @throws InvalidArgumentError on empty prompts, a missing rng when sampling, or bad options
 * @example
 * const r = generate(model, [CHAIN_TOKENIZER.encode(formatPrompt(p), { bos: true })], { maxNewTokens: 40, temperature: 0 });
 * CHAIN_TOKENIZER.decode(r.tokens[0]);
 */
export function generate(model: Transformer, prompts: readonly (readonly number[])[], options: GenerateOptions): GenerateResult {
  const { maxNewTokens } = options;
  const { maxLen, vocabSize } = model.config;
  const greedy = options.temperature === 0;
  requireArg("generate", prompts.length >= 1 && prompts.every((p) => p.length >= 1 && p.length < maxLen), `1 or more prompts of 1..${maxLen - 1} tokens`, prompts.map((p) => p.length));
  requireArg("generate", Number.isSafeInteger(maxNewTokens) && maxNewTokens >= 1, "a positive integer maxNewTokens", maxNewTokens);
  requireArg("generate", greedy || options.rng !== undefined, "an rng unless temperature is 0", options.rng);
  requireArg("generate", (options.temperature ?? 1) >= 0 && (options.topP ?? 1) > 0 && (options.topP ?? 1) <= 1, "temperature ≥ 0 and topP in (0, 1]", options);
  const [eos, sep] = [options.eos ?? 2, options.sep ?? 3];
  const stops = new Set<number>([...(options.stopAtEos ?? true ? [eos] : []), ...(options.stopAtStepEnd ? [sep] : [])]);
  const rngs = prompts.map((_, i) => (greedy ? undefined : options.rng?.fork(`seq-${i}`)));
  const n = prompts.length;
  const tokens: number[][] = prompts.map(() => []);
  const logProbs: number[][] = prompts.map(() => []);
  const stopReasons: (StopReason | undefined)[] = new Array(n).fill(undefined);
  const active = new Array<boolean>(n).fill(true);
  const feed = new Int32Array(n);
  const decoder = new KvDecoder(model, n);
  let processed = 0;
  try {
    for (let t = 0; active.some((a) => a); t++) {
      for (let b = 0; b < n; b++) {
        const prompt = prompts[b] as readonly number[];
        if (active[b]) feed[b] = t < prompt.length ? (prompt[t] as number) : ((tokens[b] as number[])[t - prompt.length] as number);
      }
      processed += active.filter((a) => a).length;
      const logits = decoder.step(feed, active);
      for (let b = 0; b < n; b++) {
        const prompt = prompts[b] as readonly number[];
        if (!active[b] || t < prompt.length - 1) continue;
        const s = sampleToken(logits, b * vocabSize, vocabSize, options, rngs[b]);
        (tokens[b] as number[]).push(s.token);
        (logProbs[b] as number[]).push(s.logProb);
        const reason: StopReason | undefined = stops.has(s.token) ? (s.token === eos ? "eos" : "step") : tokens[b]!.length >= maxNewTokens ? "length" : prompt.length + tokens[b]!.length >= maxLen ? "context" : undefined;
        if (reason !== undefined) [stopReasons[b], active[b]] = [reason, false];
      }
    }
  } finally {
    decoder.dispose();
  }
  return {
    tokens,
    logProbs,
    stopReasons: stopReasons as StopReason[],
    promptTokens: prompts.map((p) => p.length),
    generatedTokens: tokens.map((t) => t.length),
    processedTokens: processed,
  };
}
