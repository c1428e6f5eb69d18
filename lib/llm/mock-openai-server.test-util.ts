/**
 * A scriptable OpenAI-compatible server on loopback (node:http, port 0) for
 * the lib/llm tests. It imitates vLLM's wire format: `/v1/completions` and
 * `/v1/chat/completions` with `n`, `stop` (reported in `stop_reason`),
 * `max_tokens`, `seed`, `logprobs`, SSE streaming with a final usage chunk;
 * and `/pooling` in vLLM's PoolingResponse shape. One character is one token.
 * Faults (error statuses with headers, hangs, truncated bodies, dropped
 * streams) are queued per path and used one per request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The request a generator sees. */
export interface GenerateRequest {
  /** The prompt (completions) or the last message's content (chat). */
  prompt: string;
  seed: number;
  /** Choice index within the request. */
  index: number;
  body: Record<string, unknown>;
}

/** A fault served instead of (or on top of) a normal response. */
export interface Fault {
  /** Answer with this status (and `body`, default an OpenAI-style error). */
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (the socket stays open). */
  delayMs?: number;
  /** Send only the first half of a successful JSON body, then end it. */
  truncate?: boolean;
  /** Streams: destroy the socket after this many tokens. */
  dropAfterTokens?: number;
}

/** What a streamed request did. */
export interface StreamLog {
  /** Tokens written to the socket. */
  sent: number;
  /** Tokens the full continuation had. */
  total: number;
  /** The client closed the connection before the end. */
  closedEarly: boolean;
}

export interface MockServerOptions {
  /** The full continuation for a request's choice (before max_tokens / stop). Default: `"step one\nstep two\nanswer \\boxed{7}"`. */
  generate?: (r: GenerateRequest) => string;
  /** Delay per streamed token (ms); default 0. */
  tokenDelayMs?: number;
  /** Delay before every non-streamed answer (ms); default 0. */
  responseDelayMs?: number;
  /** `/pooling`: the `data` for one input string. */
  pooling?: (input: string) => unknown;
}

