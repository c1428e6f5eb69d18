// Test fixtures for lib/attention (not exported from the package).
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng.ts";
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
