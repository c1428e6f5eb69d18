import { describe, expect, it } from "vitest";
import { DataError } from "../core/errors.ts";
import { SampleTableBuilder } from "./sample-table-builder.ts";

describe("SampleTableBuilder", () => {
  it("numbers samples per problem when no index is given", () => {
    const b = new SampleTableBuilder();
    for (const p of ["x", "y", "x", "x"]) b.add({ problem: p, correct: p === "y" });
    const t = b.build();
    expect(Array.from(t.sample)).toEqual([0, 1, 2, 0]);
    expect(t.counts()).toEqual([
      { problem: "x", n: 3, c: 0 },
      { problem: "y", n: 1, c: 1 },
    ]);
  });

  it("sorts out-of-order and sparse sample indices, and finds their duplicates", () => {
    const b = new SampleTableBuilder({ source: "mem" });
    for (const s of [5, 4_000_000_000, 0, 70_000]) b.add({ problem: "p", sample: s, correct: true });
    expect(Array.from(b.build().sample)).toEqual([0, 5, 70_000, 4_000_000_000]);
    expect(() => b.add({ problem: "p", sample: 4_000_000_000, correct: false }, 9)).toThrow(
      'mem, line 9, field "sample": duplicate (problem, sample) pair ("p", 4000000000), first on line 2',
    );
    expect(() => b.add({ problem: "p", sample: 70_000, correct: false })).toThrow('mem, line 6, field "sample": duplicate (problem, sample) pair ("p", 70000), first on line 4');
  });

  it("leaves its state unchanged when it rejects a row", () => {
    const b = new SampleTableBuilder({ source: "mem" });
    b.add({ problem: "p", sample: 0, correct: true, score: 0.5 });
    expect(() => b.add({ problem: "q", sample: 0, correct: true, score: NaN })).toThrow('mem, line 2, field "score": expected a finite number, got NaN');
    expect(() => b.add({ problem: "q", sample: 0, correct: true })).toThrow(
      'mem, line 3, field "score": missing, but line 1 has it (a column is on every row or on none)',
    );
    expect(() => b.add({ problem: "q", sample: 0, correct: true, score: 1, completionTokens: 3 })).toThrow(
      'mem, line 4, field "completionTokens": present, but line 1 has none (a column is on every row or on none)',
    );
    expect(() => b.add({ problem: "p", sample: 1, correct: true, score: 1, stepTokens: [1] })).toThrow(DataError);
    expect(() => b.add({ problem: "q", correct: "yes" as unknown as boolean, sample: 0, score: 1 })).toThrow('mem, line 6, field "correct": expected a boolean, got "yes"');
    expect(b.size).toBe(1);
    b.add({ problem: "q", sample: 0, correct: false, score: 0.25 });
    expect(b.build().problemIds()).toEqual(["p", "q"]);
  });

  it("checks step lists and level values", () => {
    const b = new SampleTableBuilder({ source: "mem" });
    expect(() => b.add({ problem: "p", correct: true, stepScores: [0.1, Infinity] })).toThrow('mem, line 1, field "stepScores[1]": expected a finite number, got Infinity');
    expect(() => b.add({ problem: "p", correct: true, stepScores: [0.1], stepTokens: [1, 2] })).toThrow('mem, line 2, field "stepTokens": has 2 steps but stepScores has 1');
    expect(() => b.add({ problem: "p", correct: true, level: NaN })).toThrow('mem, line 3, field "level": expected a finite number, got NaN');
    b.add({ problem: "p", correct: true, level: 2 });
    expect(() => b.add({ problem: "p", correct: true, level: 3 })).toThrow('mem, line 5, field "level": 3 conflicts with 2 on line 4');
  });
});
