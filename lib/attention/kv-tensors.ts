import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import type { KvCache } from "./kv-cache.ts";

/**
 * A shared prefix laid out for {@link sharedPrefixDecode}: one 2-D tensor per
 * KV head, keys already transposed, so each head's scores are a plain,
 * non-transposed 2-D matMul (the wasm fast path, STACK.md).
 */
export interface PrefixKv {
  /** Per KV head, [d, P] transposed keys. */
  kT: tf.Tensor2D[];
  /** Per KV head, [P, d] values. */
  v: tf.Tensor2D[];
}

/**
 * Copy tokens [start, end) of one sequence, one KV head, out of the cache's
 * blocks into `k` and `v` ([end − start, d] each, row-major) at `offset` floats.
 */
export function readHead(cache: KvCache, seq: number, head: number, start: number, end: number, k: Float32Array, v: Float32Array, offset = 0): void {
  const [bs, d] = [cache.blockSize, cache.headDim];
  const blocks = cache.blocks(seq);
  for (let t = start; t < end; ) {
    const block = blocks[Math.floor(t / bs)];
    requireArg("readHead", block !== undefined, "tokens inside the sequence", { start, end });
    const slot = t % bs;
    const n = Math.min(bs - slot, end - t);
    const src = (head * bs + slot) * d;
    const dst = offset + (t - start) * d;
    k.set(block.k.subarray(src, src + n * d), dst);
    v.set(block.v.subarray(src, src + n * d), dst);
    t += n;
  }
}

/**
 * Dense tensors of tokens [start, length) of several sequences, zero-padded to
 * the longest — for {@link denseAttention} with `kvLengths`, and for the
 * suffixes of {@link sharedPrefixDecode}.
 *
 * @returns `{ k, v }` [B, H_kv, T_max, d] (T_max ≥ 1) and `lengths` (tokens per
 *   sequence after `start`); the caller disposes k and v.
 */
export function cacheTensors(cache: KvCache, seqs: readonly number[], start = 0): { k: tf.Tensor4D; v: tf.Tensor4D; lengths: number[] } {
  const lengths = seqs.map((s) => cache.length(s) - start);
  requireArg("cacheTensors", lengths.every((n) => n >= 0), "start <= every sequence's length", { start, lengths });
  const [h, d] = [cache.kvHeads, cache.headDim];
  const tMax = Math.max(1, ...lengths);
  const k = new Float32Array(seqs.length * h * tMax * d);
  const v = new Float32Array(k.length);
  seqs.forEach((seq, b) => {
    for (let hh = 0; hh < h; hh++) readHead(cache, seq, hh, start, start + (lengths[b] as number), k, v, (b * h + hh) * tMax * d);
  });
  const shape: [number, number, number, number] = [seqs.length, h, tMax, d];
  return { k: tf.tensor4d(k, shape), v: tf.tensor4d(v, shape), lengths };
}

/**
 * The first `length` tokens of `seq` as a {@link PrefixKv}: build it once when
 * the prefix is written, reuse it every decode step.
 *
 * @returns per-head tensors; the caller disposes them (`tf.dispose([...p.kT, ...p.v])`)
 */
export function prefixKv(cache: KvCache, seq: number, length: number): PrefixKv {
  requireArg("prefixKv", Number.isInteger(length) && length >= 1 && length <= cache.length(seq), "1 <= length <= the sequence's length", length);
  const d = cache.headDim;
  const out: PrefixKv = { kT: [], v: [] };
  for (let h = 0; h < cache.kvHeads; h++) {
    const k = new Float32Array(length * d);
    const v = new Float32Array(length * d);
    readHead(cache, seq, h, 0, length, k, v);
    const kT = new Float32Array(length * d);
    for (let t = 0; t < length; t++) for (let i = 0; i < d; i++) kT[i * length + t] = k[t * d + i] as number;
    out.kT.push(tf.tensor2d(kT, [d, length]));
    out.v.push(tf.tensor2d(v, [length, d]));
  }
  return out;
}
