import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { maxAbsDiff, randTensor, TEST_BACKENDS } from "./attention-fixtures.test-util.ts";
import { denseAttentionWithLse } from "./dense-attention.ts";
import { mergeAttention } from "./merge-attention.ts";

describe.each(TEST_BACKENDS)("mergeAttention on %s", (backend) => {
  beforeAll(async () => void (await selectBackend({ name: backend })));
  afterAll(async () => void (await selectBackend({ name: "cpu" })));

  it("merging attention over disjoint key ranges equals attention over their union", () => {
    const r = rng("merge/union");
    const [q, k, v] = [randTensor(r, [2, 4, 3, 8]), randTensor(r, [2, 2, 20, 8]), randTensor(r, [2, 2, 20, 8])];
    const whole = denseAttentionWithLse(q, k, v);
    const cuts = [0, 3, 11, 20];
    const parts = cuts.slice(1).map((end, i) => {
      const start = cuts[i]!;
      return denseAttentionWithLse(q, tf.slice(k, [0, 0, start, 0], [2, 2, end - start, 8]), tf.slice(v, [0, 0, start, 0], [2, 2, end - start, 8]));
    });
    const before = tf.memory().numTensors;
    const merged = mergeAttention(parts);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(maxAbsDiff(merged.output, whole.output)).toBeLessThan(1e-5);
    expect(maxAbsDiff(merged.lse, whole.lse)).toBeLessThan(1e-5);
    tf.dispose([q, k, v, whole.output, whole.lse, merged.output, merged.lse, ...parts.flatMap((p) => [p.output, p.lse])]);
  });

  it("a part with no visible keys (lse ≈ −1e30) gets weight zero", () => {
    const r = rng("merge/empty");
    const [q, k, v] = [randTensor(r, [1, 2, 1, 4]), randTensor(r, [1, 2, 5, 4]), randTensor(r, [1, 2, 5, 4])];
    const real = denseAttentionWithLse(q, k, v);
    const empty = denseAttentionWithLse(q, k, v, { kvLengths: [0] });
    const merged = mergeAttention([empty, real]);
    expect(maxAbsDiff(merged.output, real.output)).toBeLessThan(1e-6);
    expect(maxAbsDiff(merged.lse, real.lse)).toBeLessThan(1e-6);
    tf.dispose([q, k, v, real.output, real.lse, empty.output, empty.lse, merged.output, merged.lse]);
  });
});

describe("mergeAttention argument checks", () => {
  it("needs parts of one shape", () => {
    expect(() => mergeAttention([])).toThrow("mergeAttention requires at least one part, got 0");
    const a = { output: tf.zeros([2, 4]), lse: tf.zeros([2]) };
    const b = { output: tf.zeros([3, 4]), lse: tf.zeros([3]) };
    expect(() => mergeAttention([a, b])).toThrow(/mergeAttention requires parts with output/);
    tf.dispose([a.output, a.lse, b.output, b.lse]);
  });
});
