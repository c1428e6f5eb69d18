// Issue 7, tests 4c: collectSamples through the lib/llm client against ttc serve when things go wrong — the server
// killed mid-run and restarted, responses slower than the client's timeout, 429 bursts, truncated JSON bodies. Each
// ends, after a resume where the first run gave up, with the complete dump an undisturbed run writes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { collectSamples, type CollectSamplesResult } from "../../lib/llm/collect-samples.ts";
import { HttpRequestError } from "../../lib/llm/http-request-error.ts";
import { OpenAICompatiblePolicy } from "../../lib/llm/openai-compatible-policy.ts";
import type { HttpClientOptions } from "../../lib/llm/http-client.ts";
import { loadSampleDump, readSampleDump } from "../../lib/llm/read-sample-dump.ts";
import type { SampleRecord } from "../../lib/llm/sample-record.ts";
import type { TtcServer } from "../../lib/serve/serve.ts";
import { chainDataset, faultProxy, POLICY_NAME, serveTiny, tinyModels, type FaultProxy, type ProxyFault, type TinyModels } from "./loopback.test-util.ts";

let models: TinyModels;
let server: TtcServer;
let proxy: FaultProxy;
let reference: SampleRecord[];
const dir = mkdtempSync(join(tmpdir(), "ttc-loopback-faults-"));
const problems = chainDataset(3, 2, "loopback-faults");
const N = 3;
const TOTAL = problems.length * N;
/** Backoff waits asked for, in ms (the client's sleep is replaced by a 1 ms wait that records them). */
const waits: number[] = [];
const quickSleep: HttpClientOptions["sleep"] = async (ms) => {
  waits.push(ms);
  await new Promise((r) => setTimeout(r, 1));
};

const policyAt = (url: string, http: HttpClientOptions = {}) => new OpenAICompatiblePolicy({ endpoint: url, model: POLICY_NAME, http: { sleep: quickSleep, ...http } });
const run = (url: string, out: string, http: HttpClientOptions = {}, extra: Partial<Parameters<typeof collectSamples>[0]> = {}): Promise<CollectSamplesResult> =>
  collectSamples({ policy: policyAt(url, http), problems, n: N, out: join(dir, out), seed: 3, maxTokens: 12, temperature: 1, concurrency: 4, ...extra });

/** The dump's records in (problem, sample) order, after checking it reads cleanly, has every pair once, and loads into a SampleTable. */
async function completeDump(out: string): Promise<SampleRecord[]> {
  const path = join(dir, out);
  const dump = await readSampleDump(path);
  expect(dump.droppedTail).toBeNull();
  expect(dump.missingNewline).toBe(false);
  const table = await loadSampleDump(path);
  expect(table.size).toBe(TOTAL);
  expect(table.problemIds().length).toBe(problems.length);
  const key = (r: SampleRecord) => `${r.problem}/${r.sample}`;
  return [...dump.records].sort((a, b) => key(a).localeCompare(key(b)));
}

beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  models = tinyModels();
  server = await serveTiny(models, { batchWindowMs: 0 });
  proxy = await faultProxy(server.url);
  await run(server.url, "reference.jsonl");
  reference = await completeDump("reference.jsonl");
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
  models?.dispose();
});

/**
 * Run 1 goes one sample at a time through the proxy with `retries` retries: `pass` requests get through, then a burst of
 * `retries + 1` faults makes one sample fail for good, so the run stops with what it has. Run 2 resumes with the same
 * kind of fault, one burst shorter than its retries, and finishes.
 */
