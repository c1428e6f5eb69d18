import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { decodeAttention, keyScores, softmaxWeights, weightedValues, type DecodeAttentionShape } from "./decode-attention.ts";

/**
 * The reference: KvDecoder's attention loop as first written (one key at a
 * time, float64 scores, output lanes accumulated in place in the float32
 * output). decodeAttention must reproduce it to the bit.
 */
function reference(qkv: Float32Array, positions: Int32Array, k: Float32Array[], v: Float32Array[], s: DecodeAttentionShape, out: Float32Array, active?: boolean[]): void {
  const { heads, kvHeads, headDim: hd } = s;
  const dModel = heads * hd;
  const width = dModel + 2 * kvHeads * hd;
  const scale = 1 / Math.sqrt(hd);
  for (let b = 0; b < positions.length; b++) {
    if (active !== undefined && !active[b]) continue;
    const pos = positions[b]!;
    const row = b * width;
    for (let g = 0; g < kvHeads; g++) {
      k[b * kvHeads + g]!.set(qkv.subarray(row + dModel + g * hd, row + dModel + (g + 1) * hd), pos * hd);
      v[b * kvHeads + g]!.set(qkv.subarray(row + dModel + (kvHeads + g) * hd, row + dModel + (kvHeads + g + 1) * hd), pos * hd);
    }
    const scores = new Float64Array(pos + 1);
    for (let h = 0; h < heads; h++) {
      const [kc, vc] = [k[b * kvHeads + Math.floor(h / (heads / kvHeads))]!, v[b * kvHeads + Math.floor(h / (heads / kvHeads))]!];
      let max = -Infinity;
      for (let j = 0; j <= pos; j++) {
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += qkv[row + h * hd + i]! * kc[j * hd + i]!;
        dot *= scale;
        scores[j] = dot;
        if (dot > max) max = dot;
      }
      let z = 0;
      for (let j = 0; j <= pos; j++) z += scores[j] = Math.exp(scores[j]! - max);
      for (let j = 0; j <= pos; j++) {
        const w = scores[j]! / z;
        for (let i = 0; i < hd; i++) out[b * dModel + h * hd + i]! += w * vc[j * hd + i]!;
      }
    }
  }
}

/** Random caches filled up to each row's position, and one step's qkv (values of both signs, some large). */
function fixture(seed: string, s: DecodeAttentionShape, positions: number[], maxLen: number) {
  const r = rng(seed);
  const { heads, kvHeads, headDim: hd } = s;
  const cache = () => Array.from({ length: positions.length * kvHeads }, () => Float32Array.from({ length: maxLen * hd }, () => r.normal(0, 2)));
  const qkv = Float32Array.from({ length: positions.length * (heads + 2 * kvHeads) * hd }, () => r.normal(0, 3));
  return { k: cache(), v: cache(), qkv, positions: Int32Array.from(positions) };
}

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("decodeAttention", () => {
  // Head dims that are and are not multiples of 4; MHA, GQA, MQA; positions 0 … 40 with every residue mod 4.
  it.each([
    { heads: 4, kvHeads: 4, headDim: 16 },
    { heads: 4, kvHeads: 4, headDim: 12 },
    { heads: 4, kvHeads: 2, headDim: 6 },
    { heads: 3, kvHeads: 1, headDim: 5 },
    { heads: 2, kvHeads: 2, headDim: 1 },
  ])("gives the reference's outputs and caches bit for bit (%o)", (shape) => {
    const positions = [0, 1, 2, 3, 4, 5, 6, 7, 13, 40];
    const active = positions.map((_, b) => b !== 6);
    const a = fixture(`attn-${JSON.stringify(shape)}`, shape, positions, 41);
    const b = fixture(`attn-${JSON.stringify(shape)}`, shape, positions, 41);
    const [outA, outB] = [new Float32Array(positions.length * shape.heads * shape.headDim), new Float32Array(positions.length * shape.heads * shape.headDim)];
    reference(a.qkv, a.positions, a.k, a.v, shape, outA, active);
    decodeAttention(b.qkv, b.positions, b.k, b.v, shape, outB, active);
    expect(bytes(outB).equals(bytes(outA))).toBe(true);
    a.k.forEach((kc, i) => expect(bytes(b.k[i]!).equals(bytes(kc))).toBe(true));
    a.v.forEach((vc, i) => expect(bytes(b.v[i]!).equals(bytes(vc))).toBe(true));
    // The inactive row's output stays as given (zeros); the others were written.
    const row = 6 * shape.heads * shape.headDim;
    expect(Array.from(outB.subarray(row, row + shape.heads * shape.headDim)).every((x) => x === 0)).toBe(true);
    expect(Array.from(outB.subarray(0, row)).some((x) => x !== 0)).toBe(true);
  });

  it("leaves inactive rows' outputs as given and attends a first token to its own value", () => {
    const shape = { heads: 1, kvHeads: 1, headDim: 2 };
    const [k, v] = [[new Float32Array(8), new Float32Array(8)], [new Float32Array(8), new Float32Array(8)]];
    const out = Float32Array.of(-1, -1, -1, -1);
    decodeAttention(Float32Array.of(1, 0, 1, 0, 5, 6, 1, 1, 1, 1, 8, 9), Int32Array.of(0, 0), k, v, shape, out, [true, false]);
    expect(Array.from(out)).toEqual([5, 6, -1, -1]);
    expect(Array.from(k[1]!)).toEqual(new Array(8).fill(0));
  });
});

describe("decodeAttention's parts, each against the one-key-at-a-time loop in float64", () => {
  // Float32 outputs hide most float64 rounding differences, so each part is checked on its own, to the bit.
  const r = rng("parts");
  const f32 = (n: number) => Float32Array.from({ length: n }, () => r.normal(0, 2));

  it.each([16, 12, 7, 1])("keyScores: every score and the max (d %i, n 0 … 11)", (d) => {
    const q = Float64Array.from(f32(d));
    const k = f32(11 * d);
    for (let n = 0; n <= 11; n++) {
      const got = new Float64Array(11);
      const max = keyScores(q, k, n, 1 / Math.sqrt(d), got);
      const want = new Float64Array(11);
      let wantMax = -Infinity;
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += q[i]! * k[j * d + i]!;
        want[j] = dot * (1 / Math.sqrt(d));
        wantMax = Math.max(wantMax, want[j]!);
      }
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(max).toBe(wantMax);
    }
  });

  it("softmaxWeights: exp(s − max) / Σ, dividing each term (not multiplying by 1/Σ)", () => {
    const s = Float64Array.from({ length: 37 }, () => r.normal(0, 4));
    const max = Math.max(...s.subarray(0, 30));
    const want = Array.from(s.subarray(0, 30), (x) => Math.exp(x - max));
    const z = want.reduce((a, x) => a + x, 0);
    const tail = Array.from(s.subarray(30));
    softmaxWeights(s, 30, max);
    expect(Array.from(s.subarray(0, 30))).toEqual(want.map((x) => x / z));
    expect(Array.from(s.subarray(30))).toEqual(tail);
  });

  it.each([16, 12, 6, 3])("weightedValues: float32 accumulation in key order (d %i)", (d) => {
    const w = Float64Array.from({ length: 9 }, () => r.next());
    const v = f32(9 * d);
    const acc = new Float32Array(d).fill(99);
    weightedValues(w, v, 9, acc);
    const want = new Float32Array(d);
    for (let j = 0; j < 9; j++) for (let i = 0; i < d; i++) want[i]! += w[j]! * v[j * d + i]!;
    expect(bytes(acc).equals(bytes(want))).toBe(true);
  });
});
