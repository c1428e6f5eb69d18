import type { StopReason } from "../models/generation.ts";
import type { CharTokenizer } from "../tasks/char-tokenizer.ts";

/** OpenAI's legacy `logprobs` object (completions API). */
export interface CompletionLogprobs {
  /** Each generated token as text (`"<eos>"` for EOS). */
  tokens: string[];
  /** The model's log-probability (temperature 1) of each token. */
  token_logprobs: number[];
  /** Per token, the `logprobs` most likely tokens and their log-probabilities; null when `logprobs` is 0. */
  top_logprobs: Record<string, number>[] | null;
  /** Character offset of each token in the completion's text (tokens after a stop string sit at or past its end). */
  text_offset: number[];
}

/** One choice of a completion response (or of a stream chunk). */
export interface CompletionChoiceJson {
  index: number;
  text: string;
  logprobs: CompletionLogprobs | null;
  finish_reason: "stop" | "length" | null;
  /** vLLM's field: the stop string that ended the text, null for EOS, length, or while running. */
  stop_reason: string | null;
}

/**
 * The growing text of one completion choice: turns sampled tokens into text,
 * watches for stop strings, records log-probs, and hands out stream deltas
 * that never show text that may turn out to be the start of a stop string.
 *
 * Log-probs cover every token the model generated for the choice, the stop
 * string's tokens and EOS included (as vLLM reports them); the text omits the
 * stop string (unless `includeStopStr`) and EOS.
 */
export class CompletionChoice {
  /** Tokens generated. */
  generated = 0;
  finishReason: "stop" | "length" | null = null;
  stopReason: string | null = null;
  private full = "";
  private end: number | undefined;
  private streamedChars = 0;
  private streamedTokens = 0;
  private finishSent = false;
  private readonly lp: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  private readonly longestStop: number;

  /**
   * @param index - the choice's index in the response (prompt index × n + sample index)
   * @param stops - stop strings
   * @param topLogprobs - alternatives per token to report; undefined: no log-probs at all
   */
  constructor(
    readonly index: number,
    private readonly tokenizer: CharTokenizer,
    private readonly stops: readonly string[],
    private readonly includeStopStr: boolean,
    private readonly topLogprobs: number | undefined,
  ) {
    this.longestStop = Math.max(0, ...stops.map((s) => s.length));
  }

  /**
   * Add a sampled token.
   *
   * @param logits - [V] the step's logits for this sequence (for the top alternatives)
   * @returns true when a stop string has just completed (the caller stops the sequence)
   */
  push(token: number, logProb: number, logits: ArrayLike<number>): boolean {
    this.generated++;
    const name = this.tokenizer.vocab[token] as string;
    this.lp.tokens.push(name);
    this.lp.token_logprobs.push(logProb);
    this.lp.text_offset.push(this.full.length);
    if (this.topLogprobs !== undefined && this.topLogprobs > 0) this.lp.top_logprobs!.push(topAlternatives(logits, this.topLogprobs, this.tokenizer.vocab));
    if (this.finishReason !== null) return false;
    const before = this.full.length;
    if (token !== this.tokenizer.eos) this.full += this.tokenizer.decode([token]);
    let at = -1;
    let hit = "";
    for (const s of this.stops) {
      const i = this.full.indexOf(s, Math.max(0, before - s.length + 1));
      if (i >= 0 && (at < 0 || i < at)) [at, hit] = [i, s];
    }
    if (at < 0) return false;
    this.end = this.includeStopStr ? at + hit.length : at;
    [this.finishReason, this.stopReason] = ["stop", hit];
    return true;
  }

  /** Record why the decoder stopped the sequence (EOS → "stop"; token limit or full context → "length"). */
  finish(reason: StopReason): void {
    if (this.finishReason !== null) return;
    this.finishReason = reason === "length" || reason === "context" ? "length" : "stop";
  }

  /** The completion's text: everything decoded, cut before the stop string when one matched. */
  get text(): string {
    return this.full.slice(0, this.end ?? this.full.length);
  }

  /**
   * The part of the choice not yet streamed: new text (held back while it
   * could still begin a stop string) and the new tokens' log-probs.
   *
   * @returns a chunk choice, or undefined when there is nothing new
   */
  delta(): CompletionChoiceJson | undefined {
    const text = this.text;
    let upTo = text.length;
    if (this.finishReason === null) upTo -= this.heldBack();
    const newTokens = this.lp.tokens.length - this.streamedTokens;
    const finishNews = this.finishReason !== null && !this.finishSent;
    if (upTo <= this.streamedChars && newTokens === 0 && !finishNews) return undefined;
    this.finishSent = this.finishReason !== null;
    const piece = text.slice(this.streamedChars, Math.max(upTo, this.streamedChars));
    this.streamedChars = Math.max(upTo, this.streamedChars);
    const from = this.streamedTokens;
    this.streamedTokens = this.lp.tokens.length;
    return { index: this.index, text: piece, logprobs: this.logprobs(from), finish_reason: this.finishReason, stop_reason: this.stopReason };
  }

  /** The whole choice, for a non-streamed response. */
  toJSON(): CompletionChoiceJson {
    return { index: this.index, text: this.text, logprobs: this.logprobs(0), finish_reason: this.finishReason, stop_reason: this.stopReason };
  }

  private logprobs(from: number): CompletionLogprobs | null {
    if (this.topLogprobs === undefined) return null;
    const { tokens, token_logprobs, top_logprobs, text_offset } = this.lp;
    return {
      tokens: tokens.slice(from),
      token_logprobs: token_logprobs.slice(from),
      top_logprobs: this.topLogprobs > 0 ? top_logprobs!.slice(from) : null,
      text_offset: text_offset.slice(from),
    };
  }

  /** Trailing characters that are a proper prefix of some stop string. */
  private heldBack(): number {
    for (let k = Math.min(this.longestStop - 1, this.full.length); k > 0; k--) {
      const tail = this.full.slice(this.full.length - k);
      if (this.stops.some((s) => s.length > k && s.startsWith(tail))) return k;
    }
    return 0;
  }
}

/** The `k` most likely tokens (ties: lower id first) with their log-probabilities, keyed by token text. */
function topAlternatives(logits: ArrayLike<number>, k: number, vocab: readonly string[]): Record<string, number> {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  let z = 0;
  for (let i = 0; i < logits.length; i++) z += Math.exp((logits[i] as number) - max);
  const logZ = max + Math.log(z);
  const ids = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
  const out: Record<string, number> = {};
  for (const id of ids.slice(0, k)) out[vocab[id] as string] = (logits[id] as number) - logZ;
  return out;
}
