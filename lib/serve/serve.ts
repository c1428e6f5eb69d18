import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { requireArg } from "../core/errors.ts";
import { rng, type Rng } from "../core/rng.ts";
import type { Transformer } from "../models/transformer.ts";
import type { Verifier } from "../rewards/verifier.ts";
import { CHAIN_TOKENIZER, type CharTokenizer } from "../tasks/char-tokenizer.ts";
import { CompletionJob, type CompletionResponse } from "./completion-job.ts";
import { parseCompletionRequest, type CompletionLimits } from "./completion-request.ts";
import { DecodeBatcher, type DecodeBatcherOptions, type DecodeBatcherStats, type JobBatchInfo } from "./decode-batcher.ts";
import { errorResponse, HttpError } from "./http-error.ts";
import { parsePoolingRequest, scorePooling, splitPoolingInput, type SplitInput } from "./pooling.ts";

/** Options of {@link serve}. */
export interface ServeOptions extends DecodeBatcherOptions {
  /** The policy to serve (the caller keeps ownership and disposes it after `close`). */
  model: Transformer;
  /** The name clients use as `model`. */
  name: string;
  /** Default: the chain tasks' tokenizer; its vocabulary size must equal the model's. */
  tokenizer?: CharTokenizer;
  /** A reward model behind `POST /pooling` (default none: that route answers 404). */
  verifier?: Verifier;
  /** How `/pooling` cuts an `input` string into prompt and solution (default {@link splitPoolingInput} with the `<extra_0>` step tag and `"\n"` steps). */
  splitInput?: SplitInput;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Seed of the stream that requests without a `seed` draw from, request by request (default 0). */
  seed?: number | string;
  /** Largest request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Called once per finished request (logging, tests). */
  onRequest?: (entry: RequestLogEntry) => void;
}

/** What {@link ServeOptions.onRequest} receives. */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  /** Response id (`cmpl-N`, `pool-N`) when one was made. */
  id?: string;
  /** The completion's batch, for `/v1/completions` requests that reached one. */
  batch?: JobBatchInfo;
  /** Completion tokens generated (stop tokens included), for `/v1/completions`. */
  completionTokens?: number;
  /** The client went away before the response was complete. */
  cancelled: boolean;
  /** Server-side time from the request's arrival to the end of its response (or to the cancellation), in ms. */
  durationMs: number;
}

/** A running server. */
export interface TtcServer {
  /** Base URL, e.g. `http://127.0.0.1:8000` (clients use `${url}/v1`). */
  readonly url: string;
  readonly port: number;
  /** Queue and batch counters. */
  stats(): DecodeBatcherStats;
  /**
   * Stop taking requests (503 from now on), finish the accepted ones, then close the socket. With `abort`, drop every
   * open connection at once instead — what a crash looks like to clients: requests in flight get a reset and their
   * decoding is cancelled.
   */
  close(options?: { abort?: boolean }): Promise<void>;
}

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" };

/**
 * Serve a tiny policy over an OpenAI-compatible HTTP API, on `node:http` only:
 * `POST /v1/completions` (n, max_tokens, temperature, top_p, stop, seed,
 * logprobs, stream), `GET /v1/models`, `GET /health` and, with a `verifier`,
 * vLLM's `POST /pooling` for step scores. Concurrent completions are batched
 * into one decoding batch ({@link DecodeBatcher}); a request with a seed gets
 * the same tokens whatever it is batched with.
 *
 * @returns once listening
 * @throws InvalidArgumentError when the tokenizer does not fit the model or a limit is out of range
 * @example
 * const { model } = loadCheckpoint("data/models/policy-60k");
 * const server = await serve({ model, name: "policy-60k", port: 0 });
 * const r = await fetch(`${server.url}/v1/completions`, { method: "POST", body: JSON.stringify({ prompt: "347+5\n", stop: "\n", seed: 1 }) });
 * await server.close(); model.dispose();
 * @see https://platform.openai.com/docs/api-reference/completions (the legacy completions API)
 */
