import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { appendRandom, maxAbsDiff, randTensor, TEST_BACKENDS } from "./attention-fixtures.test-util.ts";
import { denseAttentionWithLse } from "./dense-attention.ts";
import { KvCache } from "./kv-cache.ts";
import { cacheTensors, prefixKv } from "./kv-tensors.ts";
import { sharedPrefixDecode } from "./shared-prefix-decode.ts";

/** A prefix of `prefix` tokens forked into sequences with the given suffix lengths. */
function forest(seed: string, kvHeads: number, d: number, prefix: number, suffixes: number[]) {
  const r = rng(seed);
  const cache = new KvCache({ kvHeads, headDim: d, blockSize: 8 });
  const root = cache.createSequence();
  appendRandom(cache, root, r, prefix);
  const seqs = suffixes.map((n) => {
    const s = cache.fork(root);
    if (n > 0) appendRandom(cache, s, r, n);
    return s;
  });
  return { cache, seqs, r };
}

describe.each(TEST_BACKENDS)("sharedPrefixDecode on %s", (backend) => {
  beforeAll(async () => void (await selectBackend({ name: backend })));
  afterAll(async () => void (await selectBackend({ name: "cpu" })));

  // H_q, H_kv, d, prefix P (not a multiple of the block size 8), ragged suffixes (one empty).
  const cases: [string, number, number, number, number, number[]][] = [
    ["GQA, B 3, ragged suffixes", 4, 2, 8, 37, [0, 5, 11]],
    ["MHA, B 1", 2, 2, 16, 9, [3]],
    ["MQA, B 4", 4, 1, 8, 21, [1, 2, 3, 20]],
  ];
  it.each(cases)("%s equals dense over prefix + suffix to 1e-5 and leaks nothing", (name, hq, hkv, d, p, suffixes) => {
    const { cache, seqs, r } = forest(`hydragen/${name}`, hkv, d, p, suffixes);
    const b = seqs.length;
    const q = randTensor(r, [b, hq, d]);
    const whole = cacheTensors(cache, seqs);
    const ref = denseAttentionWithLse(tf.reshape(q, [b, hq, 1, d]), whole.k, whole.v, { kvLengths: whole.lengths });
    const pre = prefixKv(cache, seqs[0]!, p);
    const suf = cacheTensors(cache, seqs, p);
    const before = tf.memory().numTensors;
    const got = sharedPrefixDecode(q, pre, { k: suf.k, v: suf.v, lengths: suf.lengths });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(got.output.shape).toEqual([b, hq, d]);
    expect(maxAbsDiff(got.output, ref.output)).toBeLessThan(1e-5);
    expect(maxAbsDiff(got.lse, ref.lse)).toBeLessThan(1e-5);
    tf.dispose([q, whole.k, whole.v, ref.output, ref.lse, ...pre.kT, ...pre.v, suf.k, suf.v, got.output, got.lse]);
  });

  it("without a suffix it is attention over the prefix alone", () => {
    const { cache, seqs, r } = forest("hydragen/no-suffix", 2, 8, 13, [0, 0]);
    const q = randTensor(r, [2, 4, 8]);
    const whole = cacheTensors(cache, seqs);
    const ref = denseAttentionWithLse(tf.reshape(q, [2, 4, 1, 8]), whole.k, whole.v);
    const pre = prefixKv(cache, seqs[0]!, 13);
    const got = sharedPrefixDecode(q, pre);
    expect(maxAbsDiff(got.output, ref.output)).toBeLessThan(1e-5);
    tf.dispose([q, whole.k, whole.v, ref.output, ref.lse, ...pre.kT, ...pre.v, got.output, got.lse]);
  });
});

describe("sharedPrefixDecode argument checks", () => {
  it("refuses heads that do not match", () => {
    const { cache, seqs } = forest("hydragen/bad", 2, 4, 5, [0]);
    const pre = prefixKv(cache, seqs[0]!, 5);
    const q = tf.zeros([1, 3, 4]);
    expect(() => sharedPrefixDecode(q, pre)).toThrow('sharedPrefixDecode requires kvHeads to divide queryHeads, got {"queryHeads":3,"kvHeads":2}');
    tf.dispose([q, ...pre.kT, ...pre.v]);
  });
});
