import { setMaxListeners } from "node:events";
import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { Policy, SampleStepsOptions, SampleStepsResult } from "../strategies/policy.ts";
import { parseCompletion, requestBody, toStepSample, type ChatMessage, type CompletionApi } from "./completion-protocol.ts";
import { HttpClient, type HttpClientOptions } from "./http-client.ts";
import { openAIBaseUrl } from "./openai-base-url.ts";
import { StepStream, type RemoteStepSample } from "./step-stream.ts";

/** Options of {@link OpenAICompatiblePolicy}. */
export interface OpenAICompatiblePolicyOptions {
  /** The OpenAI base URL, e.g. `http://127.0.0.1:8000/v1` (vLLM), `http://127.0.0.1:8080/v1` (llama.cpp), `http://127.0.0.1:11434/v1` (Ollama); a bare origin gets `/v1`. */
  endpoint: string;
  /** The served model name (`model` in every request). */
  model: string;
  /** Name for reports; default the model name. */
  name?: string;
  /** `"completions"` (default: the prefix is the raw prompt) or `"chat"` (the prefix becomes messages through `toMessages`). */
  api?: CompletionApi;
  /** The text that ends a step, sent as the stop string when `stopAtStepEnd`; default `"\n"`. */
  stepSeparator?: string;
  /** Stream every continuation (one request each) instead of waiting for whole responses; default false. */
  stream?: boolean;
  /**
   * Send one request per continuation (each with its own seed) instead of one request with `n`; default false. Splitting makes
   * continuation j of prefix i independent of `n` (same seed, same text where the server honours seeds); one request with `n`
   * lets the server share the prompt's prefill.
   */
  splitN?: boolean;
  /**
   * What a request's seed is, given the `Rng` it is drawn from (which fork: see {@link OpenAICompatiblePolicy}):
   * `"int"` (default) sends `r.seedInt()`, an integer every OpenAI-compatible server takes; `"key"` sends `r.key`, the
   * stream's key string, which `ttc serve` turns back into the same stream (`rng(key)`, choice j drawing from
   * `rng(key).fork("seq-<j>")`). With `"key"`, one request per prefix (no `stream`, no `splitN`) against `ttc serve`
   * returns exactly what `transformerPolicy` returns in-process for the same checkpoint and `Rng` — up to the model's
   * context: a continuation that fills it is `finished` in-process but `finish_reason: "length"` (not finished) from the
   * server, as vLLM reports it. vLLM, llama.cpp and Ollama refuse string seeds.
   */
  seedFormat?: "int" | "key";
  /** Ask for per-token log-probs (gives exact per-continuation token counts and `logProb`); default true. */
  logprobs?: boolean;
  /** Tokens of a text under the model's tokenizer, for cost accounting where the server does not report them; default ⌈characters / 4⌉ (a rough English average). */
  countTokens?: (text: string) => number;
  /** Chat only: the messages for a prefix; default one user message holding the prefix. */
  toMessages?: (prefix: string) => ChatMessage[];
  /** Vendor parameters merged into every request body, e.g. `{ top_k: 20 }` or vLLM's `{ include_stop_str_in_output: true }`. */
  extraBody?: Record<string, unknown>;
  /** A client to share (its concurrency limit then spans every user), or options for a new one. */
  http?: HttpClient | HttpClientOptions;
}

/** {@link SampleStepsOptions} plus an abort signal. */
export interface RemoteSampleStepsOptions extends SampleStepsOptions {
  /** Abort every request of the call. */
  signal?: AbortSignal;
}

/** {@link SampleStepsResult} whose samples carry their seed and finish reason. */
export interface RemoteSampleStepsResult extends SampleStepsResult {
  samples: RemoteStepSample[][];
}

/** Options of {@link OpenAICompatiblePolicy.streamStep}: one continuation. */
export type StreamStepOptions = Omit<RemoteSampleStepsOptions, "n">;

