import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { ScoreStepsResult, Verifier } from "../rewards/verifier.ts";
import { normalQuantile } from "./distributions.ts";
import { countSimTokens, headToken, parseSimSolution } from "./step-text.ts";
import type { SimStepProblem } from "./step-world.ts";

/**
 * The simulated world's process reward model (see `simStepWorld`). Step s of a
 * solution gets the logit μ·y_s + ε_s, with y_s = 1 while every step so far
 * matches the hidden chain, μ = √2·Φ⁻¹(auc) and ε_s ~ N(0, 1); a partial last
 * step cut after τ of its ℓ tokens adds `partialNoise`·√((ℓ − τ)/τ)·ξ_s. The
 * score is the logistic of the logit. ε_s and ξ_s are drawn from
 * `rng.fork(<prompt and the heads of steps 0..s>)`, so a step keeps its noise
 * however it is batched, and a partial step and its completion share ε_s (the
 * partial score converges to the final one as τ → ℓ).
 *
 * @param problems - the world's problems
 * @param config - `auc` in (0.5, 1) of right vs wrong complete steps, and the partial-step noise scale
 * @param rng - the world's verifier stream
 * @throws InvalidArgumentError (from scoreSteps) on a prompt that is not the world's, or a malformed solution
 * @example
 * const world = simStepWorld(SIM_STEP_WORLD_DEFAULTS, rng(1)); // world.verifier is simVerifier(world.problems, …)
 * const { scores } = await world.verifier.scoreSteps(world.prompts[0], ["v673.h1cdir/6 f f f f\nv880.x/4 f"]);
 * scores[0].length; // 2: a complete step and a partial one
 * @see lib/sim/world.ts (the binormal outcome verifier this extends to steps); Cheshmi et al. 2025 (partial rewards)
 */
export function simVerifier(problems: readonly SimStepProblem[], config: { auc: number; partialNoise: number }, rng: Rng): Verifier {
  const byPrompt = new Map(problems.map((p) => [p.prompt, p]));
  const mu = Math.SQRT2 * normalQuantile(config.auc);
  const scoreOne = (p: SimStepProblem, solution: string): number[] => {
    const steps = parseSimSolution(solution);
    if (steps.length === 0) return [0.5];
    let ok = true;
    let key = p.prompt;
    return steps.map((st, s) => {
      ok = ok && st.head.value === p.chain[s];
      key += `|${headToken(st.head)}`;
      const r = rng.fork(key);
      const eps = r.normal();
      const xi = r.normal();
      const extra = st.complete ? 0 : config.partialNoise * Math.sqrt((st.head.length - st.tokens) / st.tokens) * xi;
      return 1 / (1 + Math.exp(-((ok ? mu : 0) + eps + extra)));
    });
  };
  return {
    name: "sim-prm",
    async scoreSteps(prompt: string, solutions: readonly string[]): Promise<ScoreStepsResult> {
      const p = byPrompt.get(prompt);
      requireArg("simVerifier.scoreSteps", p !== undefined, "one of the world's prompts", prompt);
      let tokens = 0;
      const scores = solutions.map((s) => {
        tokens += countSimTokens(prompt + s);
        return scoreOne(p, s);
      });
      return { scores, usage: { tokens } };
    },
  };
}
