import { requireArg } from "../../lib/core/errors.ts";
import type { Rng } from "../../lib/core/rng.ts";
import { bestOfNCurve } from "../../lib/estimators/best-of-n-at-k.ts";
import { normalCdf, normalQuantile } from "../../lib/sim/distributions.ts";
import type { GenRmConfig } from "./config.ts";

/**
 * GenRM success of one problem for every S = 1…N and V = 1…maxV: pick, from a uniformly random
 * S-subset of the N solutions, the one with the highest share of "Yes" among its first V verdicts
 * (ties broken uniformly at random), and score it against the truth. Returned flat,
 * `surface[(V − 1)·N + (S − 1)]`.
 *
 * A verification's verdict is "Yes" when its latent score μ·correct + persistent + fresh exceeds μ/2,
 * halfway between the wrong and right means — binary verdicts, as in the paper's released GenRM-FT
 * results (sc-genrm-scaling, `use_verification_logprobs: false`), which is why a single verification
 * ties most solutions and V = 1 helps little.
 *
 * Each solution's verifications are drawn once (see {@link GenRmConfig}); the mean over the first V
 * is an unbiased draw of a V-verification score because verifications are exchangeable, and the
 * expectation over S-subsets is exact (best-of-N@k without resampling, lib/estimators).
 *
 * @param answers - final answer per solution (`null`: none)
 * @param correct - correctness per solution
 * @param config - the verifier model
 * @param maxV - verifications per solution
 * @param rng - this problem's stream
 * @throws InvalidArgumentError for an AUC outside (0.5, 1) or shares outside [0, 1]
 * @see Singhi et al. 2025, §2 (GenRM scores a solution by averaging V verification chains-of-thought)
 */
export function genRmSurface(
  answers: readonly (string | null)[],
  correct: ArrayLike<number>,
  config: GenRmConfig,
  maxV: number,
  rng: Rng,
): Float64Array {
  requireArg("genRmSurface", config.auc > 0.5 && config.auc < 1, "a verification auc in (0.5, 1)", config.auc);
  requireArg("genRmSurface", config.freshShare >= 0 && config.freshShare <= 1, "freshShare in [0, 1]", config.freshShare);
  requireArg("genRmSurface", config.answerShare >= 0 && config.answerShare <= 1, "answerShare in [0, 1]", config.answerShare);
  requireArg("genRmSurface", Number.isSafeInteger(maxV) && maxV >= 1, "a positive integer maxV", maxV);
  const n = answers.length;
  const mu = Math.SQRT2 * normalQuantile(config.auc);
  const threshold = mu / 2;
  const sdFresh = Math.sqrt(config.freshShare);
  const sdAnswer = Math.sqrt((1 - config.freshShare) * config.answerShare);
  const sdSolution = Math.sqrt((1 - config.freshShare) * (1 - config.answerShare));
  const answerOffset = new Map<string, number>();
  const persistent = Float64Array.from(answers, (a, j) => {
    let shared = 0;
    if (a !== null) {
      shared = answerOffset.get(a) ?? sdAnswer * rng.normal();
      answerOffset.set(a, shared);
    } else {
      shared = sdAnswer * rng.normal(); // no answer to share an offset with
    }
    return (correct[j] ? mu : 0) + shared + sdSolution * rng.normal();
  });
  const ks = Array.from({ length: n }, (_, i) => i + 1);
  const sums = new Float64Array(n);
  const means = new Float64Array(n);
  const surface = new Float64Array(maxV * n);
  for (let v = 1; v <= maxV; v++) {
    for (let j = 0; j < n; j++) {
      if ((persistent[j] as number) + sdFresh * rng.normal() > threshold) sums[j]! += 1;
      means[j] = (sums[j] as number) / v;
    }
    surface.set(bestOfNCurve(means, correct, ks), (v - 1) * n);
  }
  return surface;
}

/**
 * AUC of a V-verification GenRM score under the binormal model, ignoring the logistic squashing:
 * Φ(μ / √(2·(1 − f + f/V))) with f the fresh share (answer sharing does not change it).
 */
export function verificationAuc(config: GenRmConfig, v: number): number {
  const mu = Math.SQRT2 * normalQuantile(config.auc);
  return normalCdf(mu / Math.sqrt(2 * (1 - config.freshShare + config.freshShare / v)));
}
