import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MockOpenAIServer } from "../llm/mock-openai-server.test-util.ts";
import { loadSampleDump, readSampleDump } from "../llm/read-sample-dump.ts";
import { main } from "./main.ts";
import { sampleCommand } from "./sample.ts";

let mock: MockOpenAIServer;
let dir: string;
let dataset: string;
beforeAll(async () => {
  // GSM8K-style: the answer field is a reference solution ending in "#### n"
  mock = await MockOpenAIServer.start({ generate: (r) => `Let me add.\n#### ${r.seed % 2 === 0 ? 12 : 13}`, responseDelayMs: 3 });
  dir = mkdtempSync(join(tmpdir(), "ttc-sample-cli-"));
  dataset = join(dir, "problems.jsonl");
  writeFileSync(dataset, ['{"id": "a", "problem": "5 + 7?", "answer": "5 + 7 = 12\\n#### 12"}', '{"id": 2, "problem": "6 + 6?", "answer": 12}', ""].join("\n"));
});
afterAll(() => mock.close());

/** Run the command; with `stopAtFirstProgress`, stop it (like Ctrl-C) when it prints its first progress line, i.e. after its first sample. */
function run(args: string[], stopAtFirstProgress = false): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stop = new AbortController();
  const stderr = (t: string) => {
    err += t;
    if (stopAtFirstProgress && t.startsWith("[ttc sample]")) stop.abort();
  };
  return sampleCommand(args, { stdout: (t) => void (out += t), stderr, signal: stop.signal }).then((code) => ({ code, out, err }));
}

const base = () => ["--endpoint", mock.baseUrl, "--model", "m", "--dataset", dataset, "--n", "6"];

describe("ttc sample", () => {
  it("collects, shows progress, and resumes after being stopped", async () => {
    const out = join(dir, "dump.jsonl");
    const first = await run([...base(), "--out", out, "--concurrency", "2", "--seed", "4", "--max-tokens", "50", "--temperature", "0.5", "--top-p", "0.9"], true);
    const partial = (await readSampleDump(out)).records.length;
    expect(first.code).toBe(130);
    expect(partial).toBe(1);
    expect(first.err).toMatch(/stopped; .*dump\.jsonl: 1\/12 samples .*Rerun the same command to resume/);
    const second = await run([...base(), "--out", out, "--concurrency", "2", "--seed", "4", "--max-tokens", "50", "--temperature", "0.5", "--top-p", "0.9", "--prompt", "Q: {problem}\nA:"]);
    expect(second.code).toBe(0);
    expect(second.out).toContain(`12/12 samples (${partial} already there, ${12 - partial} new`);
    expect(second.err).toMatch(/\[ttc sample\] 12\/12 samples \(100\.0%\), \d+ tok\/s, ETA 0s/);
    const body = mock.requests[mock.requests.length - 1]?.body;
    expect(body).toMatchObject({ model: "m", max_tokens: 50, temperature: 0.5, top_p: 0.9, n: 1 });
    expect(String(body?.prompt)).toMatch(/^Q: [56] \+ [67]\?\nA:$/);
    const table = await loadSampleDump(out);
    expect(table.problemIds()).toEqual(["a", "2"]);
    expect(table.size).toBe(12);
    const { records } = await readSampleDump(out);
    for (const r of records) expect([r.correct, r.groundTruth.endsWith("12")]).toEqual([r.answer === "12", true]);
    expect(new Set(records.map((r) => r.answer))).toEqual(new Set(["12", "13"]));
  });

  it("is reachable as `ttc sample` and `--help` prints its usage", async () => {
    let text = "";
    const code = await sampleCommand(["--help"], { stdout: (t) => void (text += t) });
    expect(code).toBe(0);
    expect(text).toContain("ttc sample --endpoint URL --model NAME --dataset FILE --n N --out dump.jsonl");
    const orig = process.stderr.write.bind(process.stderr);
    let err = "";
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      expect(await main(["sample", "--model", "m"])).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    expect(err).toContain("ttc sample requires --endpoint, got none");
  });

  it("reports bad input with file, line and field, and a refused request with status, URL and message (exit 2)", async () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"id": "a", "problem": "x", "answer": "1"}\n{"id": "b", "problem": "", "answer": "1"}\n');
    const r1 = await run(["--endpoint", mock.baseUrl, "--model", "m", "--dataset", bad, "--n", "1", "--out", join(dir, "o1.jsonl")]);
    expect(r1.code).toBe(2);
    expect(r1.err).toContain(`${bad}, line 2, field "problem": expected a non-empty string`);
    const dupe = join(dir, "dupe.jsonl");
    writeFileSync(dupe, '{"id": 1, "problem": "x", "answer": "1"}\n{"id": "1", "problem": "y", "answer": "1"}\n');
    expect((await run(["--endpoint", mock.baseUrl, "--model", "m", "--dataset", dupe, "--n", "1", "--out", join(dir, "o2.jsonl")])).err).toContain('line 2, field "id": duplicate id "1", first on line 1');
    expect((await run([...base(), "--out", join(dir, "o3.jsonl"), "--n", "two"])).err).toContain('requires --n to be an integer, got "two"');
    expect((await run([...base(), "--out", join(dir, "o3.jsonl"), "--prompt", "no placeholder"])).err).toContain("--prompt to contain {problem}");
    expect((await run([...base(), "--out", join(dir, "o3.jsonl"), "--dataset", join(dir, "missing.jsonl")])).err).toContain("--dataset to name an existing file");

    mock.fail("/v1/completions", { status: 400, body: JSON.stringify({ error: { message: "This model's maximum context length is 4096 tokens" } }) });
    const r2 = await run([...base(), "--out", join(dir, "o4.jsonl"), "--concurrency", "1"]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`POST ${mock.baseUrl}/completions failed with HTTP 400: "This model's maximum context length is 4096 tokens"`);
  });
});
