import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError } from "../core/errors.ts";
import { rng } from "../core/rng.ts";
import { passAtK } from "../estimators/pass-at-k.ts";
import type { Policy } from "../strategies/policy.ts";
import { collectSamples, type CollectSamplesOptions } from "./collect-samples.ts";
import { formatCollectProgress } from "./format-collect-progress.ts";
import { MockOpenAIServer } from "./mock-openai-server.test-util.ts";
import { OpenAICompatiblePolicy } from "./openai-compatible-policy.ts";
import type { DatasetProblem } from "./read-problems.ts";
import { loadSampleDump, readSampleDump } from "./read-sample-dump.ts";
import { canonicalJson, encodeSampleRecord, type SampleRecord } from "./sample-record.ts";

/** Problem i asks for i + 10; a sample answers right when its seed is even, else one more. */
const PROBLEMS: DatasetProblem[] = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, problem: `What is ${i} + 10?`, answer: String(i + 10) }));
const answerFor = (prompt: string, seed: number) => {
  const right = Number(/What is (\d+)/.exec(prompt)?.[1]) + 10;
  return `Adding.\nSo \\boxed{${seed % 2 === 0 ? right : right + 1}}`;
};

let mock: MockOpenAIServer;
let dir: string;
beforeAll(async () => {
  mock = await MockOpenAIServer.start({ generate: (r) => answerFor(r.prompt, r.seed), responseDelayMs: 5 });
  dir = mkdtempSync(join(tmpdir(), "ttc-collect-"));
});
afterAll(() => mock.close());

function options(out: string, extra: Partial<CollectSamplesOptions> = {}): CollectSamplesOptions {
  const policy = new OpenAICompatiblePolicy({ endpoint: mock.baseUrl, model: "m", http: { sleep: async () => undefined } });
  return { policy, problems: PROBLEMS, n: 4, out, seed: 3, maxTokens: 64, temperature: 1, concurrency: 3, ...extra };
}

/** Records keyed and sorted, for comparing dumps regardless of finishing order. */
const byKey = (rs: SampleRecord[]) => [...rs].sort((a, b) => (a.problem + a.sample).localeCompare(b.problem + b.sample)).map((r) => JSON.stringify(r));

