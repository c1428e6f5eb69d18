import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { DecoderAttention } from "./decoder-attention.ts";
import { KvDecoder } from "./kv-decoder.ts";
import { sampleToken, type SamplingOptions } from "./sample-token.ts";
import type { Transformer } from "./transformer.ts";

/** Per-sequence settings that override {@link GenerateOptions} for one sequence. */
export interface SequenceOptions extends SamplingOptions {
  /** This sequence's own random stream, used as given (not forked): its samples then do not depend on the batch it runs in. */
  rng?: Rng;
  /** Most tokens to generate for this sequence. */
  maxNewTokens?: number;
  /** Stop this sequence after it writes `eos`. */
  stopAtEos?: boolean;
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

/** Why a sequence stopped: it wrote EOS, it wrote a step separator, it hit its token limit, it filled the model's context, or the caller stopped it ({@link Generation.stop}). */
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
  /** Tokens run through the model over all sequences (prompt + generated − 1 each): the compute to charge. */
  processedTokens: number;
}

/**
 * Batched autoregressive sampling one step at a time: the loop inside
 * {@link generate}, opened up so that a caller can look at each new token,
 * stop single sequences (stop strings, cancelled requests) and yield to the
 * event loop between steps. All sequences advance in lockstep with a KV cache
 * ({@link KvDecoder}), each feeding its prompt token by token and then its own samples.
 *
 * Owns a decoder: call {@link Generation.dispose} (the model is not disposed).
 *
 * @example
 * const g = new Generation(model, prompts, { maxNewTokens: 20, temperature: 0 });
 * try { while (g.running) for (const row of g.step()) console.log(row, g.tokens[row]!.at(-1)); } finally { g.dispose(); }
 * @see generate for the one-call form
 */
export class Generation {
  /** Generated ids per sequence so far. */
  readonly tokens: number[][];
  /** Log-probability (temperature 1) of each generated token. */
  readonly logProbs: number[][];
  /** Why each sequence stopped (undefined while it runs). */
  readonly stopReasons: (StopReason | undefined)[];
  /**
   * Per sequence, the keys one query head attended summed over the steps that
   * fed a generated token (the decode steps Kinetics prices), averaged over
   * layers: with dense attention Σ (prompt + i) for i = 1 … generated − 1.
   */
  readonly decodeKeys: number[];
  private readonly sparseRows: boolean[];
  private readonly prompts: readonly (readonly number[])[];
  private readonly seqs: Required<Omit<SequenceOptions, "rng">>[];
  private readonly rngs: (Rng | undefined)[];
  private readonly active: boolean[];
  private readonly feed: Int32Array;
  private readonly decoder: KvDecoder;
  private readonly eos: number;
  private readonly sep: number;
  private readonly stopAtStepEnd: boolean;
  private logits: Float32Array = new Float32Array(0);
  private t = 0;
  private processed = 0;

  /**
   * @param prompts - token ids per sequence (BOS first), each non-empty and shorter than maxLen
   * @throws InvalidArgumentError on empty prompts, a missing rng when sampling, or bad options (reported as from `generate`)
   */
  constructor(
    private readonly model: Transformer,
    prompts: readonly (readonly number[])[],
    options: GenerateOptions,
  ) {
    const { maxLen } = model.config;
    requireArg("generate", prompts.length >= 1 && prompts.every((p) => p.length >= 1 && p.length < maxLen), `1 or more prompts of 1..${maxLen - 1} tokens`, prompts.map((p) => p.length));
    const per = options.sequences;
    requireArg("generate", per === undefined || per.length === prompts.length, `one sequences entry per prompt (${prompts.length})`, per?.length);
    this.seqs = prompts.map((_, i) => {
      const s = per?.[i] ?? {};
      const maxNewTokens = s.maxNewTokens ?? options.maxNewTokens;
      const temperature = s.temperature ?? options.temperature ?? 1;
      const topP = s.topP ?? options.topP ?? 1;
      requireArg("generate", Number.isSafeInteger(maxNewTokens) && maxNewTokens >= 1, "a positive integer maxNewTokens", maxNewTokens);
      requireArg("generate", temperature >= 0 && topP > 0 && topP <= 1, "temperature ≥ 0 and topP in (0, 1]", { temperature, topP });
      return { maxNewTokens, temperature, topP, stopAtEos: s.stopAtEos ?? options.stopAtEos ?? true };
    });
    this.rngs = prompts.map((_, i) => {
      if (this.seqs[i]!.temperature === 0) return undefined;
      const r = per?.[i]?.rng ?? options.rng?.fork(`seq-${i}`);
      requireArg("generate", r !== undefined, "an rng unless temperature is 0", r);
      return r;
    });
    [this.eos, this.sep, this.stopAtStepEnd] = [options.eos ?? 2, options.sep ?? 3, options.stopAtStepEnd ?? false];
    this.prompts = prompts;
    this.tokens = prompts.map(() => []);
    this.logProbs = prompts.map(() => []);
    this.stopReasons = new Array(prompts.length).fill(undefined);
    this.active = new Array<boolean>(prompts.length).fill(true);
    this.feed = new Int32Array(prompts.length);
    this.decodeKeys = new Array<number>(prompts.length).fill(0);
    this.sparseRows = new Array<boolean>(prompts.length).fill(false);
    this.decoder = new KvDecoder(model, prompts.length, options.attention === undefined ? {} : { attention: options.attention });
  }

