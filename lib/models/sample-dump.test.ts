import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleTinyCommand } from "../cli/sample-tiny.ts";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { readParquet } from "../data/read-parquet.ts";
import { saveCheckpoint } from "./checkpoint.ts";
import { TINY } from "./models-fixtures.test-util.ts";
import { tinySampleDump } from "./sample-dump.ts";
import { createTransformer } from "./transformer.ts";

describe("tinySampleDump", () => {
  const dir = mkdtempSync(join(tmpdir(), "ttc-dump-"));
  beforeAll(async () => void (await selectBackend({ name: "wasm" })));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes one graded row per sample with lengths, line tokens and both reward models' scores, deterministically", () => {
    const policy = createTransformer(TINY, rng("dump-policy"));
    const rm = createTransformer(TINY, rng("dump-rm"));
    const before = tf.memory().numTensors;
    const make = () => tinySampleDump({ policy, levels: [1, 2], problemsPerLevel: 2, n: 3, rng: rng(5), prm: rm, orm: rm });
    const table = make();
    expect(table.size).toBe(12);
    expect(table.problemIds()).toEqual(["L1-0", "L1-1", "L2-0", "L2-1"]);
    expect(Array.from(table.level)).toEqual([1, 1, 2, 2]);
    expect(table.groundTruth.every((g) => /^\d{3}$/.test(g ?? ""))).toBe(true);
    for (let r = 0; r < table.size; r++) {
      const lines = table.stepTokens!.values.subarray(table.stepTokens!.offsets[r], table.stepTokens!.offsets[r + 1]);
      const scores = table.stepScores!.values.subarray(table.stepScores!.offsets[r], table.stepScores!.offsets[r + 1]);
      expect(scores.length).toBe(lines.length); // one PRM score per line
      expect(Array.from(lines).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(table.completionTokens![r]!);
      expect(table.score![r]).toBeGreaterThanOrEqual(0);
    }
    expect(Array.from(table.correct).every((c) => c === 0)).toBe(true); // a random-init policy writes no right trace
    expect(JSON.stringify(make())).toBe(JSON.stringify(table));
    expect(tf.memory().numTensors).toBe(before);
    policy.dispose();
    rm.dispose();
  }, 60_000);

  it("ttc sample --checkpoint writes the table as Parquet and names bad options", async () => {
    const policy = createTransformer(TINY, rng("dump-cli"));
    saveCheckpoint(join(dir, "policy"), policy);
    policy.dispose();
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) };
    const file = join(dir, "dump.parquet");
    expect(await sampleTinyCommand(["--checkpoint", join(dir, "policy"), "--levels", "1", "--problems", "2", "--n", "2", "--out", file, "--backend", "wasm", "--quiet"], io)).toBe(0);
    expect(out.join("")).toContain("4 samples of 2 problems");
    const back = await readParquet(file);
    expect(back.table.size).toBe(4);
    expect(back.errors).toEqual([]);
    expect(readFileSync(file).length).toBeGreaterThan(0);
    expect(await sampleTinyCommand(["--checkpoint", join(dir, "policy"), "--problems", "2", "--n", "2", "--out", join(dir, "x.txt")], io)).toBe(2);
    expect(await sampleTinyCommand(["--checkpoint", join(dir, "policy"), "--problems", "0", "--n", "2", "--out", file], io)).toBe(2);
    expect(await sampleTinyCommand(["--checkpoint", join(dir, "policy"), "--n", "2", "--out", file], io)).toBe(2);
    expect(err.join("")).toContain('ttc sample requires --out ending in .jsonl, .csv or .parquet, got "');
    expect(err.join("")).toContain('ttc sample requires --problems to be a positive integer, got "0"');
    expect(err.join("")).toContain("ttc sample requires --problems, got none");
  }, 60_000);
});
