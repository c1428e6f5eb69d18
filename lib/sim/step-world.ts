import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { Verifier } from "../rewards/verifier.ts";
import type { Policy } from "../strategies/policy.ts";
import { betaSample } from "./distributions.ts";
import { simPolicy } from "./sim-policy.ts";
import { simVerifier } from "./sim-verifier.ts";
import { countSimTokens, extractSimAnswer } from "./step-text.ts";

/** Settings of {@link simStepWorld}; every field says what it controls. */
export interface SimStepWorldConfig {
  /** Problems to draw. */
  problems: number;
  /** Steps per solution S, uniform on the integers [min, max] per problem. */
  steps: { min: number; max: number };
  /** Per-problem probability q that a sampled step is right (while the chain is still right): q ~ Beta(alpha, beta). */
  stepSuccess: { alpha: number; beta: number };
  /** Step lengths ℓ in tokens: log ℓ ~ N(log median, sigma²) per sampled step, rounded, at least 2. */
  stepTokens: { median: number; sigma: number };
  /** Wrong solutions answer with one of `count` distractors, chosen with probability ∝ rank^(−zipf). */
  distractors: { count: number; zipf: number };
  /**
   * The PRM: a complete step's logit is μ·[chain right so far] + ε, ε ~ N(0, 1), μ = √2·Φ⁻¹(auc) (binormal:
   * `auc` is the AUC of right vs wrong steps). A partial step cut after τ of ℓ tokens adds
   * `partialNoise`·√((ℓ − τ)/τ)·ξ, ξ ~ N(0, 1): noisier the earlier it is cut, equal to the final score at τ = ℓ.
   */
  verifier: { auc: number; partialNoise: number };
}

/** A toy setting for tests and examples: 3–6 steps of ~8 tokens, q ~ Beta(4, 1), a PRM with AUC 0.8. */
export const SIM_STEP_WORLD_DEFAULTS: Readonly<SimStepWorldConfig> = Object.freeze({
  problems: 20,
  steps: { min: 3, max: 6 },
  stepSuccess: { alpha: 4, beta: 1 },
  stepTokens: { median: 8, sigma: 0.4 },
  distractors: { count: 4, zipf: 1 },
  verifier: { auc: 0.8, partialNoise: 1 },
});

/** One simulated problem. */
export interface SimStepProblem {
  id: string;
  /** The prompt, `"sim <id>\n"`. */
  prompt: string;
  /** Probability q that a sampled step is right. */
  stepSuccess: number;
  /** The hidden right value of each step (S of them). */
  chain: number[];
  /** The right answer. */
  truth: string;
  /** Wrong answers, most popular first, and their Zipf weights. */
  distractors: string[];
  distractorWeights: number[];
}

/** A step-wise world: problems, a policy and a PRM over them, and its grading. */
export interface SimStepWorld {
  config: SimStepWorldConfig;
  problems: SimStepProblem[];
  prompts: string[];
  policy: Policy;
  verifier: Verifier;
  /** The answer a solution commits to. */
  extractAnswer: (text: string) => string | null;
  /** Whether `answer` is right for the problem with this prompt. */
  isCorrect: (prompt: string, answer: string | null) => boolean;
  /** Tokens of a text. */
  countTokens: (text: string) => number;
}

/**
 * A step-wise simulated world implementing both `Policy` and `Verifier`. Each
 * problem has a hidden chain of S step values; a sampled step is right with
 * the problem's probability q while the chain is still right, and once a step
 * is wrong the solution stays wrong. A right solution answers the truth; a
 * wrong one answers a distractor (Zipf), so wrong answers repeat and majority
 * voting can fail. The PRM scores each step from a binormal signal with a set
 * AUC, and a partial step (τ tokens in) from a noisier one, so partial and
 * final scores correlate more as τ grows.
 *
 * Not calibrated to any model or paper: a toy for tests and for trying
 * strategies before trained models exist. Problem i draws from `rng.fork("problem-<i>")`,
 * the policy's greedy choices from `rng.fork("policy")`, the PRM's noise from `rng.fork("verifier")`.
 *
 * @throws InvalidArgumentError on non-positive counts, steps.min < 1 or min > max, a median step under 2 tokens, an AUC outside (0.5, 1), negative noise
 * @example
 * const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 5 }, rng(1));
 * const res = await world.policy.sampleSteps(world.prompts, { maxTokens: 64, stopAtStepEnd: true, temperature: 1, rng: rng(2) });
 * @see lib/sim/step-text.ts for the text format; lib/sim/world.ts for the binormal verifier model
 */
export function simStepWorld(config: SimStepWorldConfig, rng: Rng): SimStepWorld {
  const fn = "simStepWorld";
  const { problems: count, steps, stepSuccess, stepTokens, distractors, verifier } = config;
  requireArg(fn, Number.isSafeInteger(count) && count >= 1, "a positive integer number of problems", count);
  requireArg(fn, Number.isSafeInteger(steps.min) && Number.isSafeInteger(steps.max) && steps.min >= 1 && steps.min <= steps.max, "integer steps 1 <= min <= max", steps);
  requireArg(fn, stepSuccess.alpha > 0 && stepSuccess.beta > 0, "stepSuccess alpha, beta > 0", stepSuccess);
  requireArg(fn, stepTokens.median >= 2 && stepTokens.sigma >= 0, "stepTokens median >= 2 and sigma >= 0", stepTokens);
  requireArg(fn, Number.isSafeInteger(distractors.count) && distractors.count >= 1 && distractors.zipf >= 0, "at least one distractor and zipf >= 0", distractors);
  requireArg(fn, verifier.auc > 0.5 && verifier.auc < 1 && verifier.partialNoise >= 0, "a verifier auc in (0.5, 1) and partialNoise >= 0", verifier);
  const problems = Array.from({ length: count }, (_, i): SimStepProblem => {
    const r = rng.fork(`problem-${i}`);
    const s = steps.min + r.int(steps.max - steps.min + 1);
    const chain = Array.from({ length: s }, () => r.int(1000));
    const truth = String(chain[s - 1]);
    const wrong = new Set<string>();
    while (wrong.size < distractors.count) {
      const d = String(r.int(1_000_000));
      if (d !== truth) wrong.add(d);
    }
    return {
      id: `p${i}`,
      prompt: `sim p${i}\n`,
      stepSuccess: betaSample(stepSuccess.alpha, stepSuccess.beta, r),
      chain,
      truth,
      distractors: [...wrong],
      distractorWeights: Array.from({ length: distractors.count }, (_, j) => Math.pow(j + 1, -distractors.zipf)),
    };
  });
  const byPrompt = new Map(problems.map((p) => [p.prompt, p]));
  return {
    config,
    problems,
    prompts: problems.map((p) => p.prompt),
    policy: simPolicy(problems, stepTokens, rng.fork("policy")),
    verifier: simVerifier(problems, verifier, rng.fork("verifier")),
    extractAnswer: extractSimAnswer,
    isCorrect: (prompt, answer) => answer !== null && byPrompt.get(prompt)?.truth === answer,
    countTokens: countSimTokens,
  };
}