export async function serve(options: ServeOptions): Promise<TtcServer> {
  const { model, name, verifier } = options;
  const tokenizer = options.tokenizer ?? CHAIN_TOKENIZER;
  requireArg("serve", tokenizer.vocabSize === model.config.vocabSize, `a tokenizer with the model's vocabulary size ${model.config.vocabSize}`, tokenizer.vocabSize);
  requireArg("serve", name.length > 0 && name !== verifier?.name, "a non-empty model name other than the verifier's", name);
  const batcher = new DecodeBatcher(model, options);
  const limits: CompletionLimits = { model: name, maxLen: model.config.maxLen, maxSequences: options.maxBatch ?? 64, tokenizer };
  const serverRng: Rng = rng(options.seed ?? 0);
  const split = options.splitInput ?? ((text: string) => splitPoolingInput(text));
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const started = Math.floor(Date.now() / 1000);
  let [closing, inFlight, counter] = [false, 0, 0];
  let drained: (() => void) | undefined;

  const modelsList = () => ({
    object: "list",
    data: [
      { id: name, object: "model", created: started, owned_by: "ttc-lab", max_model_len: model.config.maxLen },
      ...(verifier ? [{ id: verifier.name, object: "model", created: started, owned_by: "ttc-lab" }] : []),
    ],
  });

  async function completions(req: IncomingMessage, res: ServerResponse, log: RequestLogEntry): Promise<void> {
    const parsed = parseCompletionRequest(await readJson(req, maxBody), limits);
    const id = `cmpl-${++counter}`;
    log.id = id;
    const requestRng = parsed.seed === undefined ? serverRng.fork(id) : rng(parsed.seed);
    const sse = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    await new Promise<void>((resolve) => {
      const job = new CompletionJob(parsed, requestRng, tokenizer, id, Math.floor(Date.now() / 1000), {
        chunk: (data: CompletionResponse) => sse(data),
        end: ({ response, error, info }) => {
          [log.batch, log.completionTokens] = [info, job.usage().completion_tokens];
          if (job.cancelled) log.cancelled = true;
          else if (!parsed.stream) {
            if (error === undefined) log.status = sendJson(res, 200, response);
            else log.status = sendError(res, error);
          } else {
            if (error !== undefined) sse(errorResponse(error).body);
            if (response !== undefined) sse(response);
            res.end("data: [DONE]\n\n");
          }
          resolve();
        },
      });
      batcher.submit(job);
      if (parsed.stream) {
        res.writeHead(200, SSE_HEADERS);
        res.flushHeaders();
        log.status = 200;
      }
      res.on("close", () => {
        if (!res.writableEnded) job.cancel();
      });
    });
  }

  async function pooling(req: IncomingMessage, res: ServerResponse, log: RequestLogEntry): Promise<void> {
    const body = await readJson(req, maxBody);
    if (verifier === undefined) throw new HttpError(404, "This server has no reward model; start it with a verifier to serve /pooling.", "invalid_request_error", "model", "model_not_found");
    const items = parsePoolingRequest(body, verifier.name, split);
    log.id = `pool-${++counter}`;
    log.status = sendJson(res, 200, await scorePooling(verifier, items, log.id, Math.floor(Date.now() / 1000)));
  }

  async function route(req: IncomingMessage, res: ServerResponse, log: RequestLogEntry): Promise<void> {
    const path = log.path;
    if (closing) throw new HttpError(503, "The server is shutting down and takes no new requests.", "server_error", null, "server_shutting_down");
    const get = req.method === "GET";
    const post = req.method === "POST";
    if (get && path === "/health") return void (log.status = sendJson(res, 200, { status: "ok" }));
    if (get && path === "/v1/models") return void (log.status = sendJson(res, 200, modelsList()));
    if (get && path.startsWith("/v1/models/")) {
      const entry = modelsList().data.find((m) => m.id === decodeURIComponent(path.slice("/v1/models/".length)));
      if (entry === undefined) throw new HttpError(404, `The model \`${path.slice(11)}\` does not exist.`, "invalid_request_error", "model", "model_not_found");
      return void (log.status = sendJson(res, 200, entry));
    }
    if (post && path === "/v1/completions") return completions(req, res, log);
    if (post && path === "/pooling") return pooling(req, res, log);
    const known = ["/v1/completions", "/pooling", "/v1/models", "/health"].includes(path);
    if (known) throw new HttpError(405, `${req.method} is not allowed on ${path}.`, "invalid_request_error", null, "method_not_allowed");
    throw new HttpError(404, `No route ${req.method} ${path}; served: POST /v1/completions, GET /v1/models, GET /health${verifier ? ", POST /pooling" : ""}.`, "invalid_request_error", null, "not_found");
  }

  const server = createServer((req, res) => {
    inFlight++;
    const t0 = performance.now();
    const log: RequestLogEntry = { method: req.method ?? "", path: (req.url ?? "/").split("?")[0] as string, status: 0, cancelled: false, durationMs: 0 };
    route(req, res, log)
      .catch((e: unknown) => {
        if (!res.headersSent) log.status = sendError(res, e);
        else res.destroy();
      })
      .finally(() => {
        log.cancelled ||= !res.writableEnded;
        log.durationMs = performance.now() - t0;
        options.onRequest?.(log);
        if (--inFlight === 0) drained?.();
      });
  });
  // Keep idle connections open well past a client's own keep-alive timer (undici: the server's hint − 1 s). With Node's
  // default 5 s, a client that reuses a connection just as the server drops it gets ECONNRESET (seen on a loaded machine).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8000, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    stats: () => batcher.stats(),
    close: (o = {}) =>
      (closed ??= (async () => {
        closing = true;
        if (o.abort === true) server.closeAllConnections();
        await batcher.close();
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
      })()),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): number {
  if (res.destroyed) return status;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
  return status;
}

function sendError(res: ServerResponse, e: unknown): number {
  const { status, body } = errorResponse(e);
  if (status === 429) res.setHeader("retry-after", "1");
  return sendJson(res, status, body);
}

/** Read a request body as JSON; 413 past `maxBytes`, 400 when it does not parse. */
async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > maxBytes) throw new HttpError(413, `The request body is over ${maxBytes} bytes.`, "invalid_request_error", null, "body_too_large");
    parts.push(part);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString("utf8"));
  } catch (e) {
    throw new HttpError(400, `The request body is not valid JSON (${(e as Error).message}).`, "invalid_request_error", null, "invalid_json");
  }
}
