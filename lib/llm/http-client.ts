import { requireArg } from "../core/errors.ts";
import { rng as makeRng, type Rng } from "../core/rng.ts";
import { HttpRequestError, type HttpFailureKind } from "./http-request-error.ts";
import { retryAfterMs, retryDelayMs } from "./retry-delay.ts";
import { Semaphore } from "./semaphore.ts";
import { sseData } from "./sse.ts";

/** Options of {@link HttpClient}. Every field has a default. */
export interface HttpClientOptions {
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** Most requests in flight at once (streams count until they end); default 8. */
  concurrency?: number;
  /** Per attempt: time to the response headers and body; for streams, also the longest gap between events (ms). Default 120 000. */
  timeoutMs?: number;
  /** Retries after the first attempt on 408 / 429 / 5xx, connection errors, timeouts and malformed bodies; default 4. */
  maxRetries?: number;
  /** Backoff before the first retry, before jitter (ms); default 500. */
  baseDelayMs?: number;
  /** Largest backoff, before jitter (ms); default 20 000. */
  maxDelayMs?: number;
  /** Longest `Retry-After` wait honoured (ms); a server asking for more fails the call instead. Default 120 000. */
  maxRetryAfterMs?: number;
  /** Random source of the backoff jitter; default `rng("ttc-llm-http")`. */
  rng?: Rng;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** How to wait between retries (tests record the delays instead of sleeping); default a timer that the call's signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Per-call options. */
export interface RequestOptions {
  /** Abort the call (the rejection is the signal's reason, not an {@link HttpRequestError}). */
  signal?: AbortSignal;
}

/** A failed attempt, classified. */
interface Failure {
  kind: HttpFailureKind;
  retryable: boolean;
  status?: number;
  serverMessage?: string;
  waitMs?: number;
  cause?: unknown;
}

class AttemptFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

/**
 * The transport under the OpenAI-compatible policy and verifiers: JSON POSTs
 * and server-sent-event streams over Node's built-in `fetch`, with a
 * concurrency limit, per-attempt timeouts, and retries with exponential
 * backoff and seeded jitter on 408 / 429 / 5xx, connection errors, timeouts
 * and malformed bodies. A `Retry-After` (or `retry-after-ms`) header sets the
 * wait instead of the backoff. Any other 4xx fails at once. A request holds
 * its concurrency slot while it waits to retry, so a server that pushes back
 * also slows the queue behind it.
 *
 * @example
 * const http = new HttpClient({ concurrency: 16, timeoutMs: 60_000 });
 * const body = await http.postJson("http://127.0.0.1:8000/v1/completions", { model: "m", prompt: "1+1=" });
 */
export class HttpClient {
  private readonly slots: Semaphore;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly rng: Rng;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly headers: Record<string, string>;

  /**
   * @param options - see {@link HttpClientOptions}
   * @throws InvalidArgumentError for a non-positive concurrency or timeout, or a negative retry count
   */
  constructor(private readonly options: HttpClientOptions = {}) {
    this.slots = new Semaphore(options.concurrency ?? 8);
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxRetries = options.maxRetries ?? 4;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    requireArg("HttpClient", this.timeoutMs > 0, "timeoutMs > 0", this.timeoutMs);
    requireArg("HttpClient", Number.isSafeInteger(this.maxRetries) && this.maxRetries >= 0, "an integer maxRetries >= 0", this.maxRetries);
    this.rng = options.rng ?? makeRng("ttc-llm-http");
    this.sleep = options.sleep ?? sleepFor;
    this.headers = { "content-type": "application/json", accept: "application/json", ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers };
  }

  /** Requests holding a concurrency slot right now. */
  get inFlight(): number {
    return this.slots.inUse;
  }

  /**
   * POST `body` as JSON and return the parsed JSON response.
   *
   * @param url - absolute URL
   * @param body - request body (serialised with `JSON.stringify`)
   * @param options - abort signal
   * @returns the response body, parsed
   * @throws HttpRequestError when the call fails for good (names method, URL, status and the server's message)
   */
  async postJson(url: string, body: unknown, options: RequestOptions = {}): Promise<unknown> {
    const release = await this.slots.acquire(options.signal);
    try {
      for (let attempt = 0; ; attempt++) {
        const attemptAbort = new AbortController();
        const timer = this.armTimeout(attemptAbort, options.signal);
        try {
          const response = await this.send(url, body, attemptAbort, timer, options.signal);
          const text = await response.text().catch((e: unknown) => this.throwFetchFailure(e, timer, options.signal));
          try {
            return JSON.parse(text) as unknown;
          } catch {
            throw new AttemptFailed({ kind: "protocol", retryable: true, serverMessage: `malformed JSON body (${text.length} characters): ${text.slice(0, 80)}` });
          }
        } catch (e) {
          await this.retryOrThrow(e, attempt, url, options.signal);
        } finally {
          timer.clear();
        }
      }
    } finally {
      release();
    }
  }

