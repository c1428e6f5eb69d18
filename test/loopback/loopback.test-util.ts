// Fixtures for the loopback tests: ttc serve with a tiny random-init policy and PRM, the chain problems they are asked,
// and a fault-injecting proxy between a client and the server. Loopback only, port 0 everywhere.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { rng } from "../../lib/core/rng.ts";
import { loadCheckpoint } from "../../lib/models/checkpoint.ts";
import { createTransformer, type Transformer } from "../../lib/models/transformer.ts";
import { transformerVerifier } from "../../lib/rewards/reward-model.ts";
import type { Verifier } from "../../lib/rewards/verifier.ts";
import { SERVE_TINY, tinyCheckpointDir } from "../../lib/serve/serve-fixtures.test-util.ts";
import { serve, type ServeOptions, type TtcServer } from "../../lib/serve/serve.ts";
import { formatPrompt } from "../../lib/tasks/format.ts";
import { formatValue3, referenceValues } from "../../lib/tasks/chain-problem.ts";
import { generateProblems } from "../../lib/tasks/generate-problems.ts";
import type { DatasetProblem } from "../../lib/llm/read-problems.ts";

/** The served policy's name. */
export const POLICY_NAME = "tiny";
/** The served PRM's name. */
export const PRM_NAME = "tiny-prm";

/** A random-init policy (saved and loaded back, as `ttc serve` would) and a random-init PRM on the same architecture. */
export interface TinyModels {
  policy: Transformer;
  prm: Transformer;
  /** The PRM as an in-process verifier (also what the server's /pooling runs). */
  verifier: Verifier;
  /** The checkpoint directory of `policy`. */
  dir: string;
  dispose(): void;
}

/** Make the {@link TinyModels} (seeded: the same every run). */
export function tinyModels(seed = "loopback"): TinyModels {
  const dir = tinyCheckpointDir(seed);
  const policy = loadCheckpoint(dir).model;
  const prm = createTransformer(SERVE_TINY, rng(`${seed}/prm`));
  return { policy, prm, dir, verifier: transformerVerifier(prm, { name: PRM_NAME, kind: "prm" }), dispose: () => [policy, prm].forEach((m) => m.dispose()) };
}

/** Serve the policy (and its PRM on /pooling) on a free loopback port. */
export function serveTiny(models: TinyModels, options: Partial<ServeOptions> = {}): Promise<TtcServer> {
  return serve({ model: models.policy, name: POLICY_NAME, verifier: models.verifier, port: 0, ...options });
}

/** `count` held-out chain problems of `level` as a dataset: id, prompt text, three-digit answer. */
export function chainDataset(count: number, level = 2, seed = "loopback-problems"): DatasetProblem[] {
  return generateProblems({ rng: rng(seed), level, count, split: "test" }).map((p, i) => ({ id: `L${level}-${i}`, problem: formatPrompt(p), answer: formatValue3(referenceValues(p).at(-1) as number) }));
}

/** What the proxy does with one request: pass it through, or one of the faults. */
export type ProxyFault =
  | { kind: "pass" }
  /** Answer this status with an OpenAI error body (and headers), without asking the server. */
  | { kind: "status"; status: number; headers?: Record<string, string> }
  /** Wait this long, then pass the request through (a slow server; the client may have given up by then). */
  | { kind: "delay"; ms: number }
  /** Pass the request through but send only the first half of the server's body (status and headers kept). */
  | { kind: "truncate" };

/** A running proxy. */
export interface FaultProxy {
  /** Base URL to give the client. */
  readonly url: string;
  /** Faults for the next requests, used one per request in order; when empty, requests pass. */
  readonly faults: ProxyFault[];
  /** What each request met, in arrival order. */
  readonly seen: ProxyFault["kind"][];
  close(): Promise<void>;
}

/**
 * An HTTP proxy on loopback in front of `target` (a server's base URL) that
 * injects faults request by request: error statuses, delays, truncated bodies.
 * Everything else is forwarded unchanged, both ways.
 */
export async function faultProxy(target: string): Promise<FaultProxy> {
  const faults: ProxyFault[] = [];
  const seen: ProxyFault["kind"][] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((req, res) => {
    const fault = faults.shift() ?? { kind: "pass" };
    seen.push(fault.kind);
    void handle(fault, req, res).catch(() => res.destroy());
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  async function handle(fault: ProxyFault, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    if (fault.kind === "status") {
      const text = JSON.stringify({ error: { message: `injected ${fault.status}`, type: "proxy_fault", param: null, code: null } });
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      res.end(text);
      return;
    }
    if (fault.kind === "delay") {
      await new Promise((r) => setTimeout(r, fault.ms));
      if (res.destroyed || req.socket.destroyed) return;
    }
    const upstream = await forward(target, req, body);
    if (res.destroyed) return;
    const headers = { ...upstream.headers };
    delete headers["content-length"];
    delete headers["transfer-encoding"];
    const out = fault.kind === "truncate" ? upstream.body.subarray(0, Math.floor(upstream.body.length / 2)) : upstream.body;
    res.writeHead(upstream.status, { ...headers, "content-length": String(out.length) });
    res.end(out);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p);
  return Buffer.concat(parts);
}

function forward(target: string, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const up = httpRequest(`${target}${req.url ?? "/"}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host, "content-length": String(body.length) } }, (r) => {
      readAll(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }), reject);
    });
    up.on("error", reject);
    up.end(body);
  });
}
