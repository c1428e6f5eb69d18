import type { Rng } from "../core/rng.ts";
import type { DecoderAttention } from "./decoder-attention.ts";
import type { KvPrefix } from "./kv-span.ts";
import type { SamplingOptions } from "./sample-token.ts";

/** Per-sequence settings that override {@link GenerateOptions} for one sequence. */
export interface SequenceOptions extends SamplingOptions {
  /** This sequence's own random stream, used as given (not forked): its samples then do not depend on the batch it runs in. */
  rng?: Rng;
  /** Most tokens to generate for this sequence. */
  maxNewTokens?: number;
  /** Stop this sequence after it writes `eos`. */
  stopAtEos?: boolean;
  /**
   * K/V of this model for the prompt's first `cache.length` tokens (from an
   * earlier run, e.g. a `PrefixKvCache` lookup; at most prompt length − 1,
   * so that the row feeds at least its last prompt token): the row starts
   * there and feeds only the rest. The samples are the bits the row would
   * give feeding the whole prompt. Dense attention only.
   */
  cache?: KvPrefix;
}

export interface GenerateOptions extends SamplingOptions {
  /** Most tokens to generate per sequence. */
  maxNewTokens: number;
  /** Random source (required unless temperature is 0); sequence i draws from `rng.fork("seq-i")`, so results do not depend on the other sequences. */
  rng?: Rng;
  /** Stop a sequence after it writes `eos` (default true). */
  stopAtEos?: boolean;
  /** Stop a sequence after it writes the step separator `sep`, i.e. generate one step (default false). */
  stopAtStepEnd?: boolean;
  /** EOS id (default 2, the chain tokenizer's). */
  eos?: number;
  /** Step-separator id (default 3, the chain tokenizer's `"\n"`). */
  sep?: number;
  /**
   * Per-sequence overrides, one entry per prompt (default none). A sequence
   * with its own `rng` draws from it directly, so the same prompt with the same
   * `rng` gives the same tokens in any batch at any row (what a server that
   * batches unrelated requests needs).
   */
  sequences?: readonly SequenceOptions[];
  /**
   * Attention at decode steps (default dense): `{ kind: "block-topk", blockSize, density or topK, sinks, window }`
   * samples with Quest/Kinetics block top-k attention ({@link DecoderAttention}). Prompt tokens are
   * read with dense attention, as a prefill would; every generated token fed back attends sparsely.
   */
  attention?: DecoderAttention;
}

/** Why a sequence stopped: it wrote EOS, it wrote a step separator, it hit its token limit, it filled the model's context, or the caller stopped it (`Generation.stop`). */
export type StopReason = "eos" | "step" | "length" | "context" | "stopped";

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
  /**
   * Prompt tokens per sequence that were not run through the model for it:
   * read from `sequences[i].cache`, or copied from the row of an identical
   * prompt in the same call.
   */
  cachedTokens: number[];
  /** Tokens run through the model over all sequences (prompt − cached + generated − 1 each): the compute to charge. */
  processedTokens: number;
}
