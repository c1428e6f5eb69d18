import type { ReproConfig } from "../../lib/repro/types.ts";

/** The FLOPs-matched comparison: a small policy with test-time search against a larger policy answering once. */
export interface FlopsMatchConfig {
  /** The small policy (checkpoint folder name under `modelsDir`). */
  small: string;
  /** Larger policies in order of preference; the first whose checkpoint exists is used (e.g. a continued run when it has been shipped). */
  large: string[];
  /** Samples N drawn per problem from the small policy; best-of-N is evaluated at every power of two ≤ N. */
  samples: number;
  /** Snell et al.'s R = D_inference / D_pretrain values compared at. */
  ratios: number[];
  /** Difficulty bins (quantiles of the small policy's oracle pass@1). */
  bins: number;
}

export interface SnellConfig extends ReproConfig {
  /** Where the checkpoints live, relative to the working directory (a notebook in `notebooks/` passes `"../data/models"`). */
  modelsDir: string;
  /** The main policy and its process reward model. */
  policy: string;
  prm: string;
  /** Task levels (lib/tasks LEVELS) of the held-out (test-split) problems, `problemsPerLevel` each. */
  levels: number[];
  problemsPerLevel: number;
  /** Generation budgets N (samples for best-of-N, beams per round for beam search and lookahead), shared by every strategy. */
  budgets: number[];
  /** Samples per problem in the best-of-N pool (≥ every budget): best-of-N at each budget is evaluated exactly over its subsets. */
  poolSize: number;
  /** Beam width M of beam search and lookahead: ⌊N/M⌋ beams kept per round; at N < M, M = N (greedy step selection). */
  beamWidth: number;
  /** Greedy rollout steps k of lookahead search; 0 skips lookahead (the smoke preset: it costs a second search). */
  lookaheadSteps: number;
  /** Sampling temperature of every strategy (search-and-learn's default 0.8). */
  temperature: number;
  /** Most tokens per step (a step line is 12 tokens with its separator). */
  maxStepTokens: number;
  /** Difficulty bins of the main analysis (Snell et al.: 5 quantile bins). */
  bins: number;
  /** Bootstrap resamples of the compute-optimal band. */
  reps: number;
  flops: FlopsMatchConfig;
}

const MODELS = { modelsDir: "data/models", policy: "policy-60k", prm: "prm-60k" };
/** Snell et al. §7 compare at R = 0.16, 0.79 and 22 (their Figure 9). */
const RATIOS = [0.16, 0.79, 22];
const LARGE = ["policy-200k-long", "policy-200k"];

/**
 * Presets. Levels 1–4: `policy-60k` solves levels 1–2 greedily some of the
 * time (pass@1 0.59 / 0.29) and levels 3–4 never greedily, but sometimes in
 * many samples — where search can matter; levels 5–8 would add cost and no
 * signal. `full` is sized for ≈ 10 minutes on the loaded 2-core machine
 * (32 problems; beam and lookahead are real step-by-step searches with the
 * PRM, ≈ 0.5 s of CPU per problem at N = 16). `smoke` runs the same code on four level-1
 * problems, a pool of 4 samples and beam search at N = 2 (no lookahead): a search's wall time grows with its rounds and prefix
 * lengths (the decoder feeds each prefix token by token), hardly with the problems.
 */
export const presets: Record<"smoke" | "full", SnellConfig> = {
  smoke: {
    preset: "smoke",
    seed: 1,
    ...MODELS,
    levels: [1],
    problemsPerLevel: 4,
    budgets: [2],
    poolSize: 4,
    beamWidth: 2,
    lookaheadSteps: 0,
    temperature: 0.8,
    maxStepTokens: 16,
    bins: 2,
    reps: 200,
    flops: { small: "policy-35k", large: LARGE, samples: 2, ratios: RATIOS, bins: 2 },
  },
  full: {
    preset: "full",
    seed: 1,
    ...MODELS,
    levels: [1, 2, 3, 4],
    problemsPerLevel: 8,
    budgets: [2, 4, 16],
    poolSize: 16,
    beamWidth: 4,
    lookaheadSteps: 1,
    temperature: 0.8,
    maxStepTokens: 16,
    bins: 4,
    reps: 1000,
    flops: { small: "policy-35k", large: LARGE, samples: 32, ratios: RATIOS, bins: 4 },
  },
};

/** Registry facts: id, title, world (REPRODUCTIONS.md) and the preset the main job runs. */
export const info = {
  id: "snell24-compute-optimal",
  title: "Snell et al. 2024, Scaling LLM test-time compute optimally: accuracy vs generation budget per difficulty bin for best-of-N (weighted), PRM beam search, lookahead and the compute-optimal mix; a small policy + search vs a larger policy at matched FLOPs",
  world: "tiny (trained policy-60k + prm-60k, policy-35k vs the largest shipped policy; real search with PRM scores, FLOPs counted from the ledgers)",
  defaultPreset: "full",
} as const;
