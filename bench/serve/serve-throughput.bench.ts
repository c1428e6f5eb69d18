/**
 * `ttc serve` throughput and client overhead over loopback (issue 7's performance targets):
 * - batching: generated tokens/s of 32 concurrent clients (closed loop, the server merging their requests into
 *   decoding batches) over the tokens/s of the same requests sent one after another (target ≥ 5×);
 * - client overhead at 32-way concurrency (target ≤ 5%), two ways: the CPU time this (client) process spends over the
 *   run's wall time — the work the client adds to end-to-end time — and 1 − (server-side time per request, from the
 *   server's log hook) / (the lib/llm client's wall time per call), summed over requests, which also counts loopback
 *   transport and the time either process waits for a core (large on a loaded machine).
 * The server runs in its own process (`serve-process.ts`, as a real server does), the clients in this one. The policy has the shipped policy-35k shape (random weights: speed does not depend on
 * them); every request asks for the same number of tokens (`ignore_eos`), from a chain-task prompt.
 * Run: npm run bench -- serve-throughput
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { rng } from "../../lib/core/rng.ts";
import { OpenAICompatiblePolicy } from "../../lib/llm/openai-compatible-policy.ts";
import type { RequestLogEntry } from "../../lib/serve/serve.ts";
import { formatPrompt } from "../../lib/tasks/format.ts";
import { generateProblems } from "../../lib/tasks/generate-problems.ts";
import { report, type CaseResult } from "../harness.ts";

const CLIENTS = 32;
const ROUNDS = 3; // requests per client in the concurrent run
const SERIAL = Number(process.env.SERVE_SERIAL ?? 24); // requests in the serial run
const MAX_TOKENS = 48;

const prompts = generateProblems({ rng: rng("bench-serve/problems"), level: 3, count: CLIENTS, split: "test" }).map(formatPrompt);
const log: RequestLogEntry[] = [];
const child = fork(fileURLToPath(new URL("./serve-process.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"] });
const closed = new Promise<void>((resolve) => child.on("exit", () => resolve()));
const ready = await new Promise<{ url: string; backend: string }>((resolve, reject) => {
  child.on("error", reject);
  child.on("exit", (code) => code !== 0 && reject(new Error(`serve-process.ts exited with ${code}`)));
  child.on("message", (m: { ready?: boolean; url: string; backend: string; log?: RequestLogEntry }) => {
    if (m.log) log.push(m.log);
    else if (m.ready) resolve(m);
  });
});
const backend = { name: ready.backend };
const policy = new OpenAICompatiblePolicy({ endpoint: ready.url, model: "bench", extraBody: { ignore_eos: true }, http: { concurrency: CLIENTS, maxRetries: 2 } });
/** Log entries arrive by message after the response: wait for `count` of them past `from`. */
async function logged(from: number, count: number): Promise<RequestLogEntry[]> {
  while (log.length < from + count) await new Promise((r) => setTimeout(r, 1));
  return log.slice(from, from + count);
}
const sampling = { n: 1, maxTokens: MAX_TOKENS, stopAtStepEnd: false, temperature: 1 };

/** One call through the client; returns its wall time (ms) and tokens. */
async function call(prompt: string, label: string): Promise<{ ms: number; tokens: number }> {
  const t0 = performance.now();
  const out = await policy.sampleSteps([prompt], { ...sampling, rng: rng(label) });
  return { ms: performance.now() - t0, tokens: out.usage.generatedTokens };
}

async function serialRun(tag: string): Promise<{ ms: number; tokens: number }> {
  const t0 = performance.now();
  let tokens = 0;
  for (let i = 0; i < SERIAL; i++) tokens += (await call(prompts[i % CLIENTS] as string, `${tag}/${i}`)).tokens;
  const ms = performance.now() - t0;
  await logged(log.length - 1, 1);
  return { ms, tokens };
}

