import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractBoxed, normalizeAnswer } from "./extract-boxed.ts";
import { expandCounts, importCounts } from "./import-counts.ts";
import { importMonkeys } from "./import-monkeys.ts";
import { importSearchAndLearn } from "./import-search-and-learn.ts";
import { PartialReadError } from "./read-options.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures/data");
const dir = mkdtempSync(join(tmpdir(), "ttc-import-"));
const gsm8k = (s: string) => /#### (\S+)/.exec(s)?.[1] ?? null;

describe("importCounts", () => {
  it("reads CSV and JSONL counts and expands them to a table", async () => {
    const csv = await importCounts(join(fixtures, "counts.csv"));
    expect(csv.counts).toEqual([
      { problem: "gsm8k-0001", n: 100, c: 37 },
      { problem: "gsm8k-0002", n: 100, c: 0 },
      { problem: "math, algebra 3", n: 10, c: 10 },
    ]);
    const jsonl = await importCounts(join(fixtures, "counts.jsonl"));
    expect(jsonl.counts.map((k) => k.problem)).toEqual(["gsm8k-0001", "gsm8k-0002", "17"]);
    const table = expandCounts(csv.counts);
    expect(table.size).toBe(210);
    expect(table.counts()).toEqual(csv.counts);
  });

  it("rejects impossible counts with file, line and field", async () => {
    const path = join(dir, "bad-counts.csv");
    writeFileSync(path, "problem,num_samples,num_correct\na,10,3\nb,10,11\na,5,1\nc,,1\n");
    const e = (await importCounts(path).catch((x: unknown) => x)) as PartialReadError;
    expect(e.message).toBe(`${path}, line 3, field "num_correct": expected an integer in [0, num_samples = 10], got 11`);
    expect(e.partial.counts()).toEqual([{ problem: "a", n: 10, c: 3 }]);
    const { counts, errors } = await importCounts(path, { onError: "collect" });
    expect(counts).toHaveLength(1);
    expect(errors.map((x) => x.message.slice(path.length + 2))).toEqual([
      'line 3, field "num_correct": expected an integer in [0, num_samples = 10], got 11',
      'line 4, field "problem": duplicate problem "a", first on line 2',
      'line 5, field "num_samples": missing required field',
    ]);
  });
});

describe("importMonkeys", () => {
  it("expands is_corrects into one row per sample, with answers when asked", async () => {
    const { table, errors } = await importMonkeys(join(fixtures, "monkeys-gsm8k.jsonl"), { idField: "orig_dset_idx", extractAnswer: gsm8k });
    expect(errors).toEqual([]);
    expect(table.counts()).toEqual([
      { problem: "12", n: 4, c: 2 },
      { problem: "40", n: 4, c: 2 },
      { problem: "41", n: 4, c: 0 },
    ]);
    expect(table.answersOf("41")).toEqual(["18", "81", "1", "18"]);
    expect(table.meta("12").groundTruth).toBe("Ann has 3 + 4 = 7 apples.\n#### 7");
    const plain = (await importMonkeys(join(fixtures, "monkeys-gsm8k.jsonl"))).table;
    expect(plain.problemIds()).toEqual(["0", "1", "2"]);
    expect(plain.answersOf("0")).toEqual([null, null, null, null]);
  });

  it("names the record and field of a bad entry, and keeps the good records", async () => {
    const path = join(dir, "monkeys.jsonl");
    writeFileSync(path, ['{"is_corrects":[true,false]}', '{"is_corrects":[true,"no"]}', '{"samples":["x"]}', '{"is_corrects":[false]}'].join("\n"));
    const { table, errors } = await importMonkeys(path, { onError: "collect" });
    expect(errors.map((x) => x.message.slice(path.length + 2))).toEqual([
      'line 2, field "is_corrects[1]": expected a boolean, got "no"',
      'line 3, field "is_corrects": missing required field',
    ]);
    expect(table.counts()).toEqual([
      { problem: "0", n: 2, c: 1 },
      { problem: "3", n: 1, c: 0 },
    ]);
  });
});

describe("importSearchAndLearn", () => {
  it("extracts and grades each completion, keeping step scores, tokens and levels", async () => {
    const { table } = await importSearchAndLearn(join(fixtures, "search-and-learn-best_of_n.jsonl"));
    expect(table.problemIds()).toEqual(["test/prealgebra/1.json", "test/prealgebra/2.json"]);
    expect(table.answersOf(0)).toEqual(["2", "3", null]);
    expect(Array.from(table.correctOf(0))).toEqual([1, 0, 0]);
    expect(table.answersOf(1)).toEqual(["\\dfrac{1}{2}", "\\frac{2}{4}", "\\frac{1}{2}"]);
    expect(Array.from(table.correctOf(1))).toEqual([1, 0, 1]);
    expect(Array.from(table.scoresOf(1))).toEqual([0.8, 0.4, 0.9]);
    expect(Array.from(table.stepScoresOf(3))).toEqual([0.7, 0.6, 0.8]);
    expect(Array.from(table.tokensOf(0))).toEqual([21, 21, 9]);
    expect(table.meta(1)).toEqual({ groundTruth: "\\frac{1}{2}", level: 2 });
    const min = (await importSearchAndLearn(join(fixtures, "search-and-learn-best_of_n.jsonl"), { outcome: "min" })).table;
    expect(Array.from(min.scoresOf(1))).toEqual([0.6, 0.4, 0.2]);
    const none = (await importSearchAndLearn(join(fixtures, "search-and-learn-best_of_n.jsonl"), { outcome: "none" })).table;
    expect(none.columnNames()).toEqual(["completionTokens", "stepScores"]);
  });

  it("reports mismatched lists and NaN step scores by field", async () => {
    const path = join(dir, "sal.jsonl");
    writeFileSync(path, ['{"answer":"1","completions":["a","b"],"scores":[[0.5]]}', '{"answer":"1","completions":["a"],"scores":[[0.5,NaN]]}'].join("\n"));
    const { errors } = await importSearchAndLearn(path, { onError: "collect" });
    expect(errors.map((x) => x.message.slice(path.length + 2))).toEqual([
      'line 1, field "scores": expected 2 lists of step scores (one per completion), got [[0.5]]',
      'line 2, field "scores[0][1]": expected a finite number, got NaN',
    ]);
  });
});

describe("answer helpers", () => {
  it("take the last boxed answer with nested braces", () => {
    expect(extractBoxed("a \\boxed{1} then \\boxed{\\frac{1}{2}}.")).toBe("\\frac{1}{2}");
    expect(extractBoxed("\\boxed{unclosed")).toBeNull();
    expect(extractBoxed("no answer")).toBeNull();
    expect(normalizeAnswer(" $\\dfrac{1}{2}$. ")).toBe("\\frac{1}{2}");
  });
});
