import { describe, expect, it } from "vitest";
import { groupSizeOf, headLayout } from "./head-layout.ts";

describe("headLayout", () => {
  it("names MHA, GQA, MQA and SQA and their savings", () => {
    expect(headLayout(8)).toMatchObject({ kind: "MHA", queryHeads: 8, kvHeads: 8, groupSize: 1, scoreFlopsRatio: 1, kvBytesRatio: 1 });
    expect(headLayout(32, 32, 8)).toMatchObject({ kind: "GQA", groupSize: 4, scoreFlopsRatio: 1, kvBytesRatio: 0.25 });
    expect(headLayout(8, 8, 1)).toMatchObject({ kind: "MQA", groupSize: 8 });
    // Symmetric SQA: half the query heads and half the KV heads — score FLOPs halve.
    expect(headLayout(16, 8, 8)).toMatchObject({ kind: "SQA", groupSize: 1, scoreFlopsRatio: 0.5, kvBytesRatio: 0.5 });
    // Extreme SQA with shared KV heads.
    expect(headLayout(16, 4, 2)).toMatchObject({ kind: "SQA", groupSize: 2, scoreFlopsRatio: 0.25 });
  });

  it("refuses layouts the kernels cannot map", () => {
    expect(() => headLayout(8, 6, 4)).toThrow('headLayout requires kvHeads to divide queryHeads, got {"queryHeads":6,"kvHeads":4}');
    expect(() => headLayout(8, 4, 8)).toThrow(/headLayout requires kvHeads <= queryHeads <= heads/);
    expect(() => headLayout(0)).toThrow(/positive integer head counts/);
    expect(groupSizeOf("f", 12, 3)).toBe(4);
    expect(() => groupSizeOf("f", 3, 2)).toThrow(/f requires kvHeads to divide queryHeads/);
  });
});
