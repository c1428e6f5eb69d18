import type { ReproConfig } from "../../lib/repro/types.ts";
import type { SimWorldConfig } from "../../lib/sim/world.ts";

/**
 * The simulated generative verifier (GenRM). One verification of a solution draws a latent
 * μ·correct + persistent + fresh, μ = √2·Φ⁻¹(auc), and says "Yes" when it exceeds μ/2. The unit noise
 * variance splits into a `freshShare` drawn anew by every verification (it averages away as V grows)
 * and a persistent part fixed per solution (of which `answerShare` is shared by every solution with
 * the same final answer). A solution's GenRM score is its share of "Yes" over V verifications.
 */
export interface GenRmConfig {
  /** AUC of a single verification's latent score (correct vs wrong solutions of a problem), in (0.5, 1). */
  auc: number;
  /** Share of the noise variance that each verification draws afresh, in [0, 1]. */
  freshShare: number;
  /** Share of the persistent noise variance shared by solutions with the same answer, in [0, 1]. */
  answerShare: number;
}

export interface SolveOrVerifyConfig extends ReproConfig {
  /** Problems, per-problem difficulty and distractors (its single-score verifier is unused). */
  world: Omit<SimWorldConfig, "samplesPerProblem">;
  /** Solutions drawn per problem: the largest S. */
  maxSolutions: number;
  /** Verifications drawn per solution: the largest V. */
  maxVerifications: number;
  genrm: GenRmConfig;
  /** λ = verification tokens / solution tokens; the first is the primary setting, every one is checked. */
  lambdas: number[];
  /** Budget grid: C = 2^(j/stepsPerDoubling), j = 0, 1, …, up to the largest affordable budget, in solution units. */
  stepsPerDoubling: number;
  /** Monte Carlo draws per (problem, S) for majority voting where enumeration is too large. */
  majorityDraws: number;
}

/**
 * Everything here is chosen, not fitted: Singhi et al. report no per-problem statistics we could
 * calibrate to (data/papers/singhi25-solve-or-verify.json holds what they do report, used as claim
 * sources). Per-problem accuracy ~ Beta(0.7, 0.8) (mean 0.47, a mid-sized model on competition maths);
 * eight Zipf(1) distractors, 10% of wrong solutions without an answer. One verification has AUC 0.75;
 * half of its noise is fresh per verification, and half of the persistent rest is shared by an answer's
 * copies. λ ∈ {1, 2} are the two settings FORMULAS.md quotes from the paper.
 */
const world = (problems: number): SolveOrVerifyConfig["world"] => ({
  problems,
  difficulty: { alpha: 0.7, beta: 0.8 },
  distractors: { count: 8, zipf: 1 },
  missingRate: 0.1,
  verifier: { auc: 0.75 },
  lengths: { medianTokens: 1000, sigma: 0.3, correctShorterBy: 0 },
});

const GENRM: GenRmConfig = { auc: 0.75, freshShare: 0.5, answerShare: 0.5 };

export const presets: Record<"smoke" | "full", SolveOrVerifyConfig> = {
  smoke: { preset: "smoke", seed: 1, world: world(150), maxSolutions: 64, maxVerifications: 16, genrm: GENRM, lambdas: [1, 2], stepsPerDoubling: 2, majorityDraws: 200 },
  full: { preset: "full", seed: 1, world: world(1500), maxSolutions: 128, maxVerifications: 32, genrm: GENRM, lambdas: [1, 2], stepsPerDoubling: 4, majorityDraws: 400 },
};

export const info = {
  id: "singhi25-solve-or-verify",
  title: "Singhi et al. 2025, When To Solve, When To Verify: self-consistency vs generative verification at matched budget S·(1+λV), and the compute-optimal S and V",
  world: "sim (a chosen world with a GenRM whose verifications average away part of their noise; not fitted to the paper's numbers)",
  defaultPreset: "full",
} as const;