describe("sample records", () => {
  it("canonical JSON sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }], u: undefined })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

describe("collectSamples", () => {
  it("writes n graded, checksummed samples per problem with per-sample seeds", async () => {
    const out = join(dir, "full.jsonl");
    const res = await collectSamples(options(out));
    expect(res).toMatchObject({ total: 20, skipped: 0, written: 20, aborted: false, droppedTail: null });
    const { records } = await readSampleDump(out);
    expect(records).toHaveLength(20);
    for (const r of records) {
      const problem = PROBLEMS.find((p) => p.id === r.problem) as DatasetProblem;
      expect(r.seed).toBe(rng(3).fork(r.problem).fork(r.sample).seedInt());
      expect(r.text).toBe(answerFor(problem.problem, rng(r.seed).fork("p0-s0").seedInt()));
      expect(r.correct).toBe(r.answer === problem.answer);
      expect(r.completionTokens).toBe(r.text.length);
      expect([r.finishReason, r.groundTruth]).toEqual(["stop", problem.answer]);
    }
    expect(new Set(records.map((r) => r.correct))).toEqual(new Set([true, false]));
  });

  it("resumes a killed run: nothing lost, nothing repeated, a torn last line cut off, same samples as an uninterrupted run", async () => {
    const full = await readSampleDump(join(dir, "full.jsonl"));
    const out = join(dir, "resumed.jsonl");
    const stop = new AbortController();
    const before = mock.count("/v1/completions");
    const first = await collectSamples(options(out, { signal: stop.signal, onProgress: (p) => p.written >= 7 && stop.abort() }));
    expect(first.aborted).toBe(true);
    expect(first.written).toBe(7);
    // a kill in the middle of a write leaves half a line
    const torn = encodeSampleRecord(full.records[19] as SampleRecord).slice(0, 40);
    appendFileSync(out, torn);
    const damaged = await readSampleDump(out);
    expect(damaged.records).toHaveLength(7);
    expect(damaged.droppedTail).toMatchObject({ line: 8, bytes: 40 });

    const second = await collectSamples(options(out));
    expect(second).toMatchObject({ skipped: 7, written: 13, aborted: false });
    expect(second.droppedTail?.line).toBe(8);
    const after = await readSampleDump(out);
    expect(after.droppedTail).toBeNull();
    expect(byKey(after.records)).toEqual(byKey(full.records));
    // every line parses; the torn bytes are gone
    expect(readFileSync(out, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l).sha256.length)).toEqual(Array(20).fill(64));
    // at most the samples in flight (concurrency 3) were asked for twice
    expect(mock.count("/v1/completions") - before).toBeLessThanOrEqual(20 + 3);

    const third = await collectSamples(options(out));
    expect(third).toMatchObject({ skipped: 20, written: 0 });
  });

  it("a complete last record missing only its newline is kept, and the next append starts a new line", async () => {
    const out = join(dir, "no-newline.jsonl");
    const full = await readSampleDump(join(dir, "full.jsonl"));
    const p0s0 = full.records.find((r) => r.problem === "p0" && r.sample === 0) as SampleRecord;
    writeFileSync(out, encodeSampleRecord(p0s0).trimEnd());
    expect(await readSampleDump(out)).toMatchObject({ missingNewline: true, droppedTail: null });
    const res = await collectSamples(options(out, { problems: PROBLEMS.slice(0, 1), n: 2 }));
    expect(res).toMatchObject({ skipped: 1, written: 1 });
    const after = await readSampleDump(out);
    expect(after.records.map((r) => [r.problem, r.sample])).toEqual([["p0", 0], ["p0", 1]]);
    expect(after.missingNewline).toBe(false);
  });

  it("refuses corruption before the last line, naming file, line and field", async () => {
    const lines = readFileSync(join(dir, "full.jsonl"), "utf8").split("\n");
    const tampered = join(dir, "tampered.jsonl");
    writeFileSync(tampered, [lines[0], (lines[1] as string).replace('"text":"Adding.', '"text":"Adding!'), ...lines.slice(2)].join("\n"));
    const e = await readSampleDump(tampered).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toMatch(/tampered\.jsonl, line 2, field "sha256": checksum mismatch/);
    await expect(collectSamples(options(tampered))).rejects.toThrow(/line 2, field "sha256"/);

    const garbled = join(dir, "garbled.jsonl");
    writeFileSync(garbled, [lines[0], "{not json", lines[2], ""].join("\n"));
    await expect(readSampleDump(garbled)).rejects.toThrow(/garbled\.jsonl, line 2: malformed JSON/);

    const dup = join(dir, "dup.jsonl");
    writeFileSync(dup, [lines[0], lines[0], ""].join("\n"));
    await expect(readSampleDump(dup)).rejects.toThrow(/line 2, field "sample": duplicate \(problem, sample\) pair/);
  });

  it("loads into a SampleTable the offline estimators read", async () => {
    const table = await loadSampleDump(join(dir, "full.jsonl"));
    const { records } = await readSampleDump(join(dir, "full.jsonl"));
    expect(table.size).toBe(20);
    expect(table.problemIds()).toHaveLength(5);
    const counts = table.counts();
    for (const c of counts) {
      expect(c.n).toBe(4);
      expect(c.c).toBe(records.filter((r) => r.problem === c.problem && r.correct).length);
    }
    const pass1 = counts.reduce((a, c) => a + passAtK(c.n, c.c, 1), 0) / counts.length;
    expect(pass1).toBeCloseTo(records.filter((r) => r.correct).length / 20, 12);
    expect(table.groundTruth).toEqual(PROBLEMS.map((p) => p.answer));
    expect(table.completionTokens).not.toBeNull();
  });

  it("works with any Policy and reports finish reasons from its flags; a failing policy stops the run with its error", async () => {
    const fake: Policy = {
      name: "fake",
      stepSeparator: "\n",
      countTokens: (t) => t.length,
      sampleSteps: async (prefixes, o) => ({
        samples: prefixes.map(() => [{ text: `\\boxed{${o.rng.int(2) + 10}}`, tokens: 3, finished: o.rng.next() < 0.5, stepEnded: false }]),
        usage: { promptTokens: 0, generatedTokens: 3 },
      }),
    };
    const out = join(dir, "fake.jsonl");
    const progress: string[] = [];
    await collectSamples({ ...options(out), policy: fake, problems: PROBLEMS.slice(0, 2), onProgress: (p) => progress.push(formatCollectProgress(p)) });
    const { records } = await readSampleDump(out);
    expect(new Set(records.map((r) => r.finishReason))).toEqual(new Set(["stop", "length"]));
    expect(progress[progress.length - 1]).toMatch(/^8\/8 samples \(100\.0%\), \d+ tok\/s, ETA 0s$/);

    let calls = 0;
    const failing: Policy = { ...fake, sampleSteps: async (p, o) => (++calls === 3 ? Promise.reject(new Error("boom")) : fake.sampleSteps(p, o)) };
    await expect(collectSamples({ ...options(join(dir, "failing.jsonl")), policy: failing, concurrency: 1 })).rejects.toThrow("boom");
    expect((await readSampleDump(join(dir, "failing.jsonl"))).records).toHaveLength(2);
  });

  it("checks its arguments", async () => {
    await expect(collectSamples(options(join(dir, "x.jsonl"), { n: 0 }))).rejects.toThrow("collectSamples requires a positive integer n, got 0");
    await expect(collectSamples(options(join(dir, "x.jsonl"), { concurrency: 0 }))).rejects.toThrow("a positive integer concurrency, got 0");
    await expect(collectSamples(options(join(dir, "x.jsonl"), { problems: [PROBLEMS[0] as DatasetProblem, PROBLEMS[0] as DatasetProblem] }))).rejects.toThrow('problems with unique ids, got "p0"');
  });
});
