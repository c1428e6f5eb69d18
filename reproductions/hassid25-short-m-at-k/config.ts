import type { ReproConfig } from "../../lib/repro/types.ts";
import type { SimWorldConfig } from "../../lib/sim/world.ts";

export interface HassidConfig extends ReproConfig {
  /** The simulated reasoning model: difficulty, distractors, lengths (verifier unused). */
  world: SimWorldConfig;
  /** Parallel chains k at which every method is evaluated. */
  ks: number[];
  /** m values of short-m@k (m ≤ k; k < m is skipped). */
  ms: number[];
  /** Monte Carlo draws per (problem, k) for short-m@k when enumeration is too large. */
  draws: number;
  /** correctShorterBy of the second world run for comparison (the other reading of the calibration target). */
  sensitivityShorterBy: number;
}

/**
 * One number is calibrated: how much shorter right chains are. Hassid et al. report the shortest chain
 * "up to 34.5% more accurate than the longest" (data/papers/hassid25-short-m-at-k.json), which reads two
 * ways. We take 34.5 accuracy *points* (the usual sense in ML papers): right chains shorter by a factor
 * e^0.195 ≈ 1.22 gives shortest 0.77 vs longest 0.43 on the full world (500 questions × 24 chains,
 * seed 1; 0.18 → 0.324 points, 0.21 → 0.368). The other reading, 34.5% *relative*, needs e^0.085 ≈ 1.09
 * (0.700 vs 0.524); `sensitivityShorterBy` runs that world too and the claims report its numbers beside
 * the primary ones, so the conclusion's dependence on the reading is visible. The rest is chosen, not
 * fitted: per-question accuracy ~ Beta(1.5, 1) (mean 0.6, like a reasoning model on competition maths),
 * five distractor answers with Zipf(1) popularity, thinking lengths log-normal around 12,000 tokens
 * (σ = 0.35).
 */
const world = (problems: number, samplesPerProblem: number): SimWorldConfig => ({
  problems,
  samplesPerProblem,
  difficulty: { alpha: 1.5, beta: 1 },
  distractors: { count: 5, zipf: 1 },
  missingRate: 0.05,
  verifier: { auc: 0.75 },
  lengths: { medianTokens: 12_000, sigma: 0.35, correctShorterBy: 0.195 },
});

export const presets: Record<"smoke" | "full", HassidConfig> = {
  smoke: { preset: "smoke", seed: 1, world: world(80, 16), ks: [1, 2, 3, 4, 5, 6, 8], ms: [1, 3], draws: 300, sensitivityShorterBy: 0.085 },
  full: { preset: "full", seed: 1, world: world(500, 24), ks: [1, 2, 3, 4, 5, 6, 8, 10, 12, 16], ms: [1, 3], draws: 1000, sensitivityShorterBy: 0.085 },
};

export const info = {
  id: "hassid25-short-m-at-k",
  title: "Hassid et al. 2025, Don't Overthink it: accuracy vs thinking tokens and wall time for majority@k, short-1@k, short-3@k",
  world: "sim (a chosen world where right chains are shorter; not fitted to the paper's numbers)",
  defaultPreset: "full",
} as const;
