import type { Rng } from "../core/rng.ts";
import type { SequenceOptions, StopReason } from "../models/generation.ts";
import type { CharTokenizer } from "../tasks/char-tokenizer.ts";
import type { DecodeJob, JobBatchInfo } from "./decode-batcher.ts";
import { CompletionChoice, type CompletionChoiceJson } from "./completion-choice.ts";
import type { CompletionRequest } from "./completion-request.ts";

/** Token counts of a completion, in OpenAI's shape. */
export interface CompletionUsage {
  /** Prompt tokens (BOS included), each prompt counted once however large `n` is. */
  prompt_tokens: number;
  /** Tokens generated over all choices, stop tokens and EOS included. */
  completion_tokens: number;
  total_tokens: number;
}

/** A non-streamed completion response (`object: "text_completion"`). */
export interface CompletionResponse {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  choices: CompletionChoiceJson[];
  usage: CompletionUsage | null;
}

/** Where a job's output goes: stream chunks as they come, then exactly one `end`. */
export interface CompletionSink {
  /** A stream chunk (only for `stream: true`). */
  chunk(data: CompletionResponse): void;
  /**
   * The job is over: `error` when decoding failed; otherwise the full response
   * (non-streamed) or, for a stream, the usage chunk when it was asked for.
   */
  end(result: { response?: CompletionResponse; error?: unknown; info: JobBatchInfo }): void;
}

/**
 * One `/v1/completions` request as a {@link DecodeJob}: `n` sequences per
 * prompt (choice `i` = prompt index × n + sample index), each drawing from
 * `rng.fork("seq-i")` where `rng` is the request's own stream — so a request
 * with a seed gets the same tokens as `generate(model, prompts, { rng })`
 * with each prompt repeated `n` times, whatever it is batched with.
 */
export class CompletionJob implements DecodeJob {
  readonly prompts: number[][];
  readonly sequences: SequenceOptions[];
  private readonly choices: CompletionChoice[];
  private isCancelled = false;

  /**
   * @param request - the validated request
   * @param rng - the request's random stream (from its seed, or the server's)
   * @param id - response id, e.g. `"cmpl-7"`
   * @param created - Unix seconds
   */
  constructor(
    private readonly request: CompletionRequest,
    rng: Rng,
    tokenizer: CharTokenizer,
    readonly id: string,
    private readonly created: number,
    private readonly sink: CompletionSink,
  ) {
    const r = request;
    this.prompts = r.prompts.flatMap((p) => Array.from({ length: r.n }, () => p));
    this.sequences = this.prompts.map((_, i) => ({
      temperature: r.temperature,
      topP: r.topP,
      maxNewTokens: r.maxTokens[Math.floor(i / r.n)] as number,
      stopAtEos: !r.ignoreEos,
      ...(r.temperature === 0 ? {} : { rng: rng.fork(`seq-${i}`) }),
    }));
    this.choices = this.prompts.map((_, i) => new CompletionChoice(i, tokenizer, r.stop, r.includeStopStr, r.logprobs));
  }

  get cancelled(): boolean {
    return this.isCancelled;
  }

  /** Stop decoding this request (its client went away); the sink gets no more output. */
  cancel(): void {
    this.isCancelled = true;
  }

  onToken(seq: number, token: number, logProb: number, logits: Float32Array, reason: StopReason | undefined): boolean {
    const choice = this.choices[seq] as CompletionChoice;
    const matched = choice.push(token, logProb, logits);
    if (reason !== undefined) choice.finish(reason);
    if (this.request.stream && !this.isCancelled) {
      const delta = choice.delta();
      if (delta !== undefined) this.sink.chunk(this.envelope([delta], null));
    }
    return matched;
  }

  onDone(info: JobBatchInfo, error?: unknown): void {
    if (this.isCancelled) return this.sink.end({ info });
    if (error !== undefined) return this.sink.end({ error, info });
    const usage = this.usage();
    if (!this.request.stream) return this.sink.end({ response: this.envelope(this.choices.map((c) => c.toJSON()), usage), info });
    this.sink.end({ info, ...(this.request.includeUsage ? { response: this.envelope([], usage) } : {}) });
  }

  /** Token counts so far. */
  usage(): CompletionUsage {
    const prompt = this.request.prompts.reduce((a, p) => a + p.length, 0);
    const completion = this.choices.reduce((a, c) => a + c.generated, 0);
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  }

  private envelope(choices: CompletionChoiceJson[], usage: CompletionUsage | null): CompletionResponse {
    return { id: this.id, object: "text_completion", created: this.created, model: this.request.model, choices, usage };
  }
}
