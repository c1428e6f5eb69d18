import type { ReproConfig } from "../../lib/repro/types.ts";

/** A reward model to load: checkpoint folder name under `modelsDir` and how it scores. */
export interface RewardModelSpec {
  name: string;
  /** `"prm"`: a score per line (step); `"orm"`: one score per solution. */
  kind: "prm" | "orm";
}

export interface Liu25Config extends ReproConfig {
  /** Folder holding the checkpoints, relative to the working directory (a notebook in `notebooks/` passes `"../data/models"`). */
  modelsDir: string;
  /** Policy checkpoints. "Smallest" and "largest" are by parameter count, read from the checkpoints. */
  policies: string[];
  /** Reward models. Every one ranks and weights the best-of-N samples. */
  rewardModels: RewardModelSpec[];
  /** The PRMs (names among `rewardModels`) that guide the search methods. */
  searchRewardModels: string[];
  /** Online search methods run with each of those PRMs. */
  searchMethods: ("beam" | "dvts")[];
  /** Task levels (lib/tasks LEVELS) of the held-out problems: the difficulty axis. */
  levels: number[];
  /** Test-split problems per level (the same problems for every policy). */
  problemsPerLevel: number;
  /** Samples per problem drawn once per policy for best-of-N / majority (evaluated offline at every budget ≤ this). */
  samplesPerProblem: number;
  /** Budgets N of the best-of-N curves (each ≤ samplesPerProblem). */
  bonBudgets: number[];
  /** Budgets N at which beam search and DVTS run online; the compute-optimal curve is over these (every method has them). */
  searchBudgets: number[];
  /** Beam width M of beam search (⌊N/M⌋ beams kept) and DVTS (N/M subtrees). */
  beamWidth: number;
  /** Sampling temperature of every sampled method (the single-sample baseline is also reported greedy, T = 0). */
  temperature: number;
  /** Most tokens per step in beam search / DVTS (a step line is 12 tokens). */
  maxStepTokens: number;
  /** Monte Carlo draws of weighted majority@k where exact enumeration is too large. */
  majorityDraws: number;
  /** Bootstrap resamples of the compute-optimal band. */
  bootstrapReps: number;
  /** Accuracy margin a "different best method" must clear on both sides (see claims.ts). */
  margin: number;
}

const REWARD_MODELS: RewardModelSpec[] = [
  { name: "prm-60k", kind: "prm" },
  { name: "prm-checker-60k", kind: "prm" },
  { name: "orm-60k", kind: "orm" },
];

/** The `full` preset, which `wide` widens (see {@link presets}). */
const FULL: Liu25Config = {
  preset: "full",
  seed: 1,
  modelsDir: "data/models",
  policies: ["policy-35k-long", "policy-60k-long", "policy-200k-long", "policy-320k"],
  rewardModels: REWARD_MODELS,
  searchRewardModels: ["prm-60k"],
  searchMethods: ["beam", "dvts"],
  levels: [2, 3, 4],
  problemsPerLevel: 6,
  samplesPerProblem: 16,
  bonBudgets: [1, 2, 4, 8, 16],
  searchBudgets: [4, 16],
  beamWidth: 4,
  temperature: 0.8,
  maxStepTokens: 24,
  majorityDraws: 2000,
  bootstrapReps: 1000,
  margin: 0.05,
};

/**
 * Presets. `full` is sized for about 10 minutes on this 2-core machine while
 * other jobs hold most of it (measured 2026-11-22: a beam search of 16 problems
 * at N = 16 took 5 s of CPU and 35 s of wall time): the three continued policies
 * `policy-35k-long`, `policy-60k-long`, `policy-200k-long` (32.5k, 67k and 214k
 * parameters) and `policy-320k` (328k; a 10.1× ladder), the three reward models ranking best-of-N
 * from 16 samples per problem (N = 1 … 16), beam search and DVTS (M = 4) guided
 * by prm-60k at N = 4 and 16, on levels 2–4 (greedy exact-trace pass@1 0.95 /
 * 0.06 / 0.01 for the smallest and 1.0 / 0.86 / 0.60 for the largest: level 1 is
 * solved by all four), 6 problems per level. `wide` is the paper-like
 * grid (the same four policies, both PRMs guide search, 64 samples, N up to 64, levels 2–5, 12 problems
 * per level; hours here, not run by the tests). `smoke` takes seconds: the
 * smallest and the largest policy, one PRM, beam search only, two level-1 problems, N = 2 with M = 2
 * (the tests run it four times on the plain-JS cpu backend).
 */
export const presets: Record<"smoke" | "full" | "wide", Liu25Config> = {
  smoke: {
    preset: "smoke",
    seed: 1,
    modelsDir: "data/models",
    policies: ["policy-35k", "policy-200k"],
    rewardModels: [{ name: "prm-60k", kind: "prm" }],
    searchRewardModels: ["prm-60k"],
    searchMethods: ["beam"],
    levels: [1],
    problemsPerLevel: 2,
    samplesPerProblem: 2,
    bonBudgets: [1, 2],
    searchBudgets: [2],
    beamWidth: 2,
    temperature: 0.8,
    maxStepTokens: 24,
    majorityDraws: 50,
    bootstrapReps: 20,
    margin: 0.05,
  },
  full: FULL,
  // The paper-like grid: full's policies and reward models, both PRMs guiding search, more samples, levels and budgets.
  wide: {
    ...FULL,
    preset: "wide",
    searchRewardModels: ["prm-60k", "prm-checker-60k"],
    levels: [2, 3, 4, 5],
    problemsPerLevel: 12,
    samplesPerProblem: 64,
    bonBudgets: [1, 4, 16, 64],
    searchBudgets: [4, 16, 64],
  },
};

/** Registry facts: id, title, world (REPRODUCTIONS.md) and the preset the main job runs. */
export const info = {
  id: "liu25-1b-vs-405b",
  title: "Liu et al. 2025, Can 1B LLM Surpass 405B LLM?: accuracy vs budget per policy size × reward model × method (best-of-N, beam search, DVTS) × difficulty; the smallest policy with compute-optimal search against the largest policy's single sample",
  world: "tiny (trained policies 35k–328k, trained PRMs and ORM, real best-of-N, beam search and DVTS)",
  defaultPreset: "full",
} as const;