  /**
   * POST `body` and read the response as server-sent events. Failures before
   * the first event are retried like {@link postJson}; once an event has been
   * yielded, a failure (or a gap longer than `timeoutMs`) ends the stream with
   * an {@link HttpRequestError}, since a retry would repeat what the caller already
   * saw. Stopping the iteration (or aborting `signal`) closes the connection,
   * which makes vLLM and llama.cpp stop generating.
   *
   * @param url - absolute URL
   * @param body - request body; set its `stream: true` yourself
   * @param options - abort signal
   * @returns the `data` of each event (`"[DONE]"` included when the server sends it)
   * @throws HttpRequestError when the stream cannot be opened or breaks
   */
  async *streamEvents(url: string, body: unknown, options: RequestOptions = {}): AsyncGenerator<string> {
    const release = await this.slots.acquire(options.signal);
    try {
      let yielded = false;
      for (let attempt = 0; ; attempt++) {
        const attemptAbort = new AbortController();
        const timer = this.armTimeout(attemptAbort, options.signal);
        let events: AsyncGenerator<string> | undefined;
        try {
          const response = await this.send(url, body, attemptAbort, timer, options.signal);
          if (response.body === null) throw new AttemptFailed({ kind: "protocol", retryable: true, serverMessage: "no response body" });
          events = sseData(response.body);
          for (;;) {
            timer.restart();
            const next = await events.next().catch((e: unknown) => this.throwFetchFailure(e, timer, options.signal));
            if (next.done) return;
            yielded = true;
            yield next.value;
          }
        } catch (e) {
          if (yielded && e instanceof AttemptFailed) throw this.httpError(e.failure, attempt + 1, url);
          await this.retryOrThrow(e, attempt, url, options.signal);
        } finally {
          timer.clear();
          attemptAbort.abort();
          await events?.return(undefined).catch(() => undefined);
        }
      }
    } finally {
      release();
    }
  }

  /** One fetch; a non-2xx status becomes an {@link AttemptFailed} with the server's message. */
  private async send(url: string, body: unknown, attemptAbort: AbortController, timer: Timer, signal: AbortSignal | undefined): Promise<Response> {
    const response = await fetch(url, { method: "POST", headers: this.headers, body: JSON.stringify(body), signal: attemptAbort.signal }).catch((e: unknown) =>
      this.throwFetchFailure(e, timer, signal),
    );
    if (response.ok) return response;
    const text = await response.text().catch(() => "");
    const status = response.status;
    const retryable = status === 408 || status === 429 || status >= 500;
    const waitMs = retryAfterMs(response.headers, Date.now());
    throw new AttemptFailed({ kind: "status", retryable, status, serverMessage: serverMessage(text), ...(waitMs === undefined ? {} : { waitMs }) });
  }

  /** Classify an error thrown by fetch or a body read: the caller's abort, our timeout, or a network failure. */
  private throwFetchFailure(e: unknown, timer: Timer, signal: AbortSignal | undefined): never {
    if (e instanceof AttemptFailed) throw e;
    if (signal?.aborted) throw signal.reason;
    if (timer.fired) throw new AttemptFailed({ kind: "timeout", retryable: true });
    throw new AttemptFailed({ kind: "network", retryable: true, cause: e });
  }

  /** Wait before the next attempt, or throw the final error. */
  private async retryOrThrow(e: unknown, attempt: number, url: string, signal: AbortSignal | undefined): Promise<void> {
    if (!(e instanceof AttemptFailed)) throw e;
    const f = e.failure;
    if (!f.retryable || attempt >= this.maxRetries) throw this.httpError(f, attempt + 1, url);
    if (f.waitMs !== undefined && f.waitMs > this.maxRetryAfterMs) {
      throw this.httpError({ ...f, serverMessage: `${f.serverMessage ?? ""} (Retry-After ${f.waitMs / 1000} s exceeds maxRetryAfterMs ${this.maxRetryAfterMs})`.trim() }, attempt + 1, url);
    }
    await this.sleep(f.waitMs ?? retryDelayMs(attempt, this.options, this.rng), signal);
  }

  private httpError(f: Failure, attempts: number, url: string): HttpRequestError {
    return new HttpRequestError({ ...f, method: "POST", url, attempts, timeoutMs: this.timeoutMs });
  }

  private armTimeout(attemptAbort: AbortController, signal: AbortSignal | undefined): Timer {
    return new Timer(this.timeoutMs, attemptAbort, signal);
  }
}

/** The per-attempt timer, restartable (stream idle timeout); also forwards the caller's abort to the attempt. */
class Timer {
  fired = false;
  private handle: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort: () => void;

  constructor(
    private readonly ms: number,
    private readonly attemptAbort: AbortController,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.onAbort = () => attemptAbort.abort(signal?.reason);
    if (signal?.aborted) attemptAbort.abort(signal.reason);
    else signal?.addEventListener("abort", this.onAbort, { once: true });
    this.restart();
  }

  restart(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = setTimeout(() => {
      this.fired = true;
      this.attemptAbort.abort(new Error(`timed out after ${this.ms} ms`));
    }, this.ms);
  }

  clear(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.signal?.removeEventListener("abort", this.onAbort);
  }
}

/** The server's error message: OpenAI / vLLM `{"error": {"message"}}`, FastAPI `{"detail"}`, `{"message"}`, or the text itself. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = body.error;
    if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
    for (const v of [error, body.message, body.detail]) if (typeof v === "string") return v;
    if (body.detail !== undefined) return JSON.stringify(body.detail).slice(0, 500);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 500);
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
