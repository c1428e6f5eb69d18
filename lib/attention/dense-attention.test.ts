import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { maxAbsDiff, randn, TEST_BACKENDS } from "./attention-fixtures.test-util.ts";
import { denseAttention, denseAttentionWithLse } from "./dense-attention.ts";

/** Float64 loops straight from the definition: query head h reads KV head ⌊h/G⌋, bottom-right causal mask. */
function naive(q: Float32Array, k: Float32Array, v: Float32Array, [b, hq, tq, hkv, tk, d]: number[], causal: boolean, lens?: number[]) {
  const [B, Hq, Tq, Hkv, Tk, D] = [b, hq, tq, hkv, tk, d] as number[] as [number, number, number, number, number, number];
  const out = new Float64Array(B * Hq * Tq * D);
  const lse = new Float64Array(B * Hq * Tq);
  for (let bi = 0; bi < B; bi++)
    for (let h = 0; h < Hq; h++)
      for (let i = 0; i < Tq; i++) {
        const kh = Math.floor(h / (Hq / Hkv));
        const len = lens?.[bi] ?? Tk;
        const last = causal ? len - Tq + i : len - 1;
        const s: number[] = [];
        for (let j = 0; j <= last; j++) {
          let dot = 0;
          for (let x = 0; x < D; x++) dot += q[((bi * Hq + h) * Tq + i) * D + x]! * k[((bi * Hkv + kh) * Tk + j) * D + x]!;
          s.push(dot / Math.sqrt(D));
        }
        const m = Math.max(...s);
        const w = s.map((x) => Math.exp(x - m));
        const z = w.reduce((a, c) => a + c, 0);
        lse[(bi * Hq + h) * Tq + i] = m + Math.log(z);
        for (let j = 0; j <= last; j++)
          for (let x = 0; x < D; x++) out[((bi * Hq + h) * Tq + i) * D + x]! += (w[j]! / z) * v[((bi * Hkv + kh) * Tk + j) * D + x]!;
      }
  return { out, lse };
}

describe.each(TEST_BACKENDS)("denseAttention on %s", (backend) => {
  beforeAll(async () => void (await selectBackend({ name: backend })));
  afterAll(async () => void (await selectBackend({ name: "cpu" })));

  // [B, H_q, T_q, H_kv, T_k, d], causal, kvLengths: MHA prefill, GQA causal prefill, MQA decode, SQA-style ragged decode.
  const cases: [string, number[], boolean, number[] | undefined][] = [
    ["MHA prefill", [1, 2, 5, 2, 5, 4], true, undefined],
    ["GQA causal, ragged", [2, 4, 3, 2, 9, 8], true, [9, 6]],
    ["MQA decode", [2, 4, 1, 1, 13, 8], false, undefined],
    ["SQA (H_q 2 of H 4, H_kv 1) ragged decode", [3, 2, 1, 1, 11, 16], false, [11, 1, 7]],
  ];
  it.each(cases)("%s matches float64 loops from the definition", (_name, dims, causal, lens) => {
    const [b, hq, tq, hkv, tk, d] = dims as [number, number, number, number, number, number];
    const r = rng(`dense/${_name}`);
    const [qa, ka, va] = [randn(r, b * hq * tq * d), randn(r, b * hkv * tk * d), randn(r, b * hkv * tk * d)];
    const before = tf.memory().numTensors;
    const [q, k, v] = [tf.tensor4d(qa, [b, hq, tq, d]), tf.tensor4d(ka, [b, hkv, tk, d]), tf.tensor4d(va, [b, hkv, tk, d])];
    const opts = lens === undefined ? { causal } : { causal, kvLengths: lens };
    const ref = naive(qa, ka, va, dims, causal, lens);
    const o = denseAttention(q, k, v, opts);
    expect(o.shape).toEqual([b, hq, tq, d]);
    expect(maxAbsDiff(o, ref.out)).toBeLessThan(1e-5);
    const withLse = denseAttentionWithLse(q, k, v, opts);
    expect(maxAbsDiff(withLse.lse, ref.lse)).toBeLessThan(1e-5);
    tf.dispose([q, k, v, o, withLse.output, withLse.lse]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("explicit scale multiplies the scores", () => {
    const r = rng("dense/scale");
    const [q, k, v] = [tf.tensor4d(randn(r, 8), [1, 1, 2, 4]), tf.tensor4d(randn(r, 12), [1, 1, 3, 4]), tf.tensor4d(randn(r, 12), [1, 1, 3, 4])];
    const a = denseAttention(q, k, v, { scale: 1 });
    const b = denseAttention(tf.mul(q, 2), k, v, { scale: 0.5 });
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    tf.dispose([q, k, v, a, b]);
  });
});

describe("denseAttention argument checks", () => {
  it("names the function and the requirement", () => {
    const q = tf.zeros([1, 3, 1, 4]);
    const k = tf.zeros([1, 2, 5, 4]);
    expect(() => denseAttention(q, k, k)).toThrow('denseAttention requires kvHeads to divide queryHeads, got {"queryHeads":3,"kvHeads":2}');
    expect(() => denseAttention(tf.zeros([1, 2, 1, 4]), k, k, { kvLengths: [6] })).toThrow("denseAttention requires kvLengths in [0, 5], got [6]");
    expect(() => denseAttention(tf.zeros([1, 2, 6, 4]), k, k, { causal: true })).toThrow(/requires T_q <= visible keys/);
    tf.dispose([q, k]);
  });
});
