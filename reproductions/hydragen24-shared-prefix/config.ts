import type { ReproConfig } from "../../lib/repro/types.ts";

export interface HydragenConfig extends ReproConfig {
  /** Query heads H_q and KV heads H_kv of the attention layer (H_kv | H_q). */
  queryHeads: number;
  kvHeads: number;
  /** Head dimension d. */
  headDim: number;
  /** Batch sizes B swept (sequences sharing the prefix). */
  batches: number[];
  /** Shared-prefix lengths P swept, in tokens. */
  prefixLengths: number[];
  /** Each sequence's own tokens after the prefix (its generated suffix so far). */
  suffixTokens: number;
  /**
   * Time the two paths (median over `repetitions` after `warmup` runs each).
   * Off in `smoke`: wall times differ run to run, and smoke results must be
   * byte-identical for a seed; the exactness check runs either way.
   */
  measureTime: boolean;
  repetitions: number;
  warmup: number;
  /** Roofline used to compute each point's ideal speedup (fp32 rates of the machine the kernels run on). */
  roofline: { peakFlopsPerS: number; memoryBytesPerS: number; source: string };
}

/**
 * This machine's rates: the best tfjs-wasm 2-D matMul the `core/matmul-backends`
 * benchmark measured (36.7 GFLOP/s, bench/results/matmul-backends.json, 2026-11-22)
 * and one core's STREAM triad (≈ 21 GB/s, STACK.md).
 */
const THIS_MACHINE = { peakFlopsPerS: 36.7e9, memoryBytesPerS: 21e9, source: "bench/results/matmul-backends.json (wasm matMul 36.7 GFLOP/s); STACK.md (STREAM triad 21 GB/s, one core)" };

/**
 * Presets. `smoke` checks exactness on small shapes in about a second (any
 * backend, including cpu). `full` times one decode step of one attention layer
 * (8 heads, d 64, as in issue 5's benchmarks) for B ∈ {1 … 32} × P ∈ {256 … 4096}
 * on the default backend; ≈ 1–2 minutes on one wasm thread.
 */
export const presets: Record<"smoke" | "full", HydragenConfig> = {
  smoke: {
    preset: "smoke",
    seed: 1,
    queryHeads: 4,
    kvHeads: 2,
    headDim: 16,
    batches: [1, 3],
    prefixLengths: [24, 61],
    suffixTokens: 5,
    measureTime: false,
    repetitions: 1,
    warmup: 0,
    roofline: THIS_MACHINE,
  },
  full: {
    preset: "full",
    seed: 1,
    queryHeads: 8,
    kvHeads: 8,
    headDim: 64,
    batches: [1, 2, 4, 8, 16, 32],
    prefixLengths: [256, 1024, 4096],
    suffixTokens: 64,
    measureTime: true,
    repetitions: 15,
    warmup: 3,
    roofline: THIS_MACHINE,
  },
};

/** Registry facts: id, title, world (REPRODUCTIONS.md) and the preset the main job runs. */
export const info = {
  id: "hydragen24-shared-prefix",
  title: "Juravsky et al. 2024, Hydragen: decode attention throughput vs batch × shared-prefix length, per-sequence vs shared-prefix",
  world: "kernel (tfjs kernels timed on this machine)",
  defaultPreset: "full",
} as const;