/**
 * A {@link Policy} backed by an OpenAI-compatible server (vLLM, llama.cpp,
 * Ollama, …) over `/v1/completions` or `/v1/chat/completions`, so that
 * best-of-N, beam search and early rejection run unchanged on a real model.
 * Each request carries a seed drawn from the caller's `Rng`: one request with
 * `n` for prefix i is seeded from `rng.fork("p<i>")`; a request per
 * continuation (`stream`, `splitN`, or `n` = 1 with integer seeds) from
 * `rng.fork("p<i>-s<j>")`. Runs repeat where the server honours seeds (vLLM
 * does, per request). With `seedFormat: "key"` the seed is the fork's key
 * string and `n` = 1 is sent like any `n`, so against `ttc serve` continuation
 * j of prefix i draws from `rng.fork("p<i>").fork("seq-<j>")`, as
 * `transformerPolicy` does in-process (streamed and split requests draw from
 * `rng.fork("p<i>-s<j>").fork("seq-0")` instead). Step ends
 * and solution ends are told apart by vLLM's `stop_reason` (see
 * {@link toStepSample} for other servers). Concurrency, timeouts and retries
 * are the {@link HttpClient}'s.
 *
 * @example
 * const policy = new OpenAICompatiblePolicy({ endpoint: "http://127.0.0.1:8000/v1", model: "Qwen/Qwen2.5-1.5B-Instruct", stepSeparator: "\n\n" });
 * const { samples } = await policy.sampleSteps([prompt], { n: 8, maxTokens: 1024, stopAtStepEnd: false, temperature: 0.8, rng: rng(1) });
 * @see Policy in lib/strategies/policy.ts
 */
export class OpenAICompatiblePolicy implements Policy {
  readonly name: string;
  readonly stepSeparator: string;
  readonly model: string;
  readonly api: CompletionApi;
  /** The URL requests go to. */
  readonly url: string;
  readonly http: HttpClient;
  private readonly options: OpenAICompatiblePolicyOptions;

  /** @throws InvalidArgumentError for an endpoint that is not an http(s) URL, an empty model name, an empty separator, or an unknown seedFormat */
  constructor(options: OpenAICompatiblePolicyOptions) {
    this.options = options;
    this.model = options.model;
    requireArg("OpenAICompatiblePolicy", typeof options.model === "string" && options.model !== "", "a model name", options.model);
    requireArg("OpenAICompatiblePolicy", options.seedFormat === undefined || options.seedFormat === "int" || options.seedFormat === "key", 'seedFormat "int" or "key"', options.seedFormat);
    this.name = options.name ?? options.model;
    this.stepSeparator = options.stepSeparator ?? "\n";
    requireArg("OpenAICompatiblePolicy", this.stepSeparator !== "", "a non-empty stepSeparator", this.stepSeparator);
    this.api = options.api ?? "completions";
    this.url = `${openAIBaseUrl("OpenAICompatiblePolicy", options.endpoint)}/${this.api === "chat" ? "chat/completions" : "completions"}`;
    this.http = options.http instanceof HttpClient ? options.http : new HttpClient(options.http);
  }

  /** Tokens of `text` (the `countTokens` option; default ⌈characters / 4⌉). */
  countTokens(text: string): number {
    return this.options.countTokens ? this.options.countTokens(text) : Math.ceil(text.length / 4);
  }

