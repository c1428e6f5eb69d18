import { describe, expect, it } from "vitest";
import { kvPrefixValues, kvSpanBytes, sliceKvSpan, type KvSpan } from "./kv-span.ts";

// 2 layers × 1 KV head × headDim 2 over 3 positions: key entries 0…5 per layer (+10 for layer 1), values negated.
const span: KvSpan = {
  length: 3,
  k: [[Float32Array.of(0, 1, 2, 3, 4, 5)], [Float32Array.of(10, 11, 12, 13, 14, 15)]],
  v: [[Float32Array.of(-0, -1, -2, -3, -4, -5)], [Float32Array.of(-10, -11, -12, -13, -14, -15)]],
  values: Float32Array.of(7, 8, 9),
};

describe("KvSpan helpers", () => {
  it("slice positions with their keys, values and per-position values, copying (the source is untouched)", () => {
    const mid = sliceKvSpan(span, 1, 3);
    expect(mid.length).toBe(2);
    expect(mid.k.map((l) => Array.from(l[0]!))).toEqual([[2, 3, 4, 5], [12, 13, 14, 15]]);
    expect(Array.from(mid.v[1]![0]!)).toEqual([-12, -13, -14, -15]);
    expect(Array.from(mid.values!)).toEqual([8, 9]);
    (mid.k[0]![0] as Float32Array)[0] = 99;
    expect(span.k[0]![0]![2]).toBe(2);
    expect(sliceKvSpan({ length: 0, k: [[new Float32Array(0)]], v: [[new Float32Array(0)]] }, 0, 0).length).toBe(0);
  });

  it("count bytes (2 layers × 2 arrays × 6 floats + 3 values = 27 floats) and concatenate a prefix's values up to its length", () => {
    expect(kvSpanBytes(span)).toBe(27 * 4);
    expect(kvPrefixValues({ length: 4, spans: [span, { ...span, values: Float32Array.of(1, 2, 3) }] })).toEqual(Float32Array.of(7, 8, 9, 1));
    expect(kvPrefixValues({ length: 2, spans: [{ ...span, values: undefined as unknown as Float32Array }] })).toEqual(new Float32Array(2));
  });
});
