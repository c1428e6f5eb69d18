import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../core/errors.ts";
import { SampleTable } from "./sample-table.ts";
import { SampleTableBuilder } from "./sample-table-builder.ts";

function small(): SampleTable {
  const b = new SampleTableBuilder();
  b.add({ problem: "b", sample: 1, answer: "7", correct: false, score: 0.25, completionTokens: 40, groundTruth: "6", level: 3 });
  b.add({ problem: "a", sample: 0, answer: "4", correct: true, score: 0.9, completionTokens: 10 });
  b.add({ problem: "b", sample: 0, answer: "6", correct: true, score: 0.75, completionTokens: 20 });
  b.add({ problem: "a", sample: 2, answer: null, correct: false, score: 0.1, completionTokens: 30, groundTruth: "4" });
  return b.build();
}

describe("SampleTable", () => {
  it("groups rows by problem (first appearance) and sorts samples", () => {
    const t = small();
    expect(t.size).toBe(4);
    expect(t.problemIds()).toEqual(["b", "a"]);
    expect(Array.from(t.sample)).toEqual([0, 1, 0, 2]);
    expect(Array.from(t.rowsOf("a"))).toEqual([2, 3]);
    expect(t.rangeOf(0)).toEqual([0, 2]);
    expect(t.counts()).toEqual([
      { problem: "b", n: 2, c: 1 },
      { problem: "a", n: 2, c: 1 },
    ]);
    const arrays = t.countArrays();
    expect(Array.from(arrays.n)).toEqual([2, 2]);
    expect(Array.from(arrays.c)).toEqual([1, 1]);
  });

  it("gives zero-copy per-problem views", () => {
    const t = small();
    expect(t.answersOf("b")).toEqual(["6", "7"]);
    expect(Array.from(t.correctOf("b"))).toEqual([1, 0]);
    expect(Array.from(t.scoresOf("a"))).toEqual([0.9, 0.1]);
    expect(Array.from(t.tokensOf("a"))).toEqual([10, 30]);
    expect(t.correctOf("a").buffer).toBe(t.correct.buffer);
    const codes = t.answerCodesOf("a");
    expect(codes[1]).toBe(-1);
    expect(t.answerCodes()[0]).not.toBe(t.answerCodes()[1]);
    expect(t.meta("b")).toEqual({ groundTruth: "6", level: 3 });
    expect(t.meta("a")).toEqual({ groundTruth: "4", level: null });
  });

  it("materialises rows and selects problems", () => {
    const t = small();
    expect(t.row(3)).toEqual({ problem: "a", sample: 2, answer: null, correct: false, completionTokens: 30, score: 0.1, groundTruth: "4" });
    const s = t.select(["a"]);
    expect(s.problemIds()).toEqual(["a"]);
    expect(s.size).toBe(2);
    expect([...s.rows()]).toEqual([...t.rows()].slice(2));
    expect(t.filter((_, meta) => meta.level === 3).problemIds()).toEqual(["b"]);
    expect(() => t.select(["zz"])).toThrow('SampleTable.select requires a problem id in the table, got "zz"');
    expect(() => t.select(["a", "a"])).toThrow(InvalidArgumentError);
  });

  it("refuses missing columns by name", () => {
    const t = new SampleTableBuilder().add({ problem: "p", correct: true }).build();
    expect(() => t.scoresOf("p")).toThrow("SampleTable.scoresOf requires a score column, got []");
    expect(t.columnNames()).toEqual([]);
    expect(Array.from(t.sample)).toEqual([0]);
  });

  it("validates columns given directly", () => {
    const base = {
      problemIds: ["p"],
      offsets: Uint32Array.of(0, 2),
      sample: Uint32Array.of(0, 1),
      answer: ["1", "2"],
      correct: Uint8Array.of(1, 0),
    };
    expect(new SampleTable(base).size).toBe(2);
    expect(() => new SampleTable({ ...base, score: Float64Array.of(0.5, NaN) })).toThrow(
      "SampleTable requires finite scores (index 1), got NaN",
    );
    expect(() => new SampleTable({ ...base, sample: Uint32Array.of(1, 1) })).toThrow(
      "SampleTable requires unique sample indices, ascending within a problem (row 1), got 1",
    );
    expect(() => new SampleTable({ ...base, answer: ["1"] })).toThrow("SampleTable requires column answer of length 2, got 1");
    expect(() => new SampleTable({ ...base, correct: Uint8Array.of(1, 2) })).toThrow("SampleTable requires correct values 0 or 1 (row 1), got 2");
  });

  it("keeps ragged step columns aligned through select", () => {
    const b = new SampleTableBuilder();
    b.add({ problem: "x", correct: true, stepScores: [0.5, 0.25], stepTokens: [3, 4] });
    b.add({ problem: "y", correct: false, stepScores: [], stepTokens: [] });
    b.add({ problem: "x", correct: false, stepScores: [0.125], stepTokens: [9] });
    const t = b.build();
    expect(Array.from(t.stepScoresOf(1))).toEqual([0.125]);
    const y = t.select(["y", "x"]);
    expect(Array.from(y.stepScoresOf(0))).toEqual([]);
    expect(Array.from(y.stepTokensOf(1))).toEqual([3, 4]);
  });

  it("converts to a danfojs DataFrame, or says how to install it", async () => {
    const t = small();
    const df = await t.toDataFrame();
    expect(df.shape).toEqual([4, 8]);
    expect(df.columns).toEqual(["problem", "sample", "answer", "correct", "completionTokens", "score", "groundTruth", "level"]);
    const { toDataFrame } = await import("./to-data-frame.ts");
    await expect(toDataFrame(t, { load: () => Promise.reject(new Error("Cannot find package 'danfojs-node'")) })).rejects.toThrow(
      "SampleTable.toDataFrame requires the optional package danfojs-node (npm install danfojs-node), got an import failure: Cannot find package 'danfojs-node'",
    );
  });
});
