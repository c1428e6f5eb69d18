import { KINETICS_E } from "../../lib/cost/hardware.ts";
import { QWEN3_DENSE } from "../../lib/cost/model-shapes.ts";
import type { ReproConfig } from "../../lib/repro/types.ts";

/** Block top-k attention as Kinetics prices it: `local` newest tokens plus `topK` blocks of `blockSize`. */
export interface SparseSetting {
  blockSize: number;
  topK: number;
  local: number;
}

/** The kernel check: one decode step of `blockSparseDecode` over random caches, its KV reads counted. */
export interface KernelCheckConfig {
  /** Sequences per decode step. */
  batch: number;
  /** Query heads H_q and KV heads H_kv (H_kv | H_q). */
  queryHeads: number;
  kvHeads: number;
  /** Head dimension d. */
  headDim: number;
  /** Tokens per cache block (the unit of selection). */
  blockSize: number;
  /** Tokens in each sequence's cache when the step runs. */
  cacheLengths: number[];
  /** Densities ρ < 1 handed to the kernel (k = ⌈ρ · blocks⌉). */
  densities: number[];
  /** Attention sinks and local window the kernel always keeps. */
  sinks: number;
  localWindow: number;
}

/**
 * The tiny-model part: trained tiny policies sample held-out chain problems
 * with dense and block top-k attention; accuracy against Kinetics eFLOPs.
 */
export interface TinyParetoConfig {
  /** Policy checkpoints (directory names under `modelsDir`), smallest first. */
  policies: string[];
  /** Where the policy checkpoints live, relative to the working directory (a notebook in `notebooks/` passes `"../data/models"`). */
  modelsDir: string;
  /** Task levels (lib/tasks LEVELS) to draw held-out problems from; generation length grows with the level. */
  levels: number[];
  /** Levels whose generations are long (≥ 100 tokens), for the long-generation frontier. */
  longLevels: number[];
  /** Test-split problems per level. */
  problemsPerLevel: number;
  /** Samples N per problem (temperature 1); every k ≤ N is estimated from them. */
  samplesPerProblem: number;
  /** Most sequences decoded in one lockstep batch (consecutive levels share a batch up to this many rows). */
  maxBatch: number;
  /** Trial counts k (majority@k, coverage). */
  ks: number[];
  /** Attention densities; 1 is dense, the others block top-k with k = ⌈density · blocks⌉. */
  densities: number[];
  /** Block top-k: tokens per block, sink tokens and window tokens (both rounded out to whole blocks). */
  blockSize: number;
  sinks: number;
  window: number;
  /**
   * This machine's E: FLOPs per byte at its roofline ridge, fp32 elements —
   * `ridgePoint(thisMachineHardware(bench/results/matmul-backends.json))`, the
   * best wasm matMul (36.6 GFLOP/s, 2026-11-22) over 21 GB/s (`DEFAULT_CPU_BYTES_PER_S`).
   */
  eCpu: number;
}

export interface KineticsConfig extends ReproConfig {
  /** Model shapes (names in `MODEL_SHAPES`), smallest first. */
  models: string[];
  /** Prompt tokens L_in (an AIME problem in Kinetics' template is on the order of a hundred tokens). */
  promptTokens: number;
  /** Generation lengths L_out swept with one trial (long chain of thought). */
  generationTokens: number[];
  /** Trial counts N swept at `trialsGenerationTokens` (best-of-N, prompt KV shared). */
  trials: number[];
  trialsGenerationTokens: number;
  /** FLOPs per byte of KV read (Kinetics' E). */
  e: number;
  /** The block top-k setting priced against dense. */
  sparse: SparseSetting;
  kernel: KernelCheckConfig;
  tiny: TinyParetoConfig;
}

const ANALYTIC = {
  seed: 1,
  models: [...QWEN3_DENSE],
  promptTokens: 128,
  generationTokens: [1024, 2048, 4096, 8192, 16384, 32768],
  trials: [1, 2, 4, 8, 16, 32],
  trialsGenerationTokens: 8192,
  e: KINETICS_E,
  // Kinetics' block top-k runs: pages of 16 tokens, 64 pages kept (KV budget 1,024), no local window
  // (Infini-AI-Lab/Kinetics benchmark/README.md).
  sparse: { blockSize: 16, topK: 64, local: 0 },
};

/** Both presets' block top-k setting and this machine's E. */
const TINY_SPARSE = { blockSize: 8, sinks: 4, window: 8, eCpu: 36.65e9 / 21e9, modelsDir: "data/models", longLevels: [5, 6, 7, 8] };

/**
 * Presets. The analytic part (closed forms for six Qwen3 shapes) is the same
 * in both and takes milliseconds; they differ in the kernel check's size and
 * the tiny part's. `smoke`: reads counted on small caches, and policy-35k on 3
 * problems of levels 1–2 × 4 samples, dense and ρ = 1/4 (seconds). `full`:
 * caches up to 16k tokens with Qwen3's head dim 128 (≈ 20–40 s: the
 * read-counting proxies cost tens of ns per element read), and all three
 * policies × ρ ∈ {1, 1/2, 1/4} on 16 problems of every level × 16 samples.
 */
export const presets: Record<"smoke" | "full", KineticsConfig> = {
  smoke: {
    preset: "smoke",
    ...ANALYTIC,
    kernel: { batch: 2, queryHeads: 4, kvHeads: 2, headDim: 16, blockSize: 16, cacheLengths: [300, 1000], densities: [1 / 8, 1 / 4, 1 / 2], sinks: 4, localWindow: 16 },
    tiny: { ...TINY_SPARSE, policies: ["policy-35k"], levels: [1, 2], problemsPerLevel: 3, samplesPerProblem: 4, maxBatch: 64, ks: [1, 2, 4], densities: [1, 1 / 4] },
  },
  full: {
    preset: "full",
    ...ANALYTIC,
    kernel: { batch: 2, queryHeads: 8, kvHeads: 2, headDim: 128, blockSize: 16, cacheLengths: [2048, 5000, 16384], densities: [1 / 32, 1 / 16, 1 / 8, 1 / 4], sinks: 4, localWindow: 16 },
    tiny: {
      ...TINY_SPARSE,
      policies: ["policy-35k", "policy-60k", "policy-200k"],
      levels: [1, 2, 3, 4, 5, 6, 7, 8],
      problemsPerLevel: 16,
      samplesPerProblem: 16,
      maxBatch: 512,
      ks: [1, 2, 4, 8, 16],
      densities: [1, 1 / 2, 1 / 4],
    },
  },
};

/** Registry facts: id, title, world (REPRODUCTIONS.md) and the preset the main job runs. */
export const info = {
  id: "kinetics25-sparse-tts",
  title: "Sadhukhan et al. 2025, Kinetics: test-time cost breakdown (parameters vs attention, compute vs memory) for Qwen3 shapes; dense vs block top-k eFLOPs; kernel KV-read check; tiny policies' accuracy-vs-eFLOPs Pareto, dense vs block top-k",
  world: "analytic + kernel + tiny (closed-form cost model for real shapes; blockSparseDecode's reads counted on this machine; trained tiny policies sampled with dense and block top-k attention)",
  defaultPreset: "full",
} as const;
