import { TtcError } from "../core/errors.ts";
import type { StepSample } from "../strategies/policy.ts";
import { parseCompletion, toStepSample, type CompletionApi } from "./completion-protocol.ts";
import type { HttpClient } from "./http-client.ts";

/** A {@link StepSample} from a server, with what the server said about it. */
export interface RemoteStepSample extends StepSample {
  /** The seed sent with the request: an integer, or an `Rng` key string (`seedFormat: "key"`). */
  seed: number | string;
  /** The server's `finish_reason` (`"stop"`, `"length"`, ...), or `"cancelled"` when the caller stopped the stream. */
  finishReason: string;
}

/** A piece of a streamed continuation. */
export interface StreamDelta {
  /** New text. */
  text: string;
  /** Tokens in this piece. */
  tokens: number;
  /** Tokens generated so far, this piece included. */
  totalTokens: number;
}

/** What {@link StepStream} needs to run one streamed request. */
export interface StepStreamInit {
  http: HttpClient;
  url: string;
  /** The request body, `stream: true` set. */
  body: Record<string, unknown>;
  api: CompletionApi;
  seed: number | string;
  stopAtStepEnd: boolean;
  separator: string;
  /** Abort from outside (like {@link StepStream.cancel}). */
  signal?: AbortSignal;
}

/**
 * One continuation streamed from the server as it is generated. Read it as an
 * async iterable of {@link StreamDelta}s, or wait for a token count with
 * {@link untilTokens}; {@link cancel} closes the connection, which makes the
 * server stop decoding — what early rejection needs to save compute on a real
 * server: stream N continuations, score each after τ tokens, cancel the
 * rejected ones and let the others run on. Tokens are counted from the
 * per-token log-probs when the server sends them, else one per non-empty
 * chunk; the final usage report, when one arrives, gives the exact total.
 *
 * @example
 * const s = policy.streamStep(prefix, { maxTokens: 512, stopAtStepEnd: false, temperature: 0.8, rng: r });
 * await s.untilTokens(64);
 * if (await looksWrong(s.text)) s.cancel();
 * const sample = await s.result; // finishReason "cancelled" when cancelled
 */
export class StepStream implements AsyncIterable<StreamDelta> {
  /** Text generated so far. */
  text = "";
  /** Tokens generated so far. */
  tokens = 0;
  /** Prompt tokens, once the server's final usage report has arrived. */
  promptTokens: number | undefined;
  /** True once the stream has ended (finished, cancelled or failed). */
  done = false;
  /** The continuation once the stream ends; rejects with an {@link HttpRequestError} when the stream fails. */
  readonly result: Promise<RemoteStepSample>;
  private readonly abort = new AbortController();
  private cancelled = false;
  private readonly deltas: StreamDelta[] = [];
  private wake: (() => void)[] = [];
  private failure: unknown;

  constructor(private readonly init: StepStreamInit) {
    const outer = init.signal;
    if (outer?.aborted) this.cancel();
    else outer?.addEventListener("abort", () => this.cancel(), { once: true });
    this.result = this.run();
    this.result.catch(() => undefined); // a caller who only iterates still sees the error there; never unhandled
  }

  /** The seed sent with the request (an integer, or an `Rng` key string). */
  get seed(): number | string {
    return this.init.seed;
  }

  /** Stop generating now: closes the connection. The result then has `finishReason: "cancelled"`. Does nothing once the stream has ended. */
  cancel(): void {
    if (this.done || this.cancelled) return;
    this.cancelled = true;
    this.abort.abort(new TtcError("StepStream cancelled"));
  }

  /**
   * Wait until at least `tokens` tokens have been generated or the stream has ended.
   *
   * @param tokens - the count to wait for
   * @returns the token count reached (less than `tokens` when the stream ended first)
   */
  async untilTokens(tokens: number): Promise<number> {
    while (!this.done && this.tokens < tokens) await new Promise<void>((r) => this.wake.push(r));
    return this.tokens;
  }

  /** The deltas from the start (a late reader sees the earlier ones too); ends when the stream ends, throws when it failed. */
  async *[Symbol.asyncIterator](): AsyncIterator<StreamDelta> {
    let i = 0;
    for (;;) {
      while (i < this.deltas.length) yield this.deltas[i++] as StreamDelta;
      if (this.done) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((r) => this.wake.push(r));
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const r of w) r();
  }

  private async run(): Promise<RemoteStepSample> {
    const { http, url, body, api } = this.init;
    let finishReason: string | null = null;
    let stopReason: string | number | null | undefined;
    let logProb: number | undefined;
    let reported: number | undefined;
    try {
      for await (const data of http.streamEvents(url, body, { signal: this.abort.signal })) {
        if (data.trim() === "[DONE]") break;
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch {
          throw new TtcError(`${url} streamed an event that is not JSON: ${data.slice(0, 120)}`);
        }
        const chunk = parseCompletion(api, json, url);
        if (chunk.usage) {
          reported = chunk.usage.completionTokens;
          this.promptTokens = chunk.usage.promptTokens;
        }
        for (const c of chunk.choices) {
          const tokens = c.tokens ?? (c.text === "" ? 0 : 1);
          if (c.logProb !== undefined) logProb = (logProb ?? 0) + c.logProb;
          if (c.finishReason !== null) finishReason = c.finishReason;
          if (c.stopReason !== undefined) stopReason = c.stopReason;
          if (c.text === "" && tokens === 0) continue;
          this.text += c.text;
          this.tokens += tokens;
          this.deltas.push({ text: c.text, tokens, totalTokens: this.tokens });
        }
        this.notify();
      }
      if (reported !== undefined && !this.cancelled) this.tokens = reported;
    } catch (e) {
      if (!this.cancelled) this.failure = e;
    } finally {
      this.done = true;
      this.notify();
    }
    if (this.failure !== undefined) throw this.failure;
    const outcome = { text: this.text, finishReason: finishReason ?? (this.cancelled ? "cancelled" : null), stopReason, tokens: this.tokens, logProb };
    return { ...toStepSample(outcome, this.init.stopAtStepEnd, this.init.separator), seed: this.init.seed, finishReason: outcome.finishReason ?? "unknown" };
  }
}
