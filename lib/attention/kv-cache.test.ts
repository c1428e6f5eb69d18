import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { randn } from "./attention-fixtures.test-util.ts";
import { KvCache, type KvBlock } from "./kv-cache.ts";
import { cacheTensors, prefixKv, readHead } from "./kv-tensors.ts";

/** Tokens [tokens, H_kv, d] as written, re-laid per head [H_kv, tokens, d]. */
function perHead(x: Float32Array, tokens: number, h: number, d: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let t = 0; t < tokens; t++) for (let j = 0; j < h; j++) out.set(x.subarray((t * h + j) * d, (t * h + j + 1) * d), (j * tokens + t) * d);
  return out;
}

describe("KvCache", () => {
  const [h, d, bs] = [2, 3, 4];

  it("reads back what was appended, one token or many at a time, across block boundaries", () => {
    const r = rng("kv/roundtrip");
    const c = new KvCache({ kvHeads: h, headDim: d, blockSize: bs });
    const s = c.createSequence();
    const k = randn(r, 11 * h * d);
    const v = randn(r, 11 * h * d);
    c.append(s, k.subarray(0, h * d), v.subarray(0, h * d)); // 1 token
    c.append(s, k.subarray(h * d), v.subarray(h * d), 10); // 10 more
    expect(c.length(s)).toBe(11);
    expect(c.blocks(s).length).toBe(3);
    const [kk, vv] = [new Float32Array(11 * d), new Float32Array(11 * d)];
    const [kh, vh] = [perHead(k, 11, h, d), perHead(v, 11, h, d)];
    for (let j = 0; j < h; j++) {
      readHead(c, s, j, 0, 11, kk, vv);
      expect(Array.from(kk)).toEqual(Array.from(kh.subarray(j * 11 * d, (j + 1) * 11 * d)));
      expect(Array.from(vv)).toEqual(Array.from(vh.subarray(j * 11 * d, (j + 1) * 11 * d)));
    }
  });

  it("keeps each block's key sum, min and max per head", () => {
    const c = new KvCache({ kvHeads: 1, headDim: 2, blockSize: 3 });
    const s = c.createSequence();
    c.append(s, [1, -2, 3, 5, -1, 0, 7, 7], [0, 0, 0, 0, 0, 0, 0, 0], 4);
    const [b0, b1] = c.blocks(s) as [KvBlock, KvBlock];
    expect([Array.from(b0.keySum), Array.from(b0.keyMin), Array.from(b0.keyMax), b0.length]).toEqual([[3, 3], [-1, -2], [3, 5], 3]);
    expect([Array.from(b1.keySum), b1.length]).toEqual([[7, 7], 1]);
  });

  it("forks share blocks; a shared partial block is copied on write and the parent is unchanged", () => {
    const r = rng("kv/fork");
    const c = new KvCache({ kvHeads: h, headDim: d, blockSize: bs });
    const root = c.createSequence();
    c.append(root, randn(r, 10 * h * d), randn(r, 10 * h * d), 10); // blocks: 4, 4, 2 (partial)
    const before = new Float32Array(10 * d);
    readHead(c, root, 1, 0, 10, before, new Float32Array(10 * d));
    const forks = [c.fork(root), c.fork(root), c.fork(root)];
    expect(c.memory().blocks).toBe(3);
    expect(c.sharedPrefixLength([root, ...forks])).toBe(10);
    forks.forEach((f, i) => c.append(f, randn(r, (i + 1) * h * d), randn(r, (i + 1) * h * d), i + 1));
    expect(c.memory().blocks).toBe(3 + 3 + 1); // each fork copied the partial block once; fork 3 filled it and opened one more
    expect(c.sharedPrefixLength([root, ...forks])).toBe(8); // the two full blocks
    expect(c.blocks(forks[0]!)[0]).toBe(c.blocks(root)[0]);
    const after = new Float32Array(10 * d);
    readHead(c, root, 1, 0, 10, after, new Float32Array(10 * d));
    expect(Array.from(after)).toEqual(Array.from(before));
    c.append(root, randn(r, h * d), randn(r, h * d)); // root now owns its partial block alone: no copy
    expect(c.memory().blocks).toBe(7);
    c.free(forks[2]!); // drops its two own blocks, only unreferences the shared ones
    expect(c.memory().blocks).toBe(5);
    expect(() => c.length(forks[2]!)).toThrow("KvCache.length requires a live sequence id, got 3");
  });

  it("builds padded tensors and per-head prefix layouts", () => {
    const r = rng("kv/tensors");
    const c = new KvCache({ kvHeads: h, headDim: d, blockSize: bs });
    const a = c.createSequence();
    c.append(a, randn(r, 6 * h * d), randn(r, 6 * h * d), 6);
    const b = c.fork(a);
    c.append(b, randn(r, 3 * h * d), randn(r, 3 * h * d), 3);
    const before = tf.memory().numTensors;
    const t = cacheTensors(c, [a, b], 5);
    expect([t.k.shape, t.lengths]).toEqual([[2, h, 4, d], [1, 4]]);
    const p = prefixKv(c, b, 5);
    expect([p.kT[0]!.shape, p.v[1]!.shape]).toEqual([[d, 5], [5, d]]);
    // kT is the transpose of the keys read row by row.
    const [kk, vv] = [new Float32Array(5 * d), new Float32Array(5 * d)];
    readHead(c, b, 1, 0, 5, kk, vv);
    const kT = p.kT[1]!.dataSync();
    for (let i = 0; i < 5; i++) for (let j = 0; j < d; j++) expect(kT[j * 5 + i]).toBe(kk[i * d + j]);
    tf.dispose([t.k, t.v, ...p.kT, ...p.v]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("checks its arguments", () => {
    expect(() => new KvCache({ kvHeads: 0, headDim: 4 })).toThrow(/KvCache requires positive integer kvHeads, headDim, blockSize/);
    const c = new KvCache({ kvHeads: 1, headDim: 2 });
    const s = c.createSequence();
    expect(() => c.append(s, [1, 2, 3], [1, 2, 3])).toThrow("KvCache.append requires k and v of length tokens·H_kv·d = 2, got [3,3]");
  });
});
