import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { maxAbsDiff, randTensor, TEST_BACKENDS } from "./attention-fixtures.test-util.ts";
import { denseAttentionWithLse } from "./dense-attention.ts";
import { tiledAttention } from "./tiled-attention.ts";

describe.each(TEST_BACKENDS)("tiledAttention on %s", (backend) => {
  beforeAll(async () => void (await selectBackend({ name: backend })));
  afterAll(async () => void (await selectBackend({ name: "cpu" })));

  // [B, H_q, T_q, H_kv, T_k, d], tile, causal, kvLengths — T never a multiple of the tile.
  const cases: [string, number[], number, boolean, number[] | undefined][] = [
    ["GQA causal prefill, T 37 / tile 8", [2, 4, 37, 2, 37, 8], 8, true, undefined],
    ["MQA prefill, tile 1", [1, 3, 6, 1, 6, 4], 1, true, undefined],
    ["ragged decode, tile 5", [3, 4, 1, 2, 23, 16], 5, false, [23, 4, 17]],
    ["causal with ragged lengths, tile 6", [2, 2, 3, 2, 19, 8], 6, true, [19, 10]],
    ["tile longer than T", [1, 2, 4, 2, 9, 8], 64, false, undefined],
  ];
  it.each(cases)("%s equals dense to 1e-5 (output and lse) and leaks nothing", (name, dims, tileSize, causal, lens) => {
    const [b, hq, tq, hkv, tk, d] = dims as [number, number, number, number, number, number];
    const r = rng(`tiled/${name}`);
    const [q, k, v] = [randTensor(r, [b, hq, tq, d]), randTensor(r, [b, hkv, tk, d]), randTensor(r, [b, hkv, tk, d])];
    const opts = lens === undefined ? { causal } : { causal, kvLengths: lens };
    const ref = denseAttentionWithLse(q, k, v, opts);
    const before = tf.memory().numTensors;
    const got = tiledAttention(q, k, v, { ...opts, tileSize });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(got.output.shape).toEqual([b, hq, tq, d]);
    expect(got.lse.shape).toEqual([b, hq, tq]);
    expect(maxAbsDiff(got.output, ref.output)).toBeLessThan(1e-5);
    expect(maxAbsDiff(got.lse, ref.lse)).toBeLessThan(1e-5);
    tf.dispose([q, k, v, ref.output, ref.lse, got.output, got.lse]);
  });
});

describe("tiledAttention argument checks", () => {
  it("refuses a tile size that is not a positive integer", () => {
    const x = tf.zeros([1, 1, 2, 4]);
    expect(() => tiledAttention(x, x, x, { tileSize: 0 })).toThrow("tiledAttention requires a positive integer tileSize, got 0");
    x.dispose();
  });
});