  /** Whether any sequence is still generating. */
  get running(): boolean {
    return this.active.some((a) => a);
  }

  /**
   * Advance every running sequence by one token (a prompt token or a sample).
   *
   * @returns the rows that sampled a new token in this step (their last entry in `tokens`/`logProbs`)
   */
  step(): number[] {
    const n = this.prompts.length;
    const { vocabSize, maxLen } = this.model.config;
    const t = this.t++;
    for (let b = 0; b < n; b++) {
      const prompt = this.prompts[b] as readonly number[];
      if (this.active[b]) this.feed[b] = t < prompt.length ? (prompt[t] as number) : ((this.tokens[b] as number[])[t - prompt.length] as number);
      this.sparseRows[b] = t >= prompt.length;
    }
    this.processed += this.active.filter((a) => a).length;
    this.logits = this.decoder.step(this.feed, this.active, this.sparseRows);
    for (let b = 0; b < n; b++) if (this.active[b] && this.sparseRows[b]) this.decodeKeys[b]! += this.decoder.attendedKeys(b);
    const sampled: number[] = [];
    for (let b = 0; b < n; b++) {
      const prompt = this.prompts[b] as readonly number[];
      if (!this.active[b] || t < prompt.length - 1) continue;
      const seq = this.seqs[b]!;
      const s = sampleToken(this.logits, b * vocabSize, vocabSize, seq, this.rngs[b]);
      const toks = this.tokens[b] as number[];
      toks.push(s.token);
      (this.logProbs[b] as number[]).push(s.logProb);
      sampled.push(b);
      const stopped = (seq.stopAtEos && s.token === this.eos) || (this.stopAtStepEnd && s.token === this.sep);
      const reason: StopReason | undefined = stopped ? (s.token === this.eos ? "eos" : "step") : toks.length >= seq.maxNewTokens ? "length" : prompt.length + toks.length >= maxLen ? "context" : undefined;
      if (reason !== undefined) [this.stopReasons[b], this.active[b]] = [reason, false];
    }
    return sampled;
  }

  /**
   * The next-token logits of `row` from the latest step (temperature 1, before
   * any nucleus truncation): a view, valid until the next step.
   *
   * @returns [V] logits
   */
  logitsOf(row: number): Float32Array {
    const v = this.model.config.vocabSize;
    return this.logits.subarray(row * v, (row + 1) * v);
  }

  /** Stop one sequence now (no-op when it already stopped); its tokens so far are kept. */
  stop(row: number, reason: StopReason = "stopped"): void {
    requireArg("Generation.stop", Number.isInteger(row) && row >= 0 && row < this.prompts.length, `a row in 0..${this.prompts.length - 1}`, row);
    if (this.active[row]) [this.stopReasons[row], this.active[row]] = [reason, false];
  }

  /** Whether `row` is still generating. */
  isRunning(row: number): boolean {
    return this.active[row] === true;
  }

  /** Everything generated so far, in {@link generate}'s shape (stop reasons of running rows are undefined). */
  result(): GenerateResult {
    return {
      tokens: this.tokens,
      logProbs: this.logProbs,
      stopReasons: this.stopReasons as StopReason[],
      promptTokens: this.prompts.map((p) => p.length),
      generatedTokens: this.tokens.map((t) => t.length),
      processedTokens: this.processed,
    };
  }

  /** Free the decoder's tensors. */
  dispose(): void {
    this.decoder.dispose();
  }
}
