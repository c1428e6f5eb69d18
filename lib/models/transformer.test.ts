import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { TINY } from "./models-fixtures.test-util.ts";
import { layerNorm, matMul2d } from "./ops.ts";
import { createTransformer } from "./transformer.ts";
import { countParams, paramSpecs } from "./transformer-config.ts";

describe("Transformer", () => {
  beforeAll(async () => void (await selectBackend({ name: "wasm" })));

  it("maps [B, T] ids to [B, T, V] logits for MHA and GQA without leaking tensors", () => {
    for (const kvHeads of [4, 2, 1]) {
      const model = createTransformer({ ...TINY, kvHeads }, rng(1));
      const before = tf.memory().numTensors;
      const ids = tf.tensor2d([[1, 4, 5, 6, 3, 7], [1, 8, 9, 0, 2, 0]], [2, 6], "int32");
      const logits = model.forward(ids);
      expect(logits.shape).toEqual([2, 6, TINY.vocabSize]);
      expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([ids, logits]);
      expect(tf.memory().numTensors).toBe(before);
      expect(model.numParams).toBe(countParams({ ...TINY, kvHeads }));
      model.dispose();
    }
  });

  it("is causal: later tokens do not change earlier logits", () => {
    const model = createTransformer(TINY, rng(2));
    const a = tf.tensor2d([[1, 4, 5, 6, 3, 7]], [1, 6], "int32");
    const b = tf.tensor2d([[1, 4, 5, 9, 9, 9]], [1, 6], "int32");
    const [ya, yb] = [model.forward(a), model.forward(b)];
    const [la, lb] = [ya.arraySync()[0]!, yb.arraySync()[0]!];
    for (let t = 0; t < 3; t++) for (let v = 0; v < TINY.vocabSize; v++) expect(Math.abs(la[t]![v]! - lb[t]![v]!)).toBeLessThan(1e-6);
    expect(Math.abs(la[3]![0]! - lb[3]![0]!)).toBeGreaterThan(0);
    tf.dispose([a, b, ya, yb]);
    model.dispose();
  });

  it("initialises identically from the same seed and differently from another", () => {
    const [m1, m2, m3] = [createTransformer(TINY, rng(7)), createTransformer(TINY, rng(7)), createTransformer(TINY, rng(8))];
    const w = (m: typeof m1) => Array.from(m.param("l1.wq").dataSync());
    expect(w(m1)).toEqual(w(m2));
    expect(w(m1)).not.toEqual(w(m3));
    expect(paramSpecs(TINY)[0]).toEqual({ name: "tok_emb", shape: [TINY.vocabSize, 24] });
    [m1, m2, m3].forEach((m) => m.dispose());
  });

  it("rejects a config whose heads do not divide dModel, and sequences past maxLen", () => {
    expect(() => createTransformer({ ...TINY, heads: 5 }, rng(1))).toThrow(/resolveConfig requires dModel divisible by heads/);
    const model = createTransformer(TINY, rng(1));
    const ids = tf.zeros([1, TINY.maxLen + 1], "int32") as tf.Tensor2D;
    expect(() => model.forward(ids)).toThrow(/Transformer.forward requires 1..96 tokens per row/);
    ids.dispose();
    model.dispose();
  });
});

describe("custom-gradient ops", () => {
  beforeAll(async () => void (await selectBackend({ name: "wasm" })));

  it("matMul2d and layerNorm have the gradients of their autodiff references", () => {
    const r = rng("ops");
    const t = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => r.normal()), shape);
    const before = tf.memory().numTensors;
    const [a, b, x, g, bias, dy] = [t([5, 7]), t([7, 3]), t([6, 8]), t([8]), t([8]), t([6, 8])];
    const mmGot = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.sin(matMul2d(p as tf.Tensor2D, q as tf.Tensor2D))))([a, b]);
    const mmRef = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.sin(tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D))))([a, b]);
    const reference = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const xc = tf.sub(xi, tf.mean(xi, -1, true));
      return tf.add(tf.mul(tf.div(xc, tf.sqrt(tf.add(tf.mean(tf.mul(xc, xc), -1, true), 1e-5))), gi), bi);
    };
    const lnGot = tf.grads((p: tf.Tensor, q: tf.Tensor, s: tf.Tensor) => tf.sum(tf.mul(layerNorm(p as tf.Tensor2D, q as tf.Tensor1D, s as tf.Tensor1D), dy)))([x, g, bias]);
    const lnRef = tf.grads((p: tf.Tensor, q: tf.Tensor, s: tf.Tensor) => tf.sum(tf.mul(reference(p, q, s), dy)))([x, g, bias]);
    const diff = (p: tf.Tensor, q: tf.Tensor) => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0] as number;
    tf.tidy(() => {
      const [yGot, yRef] = [layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, bias as tf.Tensor1D), reference(x, g, bias)];
      expect(diff(yGot, yRef)).toBeLessThan(1e-5);
      [0, 1].forEach((i) => expect(diff(mmGot[i]!, mmRef[i]!)).toBeLessThan(1e-5));
      [0, 1, 2].forEach((i) => expect(diff(lnGot[i]!, lnRef[i]!)).toBeLessThan(1e-4));
    });
    tf.dispose([a, b, x, g, bias, dy, ...mmGot, ...mmRef, ...lnGot, ...lnRef]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