async function faultThenResume(out: string, fault: ProxyFault, http: HttpClientOptions, retries = 2, pass = 3): Promise<void> {
  proxy.faults.splice(0, proxy.faults.length, ...Array<ProxyFault>(pass).fill({ kind: "pass" }), ...Array<ProxyFault>(retries + 1).fill(fault));
  const first = await run(proxy.url, out, { ...http, maxRetries: retries }, { concurrency: 1 }).catch((e: unknown) => e);
  expect(first).toBeInstanceOf(HttpRequestError);
  expect((first as HttpRequestError).attempts).toBe(retries + 1);
  const partial = await readSampleDump(join(dir, out));
  expect(partial.records.length).toBe(pass);
  expect(partial.droppedTail).toBeNull();
  proxy.faults.splice(0, proxy.faults.length, ...Array<ProxyFault>(retries).fill(fault));
  const second = await run(proxy.url, out, { ...http, maxRetries: retries });
  expect(second).toMatchObject({ skipped: pass, written: TOTAL - pass, aborted: false });
  expect(proxy.faults).toHaveLength(0);
  expect(await completeDump(out)).toEqual(reference);
}

describe("collectSamples against ttc serve under faults", { timeout: 30_000 }, () => {
  it("the reference run is complete and non-trivial", () => {
    expect(reference).toHaveLength(TOTAL);
    expect(new Set(reference.map((r) => r.text)).size).toBeGreaterThan(TOTAL / 2);
  });

  it("the server killed mid-run (connections dropped), restarted on its port: the resumed dump is the reference", async () => {
    const victim = await serveTiny(models, { batchWindowMs: 0 });
    const url = victim.url;
    let killing: Promise<void> | undefined;
    const first = await run(url, "killed.jsonl", { maxRetries: 1 }, {
      onProgress: (p) => {
        if (p.written === 3) killing ??= victim.close({ abort: true });
      },
    }).catch((e: unknown) => e);
    await killing;
    // The run gave up on a sample in flight (reset, then refused) and stopped; what it wrote is whole.
    expect(first).toBeInstanceOf(HttpRequestError);
    expect((first as HttpRequestError).kind).toBe("network");
    const partial = await readSampleDump(join(dir, "killed.jsonl"));
    expect(partial.records.length).toBeGreaterThanOrEqual(3);
    expect(partial.records.length).toBeLessThan(TOTAL);
    expect(partial.droppedTail).toBeNull();
    const restarted = await serveTiny(models, { port: victim.port, batchWindowMs: 0 });
    try {
      const second = await run(url, "killed.jsonl");
      expect(second.skipped).toBe(partial.records.length);
      expect(second.written).toBe(TOTAL - partial.records.length);
    } finally {
      await restarted.close();
    }
    expect(await completeDump("killed.jsonl")).toEqual(reference);
  });

  it("responses slower than the client's timeout: timed-out attempts are retried, the resumed dump is the reference", async () => {
    // One retry: 2 timed-out attempts in run 1, 1 in run 2. A 1.5 s timeout leaves a loaded 2-core machine time for the
    // undelayed requests (500 ms was not always enough there); a delayed one would take 6 s.
    const before = proxy.seen.length;
    await faultThenResume("slow.jsonl", { kind: "delay", ms: 6_000 }, { timeoutMs: 1_500 }, 1);
    expect(proxy.seen.slice(before).filter((k) => k === "delay")).toHaveLength(3);
  });

  it("429 bursts with Retry-After: the client waits what the server asks, the resumed dump is the reference", async () => {
    const before = waits.length;
    await faultThenResume("429.jsonl", { kind: "status", status: 429, headers: { "retry-after": "1" } }, {});
    // Every retry after a 429 waited the server's 1 s (recorded, not slept), none the exponential backoff.
    expect(waits.slice(before)).toEqual(Array(2 + 2).fill(1000));
  });

  it("truncated JSON bodies are retried as malformed, the resumed dump is the reference", async () => {
    await faultThenResume("truncated.jsonl", { kind: "truncate" }, {});
    // What the client says when it gives up on one.
    proxy.faults.push({ kind: "truncate" });
    const one = await policyAt(proxy.url, { maxRetries: 0 })
      .sampleSteps([problems[0]!.problem], { n: 1, maxTokens: 5, stopAtStepEnd: false, temperature: 1, rng: rng(1) })
      .catch((e: unknown) => e);
    expect((one as HttpRequestError).kind).toBe("protocol");
    expect((one as Error).message).toMatch(/malformed JSON/);
  });
});