export class MockOpenAIServer {
  /** Every request received, in order: path and parsed body. */
  readonly requests: { path: string; body: Record<string, unknown> }[] = [];
  /** Streamed requests, in order. */
  readonly streams: StreamLog[] = [];
  /** Requests being answered right now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  private readonly faults = new Map<string, Fault[]>();

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly options: MockServerOptions,
  ) {}

  /** Start on 127.0.0.1, an ephemeral port. */
  static async start(options: MockServerOptions = {}): Promise<MockOpenAIServer> {
    let mock: MockOpenAIServer | undefined;
    const server = createServer((req, res) => void mock?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    mock = new MockOpenAIServer(server, `http://127.0.0.1:${port}`, options);
    return mock;
  }

  /** The OpenAI base URL (`<origin>/v1`). */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** Queue faults for the next requests to `path` (e.g. `"/v1/completions"`), one per request. */
  fail(path: string, ...faults: Fault[]): void {
    this.faults.set(path, [...(this.faults.get(path) ?? []), ...faults]);
  }

  /** Requests received on one path. */
  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on("close", () => this.inFlight--);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? "/").split("?")[0] as string;
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
    this.requests.push({ path, body });
    const fault = this.faults.get(path)?.shift();
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (res.destroyed) return;
    if (fault?.status !== undefined) {
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ error: { message: `mock error ${fault.status}`, type: "mock", code: fault.status } }));
      return;
    }
    if (path === "/pooling") return this.json(res, this.poolingBody(body), fault);
    const chat = path === "/v1/chat/completions";
    if (path !== "/v1/completions" && !chat) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${path}` } }));
      return;
    }
    if (body.stream === true) return this.stream(res, body, chat, fault);
    if (this.options.responseDelayMs) await sleep(this.options.responseDelayMs);
    const n = typeof body.n === "number" ? body.n : 1;
    const runs = Array.from({ length: n }, (_, index) => this.run(body, chat, index));
    const choices = runs.map((r, index) => {
      const logprobs = body.logprobs === undefined || body.logprobs === false ? null : chat ? { content: [...r.text].map((t) => ({ token: t, logprob: -0.5 })) } : { tokens: [...r.text], token_logprobs: [...r.text].map(() => -0.5) };
      const content = chat ? { message: { role: "assistant", content: r.text } } : { text: r.text };
      return { index, ...content, logprobs, finish_reason: r.finish, stop_reason: r.stopReason };
    });
    const prompt = promptOf(body, chat);
    this.json(res, { id: "cmpl-mock", object: chat ? "chat.completion" : "text_completion", model: body.model, choices, usage: { prompt_tokens: prompt.length, completion_tokens: runs.reduce((a, r) => a + r.generated, 0), total_tokens: 0 } }, fault);
  }

  /** Generate one choice token by token: stop strings, max_tokens, EOS. */
  private run(body: Record<string, unknown>, chat: boolean, index: number): { text: string; finish: string; stopReason: string | null; generated: number } {
    const generate = this.options.generate ?? (() => "step one\nstep two\nanswer \\boxed{7}");
    const full = generate({ prompt: promptOf(body, chat), seed: typeof body.seed === "number" ? body.seed : 0, index, body });
    const stops = Array.isArray(body.stop) ? (body.stop as string[]) : typeof body.stop === "string" ? [body.stop] : [];
    const max = typeof body.max_tokens === "number" ? body.max_tokens : Infinity;
    let out = "";
    for (const ch of full) {
      if (out.length >= max) return { text: out, finish: "length", stopReason: null, generated: out.length };
      out += ch;
      const hit = stops.find((s) => out.endsWith(s));
      if (hit !== undefined) return { text: out.slice(0, -hit.length), finish: "stop", stopReason: hit, generated: out.length };
    }
    return { text: out, finish: "stop", stopReason: null, generated: out.length };
  }

  private async stream(res: ServerResponse, body: Record<string, unknown>, chat: boolean, fault: Fault | undefined): Promise<void> {
    const r = this.run(body, chat, 0);
    const log: StreamLog = { sent: 0, total: r.text.length, closedEarly: false };
    this.streams.push(log);
    res.on("close", () => {
      if (!res.writableFinished) log.closedEarly = true;
    });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
    const piece = (text: string, finish: string | null, stopReason: string | null) =>
      chat
        ? { index: 0, delta: { content: text }, logprobs: text ? { content: [{ token: text, logprob: -0.5 }] } : null, finish_reason: finish, stop_reason: stopReason }
        : { index: 0, text, logprobs: text ? { tokens: [text], token_logprobs: [-0.5] } : null, finish_reason: finish, stop_reason: stopReason };
    for (const ch of r.text) {
      if (res.destroyed) return;
      if (fault?.dropAfterTokens !== undefined && log.sent >= fault.dropAfterTokens) {
        res.destroy();
        return;
      }
      send({ id: "cmpl-mock", object: "text_completion", choices: [piece(ch, null, null)] });
      log.sent++;
      if (this.options.tokenDelayMs) await sleep(this.options.tokenDelayMs);
    }
    if (res.destroyed) return;
    send({ id: "cmpl-mock", choices: [piece("", r.finish, r.stopReason)] });
    send({ id: "cmpl-mock", choices: [], usage: { prompt_tokens: promptOf(body, chat).length, completion_tokens: r.generated, total_tokens: 0 } });
    res.end("data: [DONE]\n\n");
  }

  private poolingBody(body: Record<string, unknown>): unknown {
    const inputs = Array.isArray(body.input) ? (body.input as string[]) : [body.input as string];
    const pooling = this.options.pooling ?? (() => [[0.5, 0.5]]);
    return {
      id: "pool-mock",
      object: "list",
      created: 0,
      model: body.model,
      data: inputs.map((input, index) => ({ index, object: "pooling", data: pooling(input) })),
      usage: { prompt_tokens: inputs.reduce((a, s) => a + s.length, 0), total_tokens: inputs.reduce((a, s) => a + s.length, 0), completion_tokens: 0 },
    };
  }

  private json(res: ServerResponse, value: unknown, fault: Fault | undefined): void {
    const text = JSON.stringify(value);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(fault?.truncate ? text.slice(0, Math.floor(text.length / 2)) : text);
  }
}

function promptOf(body: Record<string, unknown>, chat: boolean): string {
  if (!chat) return String(body.prompt ?? "");
  const messages = (body.messages ?? []) as { content: string }[];
  return messages[messages.length - 1]?.content ?? "";
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
