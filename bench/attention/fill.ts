/**
 * Fast, deterministic KV-cache filling for the attention benchmarks: a pool of
 * normal draws is read at pseudo-random offsets (drawing 10⁹ fresh normals
 * would take minutes). Keys get a slowly drifting per-segment mean
 * (`drift`), so neighbouring keys are correlated as in real caches and block
 * summaries carry signal; drift 0 gives i.i.d. keys.
 */
import { rng, type Rng } from "../../lib/core/rng.ts";
import type { KvCache } from "../../lib/attention/kv-cache.ts";

const POOL = 1 << 20;
let pool: Float32Array | undefined;

function normals(): Float32Array {
  if (pool === undefined) {
    const r = rng("bench-attention-pool");
    pool = Float32Array.from({ length: POOL }, () => r.normal());
  }
  return pool;
}

/** Append `tokens` tokens to `seq`, in chunks; `drift` scales a mean that changes every 64 tokens. */
export function fillSequence(cache: KvCache, seq: number, tokens: number, r: Rng, drift = 0): void {
  const p = normals();
  const width = cache.kvHeads * cache.headDim;
  const chunk = 256;
  const k = new Float32Array(chunk * width);
  const v = new Float32Array(chunk * width);
  const mean = new Float32Array(width);
  for (let done = 0; done < tokens; done += chunk) {
    const n = Math.min(chunk, tokens - done);
    const ko = Math.floor(r.next() * (POOL - chunk * width));
    const vo = Math.floor(r.next() * (POOL - chunk * width));
    k.set(p.subarray(ko, ko + n * width));
    v.set(p.subarray(vo, vo + n * width));
    if (drift !== 0) {
      for (let t = 0; t < n; t++) {
        if ((done + t) % 64 === 0) for (let i = 0; i < width; i++) mean[i] = drift * (p[(ko + 7 * i + t) % POOL] as number);
        for (let i = 0; i < width; i++) k[t * width + i] = (k[t * width + i] as number) + (mean[i] as number);
      }
    }
    cache.append(seq, k.subarray(0, n * width), v.subarray(0, n * width), n);
  }
}

/** Bytes of K and V a dense decode step reads: B · H_kv · T · d · 4 · 2. */
export function kvBytes(batch: number, kvHeads: number, tokens: number, d: number): number {
  return batch * kvHeads * tokens * d * 8;
}
