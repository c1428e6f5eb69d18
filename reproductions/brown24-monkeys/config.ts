import type { ReproConfig } from "../../lib/repro/types.ts";
import type { SimWorldConfig } from "../../lib/sim/world.ts";

/** One simulated model: a name and the Beta(α, β) its per-problem success probability is drawn from. */
export interface SimModel {
  name: string;
  alpha: number;
  beta: number;
}

export interface MonkeysConfig extends ReproConfig {
  /** Simulated models, weakest first. */
  models: SimModel[];
  problems: number;
  samplesPerProblem: number;
  /** Budgets k at which every curve is evaluated (≤ samplesPerProblem). */
  ks: number[];
  /** Everything in the world except the difficulty distribution. */
  world: Omit<SimWorldConfig, "problems" | "samplesPerProblem" | "difficulty">;
  /** Monte Carlo draws per (problem, k) for majority@k where exact enumeration is too large. */
  majorityDraws: number;
}

/**
 * Calibration. `strong` is fitted to the one curve Brown et al. report in their abstract
 * (DeepSeek-Coder-V2-Instruct on SWE-bench Lite: coverage 0.159 at k = 1 and 0.56 at k = 250;
 * data/papers/brown24-monkeys.json): Beta(0.122, 0.645) reproduces both to within 1e-4
 * (0.1591 and 0.5600, from E[(1−p)^k] = B(α, β+k)/B(α, β)). `medium` and `weak` keep the same α — the
 * left-tail exponent that sets the power law (Schaeffer et al. 2025) — and raise β so that
 * pass@1 is 0.06 and 0.02: a family of weaker models, not calibrated to reported numbers.
 * The verifier (AUC 0.75, half its noise shared by copies of an answer) and the distractor spread
 * are chosen, not calibrated.
 */
const MODELS: SimModel[] = [
  { name: "weak (pass@1 0.02)", alpha: 0.122, beta: 5.978 },
  { name: "medium (pass@1 0.06)", alpha: 0.122, beta: 1.911 },
  { name: "strong (calibrated: 0.159 @1, 0.56 @250)", alpha: 0.122, beta: 0.645 },
];

const WORLD: MonkeysConfig["world"] = {
  distractors: { count: 8, zipf: 1.0 },
  missingRate: 0.2,
  verifier: { auc: 0.75, answerShare: 0.5, problemBias: 0.5 },
  lengths: { medianTokens: 800, sigma: 0.5, correctShorterBy: 0 },
};

const decades = (max: number) => {
  const ks: number[] = [];
  for (let k = 1; k <= max; k *= 10) for (const m of [1, 2, 5]) if (k * m <= max) ks.push(k * m);
  return ks;
};

export const presets: Record<"smoke" | "full", MonkeysConfig> = {
  smoke: { preset: "smoke", seed: 1, models: MODELS, problems: 40, samplesPerProblem: 1000, ks: decades(1000), world: WORLD, majorityDraws: 200 },
  full: { preset: "full", seed: 1, models: MODELS, problems: 300, samplesPerProblem: 10_000, ks: decades(10_000), world: WORLD, majorityDraws: 200 },
};

export const info = {
  id: "brown24-monkeys",
  title: "Brown et al. 2024, Large Language Monkeys: coverage vs samples with exponentiated-power-law fits; majority vote and reward-model selection vs coverage",
  world: "sim (calibrated to the paper's reported SWE-bench Lite coverage at k = 1 and 250)",
  defaultPreset: "full",
} as const;