async function concurrentRun(tag: string): Promise<{ ms: number; tokens: number; clientMs: number; serverMs: number; cpuMs: number; batches: number[] }> {
  const from = log.length;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const perClient = await Promise.all(
    prompts.map(async (p, c) => {
      const calls = [];
      for (let r = 0; r < ROUNDS; r++) calls.push(await call(p, `${tag}/${c}/${r}`));
      return calls;
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const calls = perClient.flat();
  const entries = await logged(from, calls.length);
  if (entries.some((e) => e.path !== "/v1/completions" || e.status !== 200)) throw new Error(`expected ${calls.length} good completions, the log has ${JSON.stringify(entries.find((e) => e.status !== 200))}`);
  const sizes = entries.map((e) => e.batch?.batchSequences ?? 0);
  return {
    ms,
    tokens: calls.reduce((a, c) => a + c.tokens, 0),
    clientMs: calls.reduce((a, c) => a + c.ms, 0),
    serverMs: entries.reduce((a, e) => a + e.durationMs, 0),
    cpuMs: (cpu.user + cpu.system) / 1000,
    batches: [new Set(entries.map((e) => e.batch?.batch)).size, sizes.reduce((a, b) => a + b, 0) / sizes.length],
  };
}

console.log(`backend ${backend.name}; ${CLIENTS} clients × ${ROUNDS} requests vs ${SERIAL} serial requests, ${MAX_TOKENS} tokens each`);
const warm = [await serialRun("warmup"), await concurrentRun("warmup")];
console.log(`  warm-up: serial ${warm[0]!.ms.toFixed(0)} ms, concurrent ${warm[1]!.ms.toFixed(0)} ms`);
const REPS = Number(process.env.SERVE_REPS ?? 3);
const serial: { ms: number; tokens: number }[] = [];
const concurrent: Awaited<ReturnType<typeof concurrentRun>>[] = [];
for (let rep = 0; rep < REPS; rep++) {
  serial.push(await serialRun(`serial-${rep}`));
  concurrent.push(await concurrentRun(`concurrent-${rep}`));
  console.log(`  run ${rep + 1}/${REPS}: serial ${serial[rep]!.ms.toFixed(0)} ms, concurrent ${concurrent[rep]!.ms.toFixed(0)} ms`);
}
child.send("close");
await closed;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const caseOf = (name: string, runs: { ms: number; tokens: number }[]): CaseResult => {
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const medianMs = median(ms);
  return { name, medianMs, minMs: ms[0] as number, maxMs: ms.at(-1) as number, repetitions: runs.length, derived: { tokensPerSecond: median(runs.map((r) => (r.tokens * 1000) / r.ms)) } };
};
const cases = [caseOf(`serial, ${SERIAL} requests`, serial), caseOf(`${CLIENTS} concurrent clients × ${ROUNDS}`, concurrent)];
const speedups = serial.map((s, i) => ((concurrent[i]!.tokens / concurrent[i]!.ms) / (s.tokens / s.ms)));
const overheads = concurrent.map((c) => 1 - c.serverMs / c.clientMs);
const cpuShares = concurrent.map((c) => c.cpuMs / c.ms);
const ratios = {
  "batched / serial tokens/s (median of paired runs)": median(speedups),
  "client overhead at 32-way: client CPU / wall (median)": median(cpuShares),
  "client overhead at 32-way: 1 − server / client time (median)": median(overheads),
  "mean sequences per decoding batch (median run)": median(concurrent.map((c) => c.batches[1] as number)),
};
report("serve-throughput", cases, { backend: backend.name, clients: CLIENTS, rounds: ROUNDS, serialRequests: SERIAL, maxTokens: MAX_TOKENS, speedups, cpuShares, overheads, ratios });
for (const [k, v] of Object.entries(ratios)) console.log(`  ${k}: ${k.includes("overhead") ? `${(100 * v).toFixed(2)}%` : v.toFixed(2)}`);
