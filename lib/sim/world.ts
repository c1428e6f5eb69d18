import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { betaSample, normalQuantile } from "./distributions.ts";

/** A simulated model-and-verifier world; every field is documented with what it controls. */
export interface SimWorldConfig {
  /** Problems to draw. */
  problems: number;
  /** Samples per problem (N). */
  samplesPerProblem: number;
  /** Per-problem success probability p ~ scale · Beta(alpha, beta). */
  difficulty: { alpha: number; beta: number; scale?: number };
  /**
   * Wrong answers: each problem gets `count` distractors with probabilities ∝ rank^(−zipf),
   * so a popular wrong answer can out-vote a rare right one (why majority voting plateaus).
   */
  distractors: { count: number; zipf: number };
  /** Probability that a wrong sample has no extractable answer. Default 0. */
  missingRate?: number;
  /**
   * Outcome verifier: binormal scores, wrong ~ N(0, 1), right ~ N(μ, 1) with μ = √2 Φ⁻¹(auc);
   * reported through a logistic so scores lie in (0, 1). `answerShare` ∈ [0, 1) is the share of the
   * unit noise variance that belongs to the *answer* rather than the sample: samples with the same
   * final answer share an offset, so a verifier that likes one wrong answer likes all its copies (how
   * real reward models err). The marginal AUC stays `auc` whatever the share. `problemBias` adds a
   * per-problem N(0, σ²) shift to every score of a problem (it does not change rankings within a problem).
   */
  verifier: { auc: number; answerShare?: number; problemBias?: number };
  /** Completion lengths: log L ~ N(log medianTokens − correctShorterBy · correct, sigma²), at least 1 token. */
  lengths: { medianTokens: number; sigma: number; correctShorterBy: number };
}

/** One problem's simulated samples (columns). */
export interface SimProblem {
  id: string;
  /** The latent success probability the samples were drawn with. */
  p: number;
  /** Ground-truth answer. */
  truth: string;
  answers: (string | null)[];
  correct: Uint8Array;
  scores: Float64Array;
  tokens: Float64Array;
}

/**
 * Draw a simulated sample dump. Each problem takes its own forked stream
 * (`rng.fork("problem-<i>")`), so adding problems or samples never shifts
 * earlier problems.
 *
 * @throws InvalidArgumentError for non-positive counts, shape parameters, an AUC outside (0.5, 1), or rates outside [0, 1)
 * @see Brown et al. 2024 (repeated sampling), Schaeffer et al. 2025 (Beta-distributed per-problem p), Hassid et al. 2025 (shorter chains are more often right)
 */
export function simulateWorld(config: SimWorldConfig, rng: Rng): SimProblem[] {
  const { problems, samplesPerProblem: n, difficulty, distractors, verifier, lengths } = config;
  requireArg("simulateWorld", Number.isSafeInteger(problems) && problems > 0, "a positive integer number of problems", problems);
  requireArg("simulateWorld", Number.isSafeInteger(n) && n > 0, "a positive integer samplesPerProblem", n);
  requireArg("simulateWorld", difficulty.alpha > 0 && difficulty.beta > 0, "difficulty alpha, beta > 0", difficulty);
  const scale = difficulty.scale ?? 1;
  requireArg("simulateWorld", scale > 0 && scale <= 1, "difficulty scale in (0, 1]", scale);
  requireArg("simulateWorld", Number.isSafeInteger(distractors.count) && distractors.count >= 1, "at least one distractor", distractors.count);
  requireArg("simulateWorld", verifier.auc > 0.5 && verifier.auc < 1, "a verifier auc in (0.5, 1)", verifier.auc);
  const missing = config.missingRate ?? 0;
  requireArg("simulateWorld", missing >= 0 && missing < 1, "missingRate in [0, 1)", missing);
  requireArg("simulateWorld", lengths.medianTokens >= 1 && lengths.sigma >= 0, "medianTokens >= 1 and sigma >= 0", lengths);
  const mu = Math.SQRT2 * normalQuantile(verifier.auc);
  const share = verifier.answerShare ?? 0;
  requireArg("simulateWorld", share >= 0 && share < 1, "verifier answerShare in [0, 1)", share);
  const sdAnswer = Math.sqrt(share);
  const sdSample = Math.sqrt(1 - share);
  const zipf = Array.from({ length: distractors.count }, (_, j) => Math.pow(j + 1, -distractors.zipf));
  const zipfTotal = zipf.reduce((a, b) => a + b, 0);
  const logMedian = Math.log(lengths.medianTokens);

  return Array.from({ length: problems }, (_, i) => {
    const r = rng.fork(`problem-${i}`);
    const p = scale * betaSample(difficulty.alpha, difficulty.beta, r);
    const truth = `a${i}`;
    const bias = (verifier.problemBias ?? 0) * r.normal();
    // Shared score offsets: index 0 for the true answer, 1 + j for distractor j.
    const offsets = Float64Array.from({ length: distractors.count + 1 }, () => sdAnswer * r.normal());
    const answers: (string | null)[] = new Array(n);
    const correct = new Uint8Array(n);
    const scores = new Float64Array(n);
    const tokens = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const ok = r.next() < p;
      correct[s] = ok ? 1 : 0;
      let offset: number;
      if (ok) {
        answers[s] = truth;
        offset = offsets[0] as number;
      } else if (r.next() < missing) {
        answers[s] = null;
        offset = sdAnswer * r.normal(); // no answer to share an offset with
      } else {
        const j = pickZipf(zipf, zipfTotal, r);
        answers[s] = `w${i}-${j}`;
        offset = offsets[1 + j] as number;
      }
      scores[s] = 1 / (1 + Math.exp(-(sdSample * r.normal() + offset + (ok ? mu : 0) + bias)));
      tokens[s] = Math.max(1, Math.round(Math.exp(r.normal(logMedian - (ok ? lengths.correctShorterBy : 0), lengths.sigma))));
    }
    return { id: `p${i}`, p, truth, answers, correct, scores, tokens };
  });
}

function pickZipf(weights: readonly number[], total: number, r: Rng): number {
  let u = r.next() * total;
  for (let j = 0; j < weights.length; j++) {
    u -= weights[j] as number;
    if (u < 0) return j;
  }
  return weights.length - 1;
}
