import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { GenerateOptions, GenerateResult, SequenceOptions, StopReason } from "./generate-options.ts";
import { KvDecoder } from "./kv-decoder.ts";
import type { KvSpan } from "./kv-span.ts";
import { sampleToken } from "./sample-token.ts";
import type { Transformer } from "./transformer.ts";

export type { GenerateOptions, GenerateResult, SequenceOptions, StopReason } from "./generate-options.ts";

/**
 * Batched autoregressive sampling one step at a time: the loop inside
 * {@link generate}, opened up so that a caller can look at each new token,
 * stop single sequences (stop strings, cancelled requests) and yield to the
 * event loop between steps. All sequences advance in lockstep with a KV cache
 * ({@link KvDecoder}), each feeding its prompt token by token and then its own samples.
 *
 * Prompt sharing (dense attention): a row given `sequences[i].cache` starts
 * after the cached tokens; rows with identical prompts feed the prompt once —
 * one row (the one with the longest cache) reads all but its last token, the
 * others wait, then copy its cache and all feed the last token together. No
 * row's samples change: a row's arithmetic does not depend on the others.
 * After the run, {@link Generation.fedTokens} and {@link Generation.readKv}
 * give what a prefix cache keeps.
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
  private readonly seqs: Required<Omit<SequenceOptions, "rng" | "cache">>[];
  private readonly rngs: (Rng | undefined)[];
  private readonly active: boolean[];
  private readonly feed: Int32Array;
  /** Next index of prompt + generated tokens each row feeds. */
  private readonly cursor: Int32Array;
  /** Per row: the row whose prompt prefill it waits to copy (−1: it feeds its own). */
  private readonly leader: Int32Array;
  private readonly cached: number[];
  private readonly fed: boolean[];
  private readonly decoder: KvDecoder;
  private readonly eos: number;
  private readonly sep: number;
  private readonly stopAtStepEnd: boolean;
  private logits: Float32Array = new Float32Array(0);
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
    this.fed = new Array<boolean>(prompts.length).fill(false);
    this.decoder = new KvDecoder(model, prompts.length, options.attention === undefined ? {} : { attention: options.attention });
    const dense = options.attention === undefined || options.attention.kind === "dense";
    const starts = prompts.map((p, i) => {
      const c = per?.[i]?.cache;
      if (c === undefined) return 0;
      requireArg("generate", dense, "dense attention with a cached prefix (block top-k attention pages its cache)", options.attention?.kind);
      requireArg("generate", Number.isInteger(c.length) && c.length >= 0 && c.length < p.length, `a cached prefix shorter than its prompt (${p.length} tokens)`, c.length);
      return c.length;
    });
    this.cursor = Int32Array.from(starts);
    this.cached = [...starts];
    this.leader = new Int32Array(prompts.length).fill(-1);
    if (dense) this.shareIdenticalPrompts(starts);
    prompts.forEach((_, i) => {
      const c = per?.[i]?.cache;
      if (c !== undefined && c.length > 0 && this.leader[i] === -1) this.decoder.writeKv(i, c);
    });
  }

  /** Group rows by prompt: the row with the longest cache (the first on ties) prefills, the others wait for it. */
  private shareIdenticalPrompts(starts: readonly number[]): void {
    const groups = new Map<string, number[]>();
    this.prompts.forEach((p, i) => {
      const key = p.join(",");
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [i]);
      else g.push(i);
    });
    for (const rows of groups.values()) {
      if (rows.length < 2) continue;
      const lead = rows.reduce((a, i) => ((starts[i] as number) > (starts[a] as number) ? i : a));
      for (const i of rows) if (i !== lead) [this.leader[i], this.cached[i]] = [lead, 0];
    }
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
    for (let b = 0; b < n; b++) this.fork(b);
    for (let b = 0; b < n; b++) {
      const prompt = this.prompts[b] as readonly number[];
      const at = this.cursor[b] as number;
      this.fed[b] = this.active[b] === true && this.leader[b] === -1;
      if (this.fed[b]) this.feed[b] = at < prompt.length ? (prompt[at] as number) : ((this.tokens[b] as number[])[at - prompt.length] as number);
      this.sparseRows[b] = at >= prompt.length;
    }
    this.processed += this.fed.filter((f) => f).length;
    this.logits = this.decoder.step(this.feed, this.fed, this.sparseRows);
    for (let b = 0; b < n; b++) if (this.fed[b] && this.sparseRows[b]) this.decodeKeys[b]! += this.decoder.attendedKeys(b);
    const sampled: number[] = [];
    for (let b = 0; b < n; b++) {
      if (!this.fed[b]) continue;
      const prompt = this.prompts[b] as readonly number[];
      const at = this.cursor[b]!++;
      if (at < prompt.length - 1) continue;
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

  /** A waiting row copies its leader's cache once the leader has read all but the last prompt token. */
  private fork(b: number): void {
    const lead = this.leader[b] as number;
    const last = (this.prompts[b] as readonly number[]).length - 1;
    if (lead < 0 || !this.active[b] || (this.cursor[lead] as number) < last) return;
    this.decoder.copyRow(lead, b);
    [this.cursor[b], this.cached[b], this.leader[b]] = [last, last, -1];
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
    if (!this.active[row]) return;
    [this.stopReasons[row], this.active[row]] = [reason, false];
    // Rows waiting for this one's prefill take over from where it got to: the first becomes the others' leader.
    const waiting = this.leader.reduce<number[]>((a, l, b) => (l === row && this.active[b] ? [...a, b] : a), []);
    const next = waiting[0];
    if (next === undefined) return;
    this.decoder.copyRow(row, next);
    [this.cursor[next], this.cached[next], this.leader[next]] = [this.cursor[row] as number, this.cursor[row] as number, -1];
    for (const b of waiting.slice(1)) this.leader[b] = next;
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
      cachedTokens: [...this.cached],
      processedTokens: this.processed,
    };
  }

  /**
   * The tokens `row` has run through the model (or holds from its cache): its
   * prompt and generated tokens up to its decoder position — all but the last
   * sample once it stopped. A prefix cache keys {@link Generation.readKv}'s K/V by these.
   *
   * @returns a new array of token ids
   */
  fedTokens(row: number): number[] {
    requireArg("Generation.fedTokens", Number.isInteger(row) && row >= 0 && row < this.prompts.length, `a row in 0..${this.prompts.length - 1}`, row);
    return [...(this.prompts[row] as readonly number[]), ...(this.tokens[row] as number[])].slice(0, this.decoder.positions[row]);
  }

  /**
   * Copy of `row`'s K/V at positions [from, to) of {@link Generation.fedTokens} (dense attention; before {@link Generation.dispose}).
   *
   * @throws InvalidArgumentError as {@link KvDecoder.readKv}
   */
  readKv(row: number, from = 0, to?: number): KvSpan {
    return this.decoder.readKv(row, from, to);
  }

  /** Free the decoder's tensors. */
  dispose(): void {
    this.decoder.dispose();
  }
}
