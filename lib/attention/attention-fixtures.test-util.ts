import { WasmKvStorage } from "./wasm-kv.ts";
// Test fixtures for lib/attention (not exported from the package).
import * as tf from "@tensorflow/tfjs";
import { rng, type Rng } from "../core/rng.ts";
import { KvCache } from "./kv-cache.ts";

/** The backends every exactness test runs on. */
export const TEST_BACKENDS = ["cpu", "wasm"] as const;

/** n standard-normal floats from `r`. */
export function randn(r: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => r.normal());
}

/** A tensor of standard-normal entries; the caller disposes it. */
export function randTensor(r: Rng, shape: number[]): tf.Tensor {
  return tf.tensor(randn(r, shape.reduce((a, b) => a * b, 1)), shape);
}

/** max |a − b| over two equally shaped tensors or arrays (Infinity on a shape mismatch). */
export function maxAbsDiff(a: tf.Tensor | ArrayLike<number>, b: tf.Tensor | ArrayLike<number>): number {
  const x = a instanceof tf.Tensor ? a.dataSync() : a;
  const y = b instanceof tf.Tensor ? b.dataSync() : b;
  if (x.length !== y.length) return Infinity;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] as number) - (y[i] as number)));
  return m;
}

/** Append `tokens` random tokens to a cache sequence. */
export function appendRandom(cache: KvCache, seq: number, r: Rng, tokens: number): void {
  const n = tokens * cache.kvHeads * cache.headDim;
  cache.append(seq, randn(r, n), randn(r, n), tokens);
}

/**
 * Ragged sequences of random K/V in a cache with blocks of 8, in plain or WebAssembly storage (small arenas, so
 * sequences cross arenas; `threads` scratch regions, shared memories above 1), and a random decode query per sequence
 * ([B, H_q, d]; the caller disposes `q`).
 */
export function decodeSetup(seed: string, hq: number, hkv: number, d: number, lengths: number[], wasm = false, threads = 1) {
  const r = rng(seed);
  const storage = wasm ? new WasmKvStorage({ arenaBytes: (threads + 1) * 65536, threads }) : undefined;
  const cache = new KvCache({ kvHeads: hkv, headDim: d, blockSize: 8, ...(storage ? { storage } : {}) });
  const seqs = lengths.map((n) => {
    const s = cache.createSequence();
    appendRandom(cache, s, r, n);
    return s;
  });
  return { cache, seqs, q: randTensor(r, [lengths.length, hq, d]), storage };
}
