import type { ReproConfig } from "../../lib/repro/types.ts";
import type { SimWorldConfig } from "../../lib/sim/world.ts";

export interface TtspmConfig extends ReproConfig {
  /** Problems, difficulty, distractors, verifier: the parallel samples come from here. */
  world: Omit<SimWorldConfig, "samplesPerProblem">;
  /** Largest budget N (samples for parallel, rounds for sequential). */
  maxBudget: number;
  /**
   * Sequential refinement, per problem i: the first answer is right with probability p_i; each later
   * round fixes a wrong answer with probability `rethink · p_i` and breaks a right one with
   * probability `breakRate` (0: right is absorbing, as in TTSPM).
   */
  sequential: { chains: number; rethink: number; breakRate: number };
  /** Saturation threshold ε: accuracy gained per extra unit of budget (one sample or one round). */
  epsilon: number;
  /** Monte Carlo draws per (problem, N) for majority voting where enumeration is too large. */
  majorityDraws: number;
}

/**
 * Chosen, not calibrated (data/papers/wang25-ttspm.json lists what the paper reports; nothing here is
 * fitted to it): per-problem accuracy ~ Beta(0.5, 1) (mean 0.33, near the 0.30 AIME-2024 pass@1 the
 * paper reports for its 1.5B model); eight Zipf(1) distractors; a reward model of AUC 0.75 for
 * best-of-N; a rethinking round half as likely to reach the right answer as a fresh sample; right
 * answers stay right (TTSPM's absorbing state); ε = 0.002 (0.2 accuracy points per extra sample or round).
 */
const world = (problems: number): TtspmConfig["world"] => ({
  problems,
  difficulty: { alpha: 0.5, beta: 1 },
  distractors: { count: 8, zipf: 1 },
  missingRate: 0.1,
  verifier: { auc: 0.75, answerShare: 0.5 },
  lengths: { medianTokens: 1000, sigma: 0.3, correctShorterBy: 0 },
});

export const presets: Record<"smoke" | "full", TtspmConfig> = {
  smoke: { preset: "smoke", seed: 1, world: world(200), maxBudget: 128, sequential: { chains: 16, rethink: 0.5, breakRate: 0 }, epsilon: 0.002, majorityDraws: 100 },
  full: { preset: "full", seed: 1, world: world(1500), maxBudget: 512, sequential: { chains: 64, rethink: 0.5, breakRate: 0 }, epsilon: 0.002, majorityDraws: 200 },
};

export const info = {
  id: "wang25-ttspm",
  title: "Wang et al. 2025, Scaling over Scaling (TTSPM): accuracy vs budget for parallel and sequential test-time scaling, with the derived saturation points",
  world: "analytic + sim (a chosen world; the closed forms use each simulated problem's latent rates)",
  defaultPreset: "full",
} as const;