  /**
   * Sample `n` continuations of every prefix.
   *
   * @param prefixes - full texts so far (prompt plus steps)
   * @param options - sampling settings, `rng` for the seeds, optional abort `signal`
   * @returns `samples[i][j]` with seeds and finish reasons; usage counts each continuation's prompt once
   * @throws InvalidArgumentError for a bad n, maxTokens, temperature or topP
   * @throws HttpRequestError when a request fails for good (the other requests of the call are then aborted)
   */
  async sampleSteps(prefixes: readonly string[], options: RemoteSampleStepsOptions): Promise<RemoteSampleStepsResult> {
    const n = options.n ?? 1;
    const fn = "OpenAICompatiblePolicy.sampleSteps";
    requireArg(fn, Number.isSafeInteger(n) && n >= 1, "a positive integer n", n);
    checkSampling(fn, options);
    const abort = new AbortController();
    // Every request of the call listens to this signal (more than Node's default warning limit of 10 when n or the prefixes are many).
    setMaxListeners(0, abort.signal);
    const onAbort = () => abort.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const split = this.options.stream || this.options.splitN || (n === 1 && this.options.seedFormat !== "key");
    let promptTokens = 0;
    let generatedTokens = 0;
    try {
      const perPrefix = prefixes.map(async (prefix, i): Promise<RemoteStepSample[]> => {
        if (!split) {
          const r = await this.request(prefix, options, n, options.rng.fork(`p${i}`), abort.signal);
          promptTokens += r.promptTokens;
          generatedTokens += r.generatedTokens;
          return r.samples;
        }
        const one = Array.from({ length: n }, async (_, j) => {
          const r = options.rng.fork(`p${i}-s${j}`);
          if (this.options.stream) {
            const s = this.openStream(prefix, options, r, abort.signal);
            const sample = await s.result;
            promptTokens += (s.promptTokens ?? this.countTokens(prefix));
            generatedTokens += sample.tokens;
            return sample;
          }
          const res = await this.request(prefix, options, 1, r, abort.signal);
          promptTokens += res.promptTokens;
          generatedTokens += res.generatedTokens;
          return res.samples[0] as RemoteStepSample;
        });
        return Promise.all(one);
      });
      const samples = await Promise.all(perPrefix).catch((e: unknown) => {
        abort.abort(e);
        throw e;
      });
      return { samples, usage: { promptTokens, generatedTokens } };
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Stream one continuation of `prefix`: read it as it is generated, stop it
   * after τ tokens with `cancel()`. Its seed is `rng.fork("p0-s0")`'s, so it
   * matches `sampleSteps([prefix], { n: 1, ... })`.
   *
   * @param prefix - the full text so far
   * @param options - sampling settings (no `n`), `rng`, optional abort `signal`
   * @returns the running stream; its `result` settles when it ends
   * @throws InvalidArgumentError for a bad maxTokens, temperature or topP
   */
  streamStep(prefix: string, options: StreamStepOptions): StepStream {
    checkSampling("OpenAICompatiblePolicy.streamStep", options);
    return this.openStream(prefix, options, options.rng.fork("p0-s0"), options.signal);
  }

  /** The seed of a request drawn from `r` (see {@link OpenAICompatiblePolicyOptions.seedFormat}). */
  private seedOf(r: Rng): number | string {
    return this.options.seedFormat === "key" ? r.key : r.seedInt();
  }

  private openStream(prefix: string, options: StreamStepOptions, r: Rng, signal: AbortSignal | undefined): StepStream {
    const seed = this.seedOf(r);
    const body = this.body(prefix, options, 1, seed, true);
    return new StepStream({ http: this.http, url: this.url, body, api: this.api, seed, stopAtStepEnd: options.stopAtStepEnd, separator: this.stepSeparator, ...(signal ? { signal } : {}) });
  }

  /** One non-streamed request for `n` continuations of `prefix`. */
  private async request(prefix: string, options: StreamStepOptions, n: number, r: Rng, signal: AbortSignal): Promise<{ samples: RemoteStepSample[]; promptTokens: number; generatedTokens: number }> {
    const seed = this.seedOf(r);
    const json = await this.http.postJson(this.url, this.body(prefix, options, n, seed, false), { signal });
    const parsed = parseCompletion(this.api, json, this.url);
    const choices = [...parsed.choices].sort((a, b) => a.index - b.index);
    requireArg("OpenAICompatiblePolicy.sampleSteps", choices.length === n, `the server to return n = ${n} choices from ${this.url}`, choices.length);
    const samples = choices.map((c): RemoteStepSample => {
      const tokens = n === 1 && parsed.usage ? parsed.usage.completionTokens : (c.tokens ?? this.countTokens(c.text));
      const sample = toStepSample({ ...c, tokens }, options.stopAtStepEnd, this.stepSeparator);
      return { ...sample, seed, finishReason: c.finishReason ?? "unknown" };
    });
    const generatedTokens = parsed.usage?.completionTokens ?? samples.reduce((a, s) => a + s.tokens, 0);
    const promptTokens = (parsed.usage?.promptTokens ?? this.countTokens(prefix)) * n;
    return { samples, promptTokens, generatedTokens };
  }

  private body(prefix: string, options: StreamStepOptions, n: number, seed: number | string, stream: boolean): Record<string, unknown> {
    const input = this.api === "chat" ? (this.options.toMessages ?? defaultMessages)(prefix) : prefix;
    return requestBody(
      this.api,
      this.model,
      input,
      {
        maxTokens: options.maxTokens,
        temperature: options.temperature,
        topP: options.topP ?? 1,
        n,
        seed,
        stop: options.stopAtStepEnd ? [this.stepSeparator] : [],
        logprobs: this.options.logprobs ?? true,
        stream,
      },
      this.options.extraBody,
    );
  }
}

function defaultMessages(prefix: string): ChatMessage[] {
  return [{ role: "user", content: prefix }];
}

function checkSampling(fn: string, o: StreamStepOptions): void {
  requireArg(fn, Number.isSafeInteger(o.maxTokens) && o.maxTokens >= 1, "a positive integer maxTokens", o.maxTokens);
  requireArg(fn, Number.isFinite(o.temperature) && o.temperature >= 0, "temperature >= 0", o.temperature);
  const topP = o.topP ?? 1;
  requireArg(fn, topP > 0 && topP <= 1, "topP in (0, 1]", topP);
}
