/**
 * Decode attention over a large paged KV cache: dense (one thread and
 * several), and block top-k sparse at a density you choose, with the
 * attention mass the sparse read keeps. Prints median times and the K/V read
 * rate; the benchmarks in bench/attention measure the same kernels more
 * carefully (bench/README.md).
 *
 *   npx tsx examples/decode-attention.ts [--tokens 16384] [--batch 16] [--threads 2] [--density 0.125]
 *
 * Memory: batch × tokens × 8 heads × 64 dims × 8 bytes of K and V (2 GiB at the defaults' 16 × 16,384).
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { blockSparseDecodeArrays, denseDecodeArrays, KvCache, rng, WasmKvStorage } from "../lib/index.ts";

const { values } = parseArgs({ options: { tokens: { type: "string" }, batch: { type: "string" }, threads: { type: "string" }, density: { type: "string" } } });
const [T, B, H, D, BS] = [Number(values.tokens ?? 16384), Number(values.batch ?? 16), 8, 64, 32];
const threads = Number(values.threads ?? Math.min(2, availableParallelism()));
const density = Number(values.density ?? 1 / 8);

// Keys drift slowly along the sequence (as real keys do), so block summaries are informative.
const r = rng(1);
const storage = new WasmKvStorage({ threads });
const cache = new KvCache({ kvHeads: H, headDim: D, blockSize: BS, storage });
const drift = Float32Array.from({ length: H * D }, () => r.normal());
const seqs = Array.from({ length: B }, () => cache.createSequence());
const chunk = 256;
const k = new Float32Array(chunk * H * D);
const v = new Float32Array(chunk * H * D);
for (const s of seqs) {
  for (let t = 0; t < T; t += chunk) {
    for (let i = 0; i < k.length; i++) {
      k[i] = r.normal() + (drift[i % (H * D)] as number) * Math.sin((t + Math.floor(i / (H * D))) / 2000);
      v[i] = r.normal();
    }
    cache.append(s, k, v, Math.min(chunk, T - t));
  }
}
const q = Float32Array.from({ length: B * H * D }, () => r.normal());
const out = new Float32Array(B * H * D);
const lse = new Float32Array(B * H);

function median(f: () => void, reps = 7): number {
  f();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[reps >> 1] as number;
}

const bytes = B * H * T * D * 4 * 2;
const rate = (ms: number) => `${ms.toFixed(1)} ms, ${(bytes / ms / 1e6).toFixed(1)} GB/s of K+V`;
const one = median(() => denseDecodeArrays(q, H, cache, seqs, out, lse, { threads: 1 }));
console.log(`dense, 1 thread:        ${rate(one)}`);
if (threads > 1) {
  const many = median(() => denseDecodeArrays(q, H, cache, seqs, out, lse, { threads }));
  console.log(`dense, ${threads} threads:       ${rate(many)}  (${(one / many).toFixed(2)}× one thread)`);
}
const sparse = median(() => blockSparseDecodeArrays(q, H, cache, seqs, out, { density, threads: 1 }));
console.log(`block top-k ${density.toFixed(3)}, 1 thread: ${sparse.toFixed(1)} ms (${(one / sparse).toFixed(2)}× dense, selection included)`);
storage.close();
