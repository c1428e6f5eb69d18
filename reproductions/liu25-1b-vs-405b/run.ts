/**
 * Reproduction of Liu et al. (2025), "Can 1B LLM Surpass 405B LLM? Rethinking
 * Compute-Optimal Test-Time Scaling", on the tiny-model world: the trained
 * policies (32.5k to 214k parameters) solve held-out chain-arithmetic problems
 * of levels 1–4 with best-of-N (naive and reward-weighted, offline from one
 * pool of samples per policy), majority vote, beam search and DVTS (online,
 * guided by each trained PRM); accuracy per policy × reward model × method ×
 * budget × level; the compute-optimal choice per level (2-fold); and the
 * smallest policy's compute-optimal accuracy against the largest policy's
 * single sample.
 *
 * `run` reads the checkpoints under `config.modelsDir` and writes nothing;
 * every random number comes from `config.seed`.
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { requireArg } from "../../lib/core/errors.ts";
import { rng } from "../../lib/core/rng.ts";
import { loadCheckpoint, type LoadedCheckpoint } from "../../lib/models/checkpoint.ts";
import { countParams } from "../../lib/models/transformer-config.ts";
import type { Progress } from "../../lib/repro/types.ts";
import { formatPrompt } from "../../lib/tasks/format.ts";
import { generateProblems } from "../../lib/tasks/generate-problems.ts";
import type { Liu25Config } from "./config.ts";
import { lockstepPolicy, lockstepVerifier } from "./lockstep-models.ts";
import { heldOut, runPolicy, type HeldOutProblem, type RewardModelUnderTest } from "./policy-run.ts";
import { summarizePolicy, type PolicySummary } from "./summarize.ts";

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { Liu25Config } from "./config.ts";
export { figure } from "./figure.ts";

/** What a run measured, with the settings it ran under (documented on {@link Liu25Config}). */
export interface Liu25Results
  extends Pick<Liu25Config, "levels" | "problemsPerLevel" | "samplesPerProblem" | "bonBudgets" | "searchBudgets" | "beamWidth" | "temperature" | "margin" | "searchRewardModels" | "seed"> {
  backend: string;
  rewardModels: { name: string; kind: "prm" | "orm"; params: number }[];
  /** In config order; smallest and largest are by `params`. */
  policies: PolicySummary[];
}

/**
 * Load the reward models, draw the held-out problems (the same for every
 * policy), and run every policy in turn (see `runPolicy`), then summarize.
 * Models are disposed before returning.
 *
 * @throws DataError when a checkpoint is missing or corrupt; InvalidArgumentError on budgets beyond the pool or not divisible by the width
 */
export async function run(config: Liu25Config, progress?: Progress): Promise<Liu25Results> {
  const report = progress ?? (() => {});
  const names = config.rewardModels.map((m) => m.name);
  requireArg("liu25 run", config.searchRewardModels.every((n) => names.includes(n) && config.rewardModels.find((m) => m.name === n)?.kind === "prm"), "searchRewardModels naming PRMs among rewardModels", { searchRewardModels: config.searchRewardModels, rewardModels: config.rewardModels });
  requireArg("liu25 run", [...config.bonBudgets, ...config.searchBudgets].every((n) => Number.isSafeInteger(n) && n >= 1 && n <= config.samplesPerProblem), `budgets in 1..samplesPerProblem (${config.samplesPerProblem})`, { bonBudgets: config.bonBudgets, searchBudgets: config.searchBudgets });
  const root = rng(config.seed);
  const problems: HeldOutProblem[] = config.levels.flatMap((level) =>
    generateProblems({ rng: root.fork(`problems/level-${level}`), level, count: config.problemsPerLevel, split: "test" }).map((p, i) => heldOut(p, level, i, formatPrompt(p))),
  );
  const loaded: LoadedCheckpoint[] = [];
  try {
    const rewardModels: RewardModelUnderTest[] = config.rewardModels.map((spec) => {
      const ck = loadCheckpoint(join(config.modelsDir, spec.name));
      loaded.push(ck);
      return { ...spec, params: countParams(ck.model.config), verifier: lockstepVerifier(ck.model, { name: spec.name, kind: spec.kind }) };
    });
    const policies: PolicySummary[] = [];
    for (const [k, name] of config.policies.entries()) {
      const ck = loadCheckpoint(join(config.modelsDir, name));
      try {
        const params = countParams(ck.model.config);
        const pol = { name, params, policy: lockstepPolicy(ck.model, name), maxLen: ck.model.config.maxLen };
        const res = await runPolicy(pol, rewardModels, problems, config, root.fork(`policy/${name}`), (m) => report(m, k / config.policies.length));
        policies.push(summarizePolicy(name, params, res, problems, config.levels, config.searchBudgets, config.bootstrapReps, root.fork(`allocation/${name}`)));
      } finally {
        ck.model.dispose();
      }
    }
    return {
      backend: tf.getBackend(),
      levels: config.levels,
      problemsPerLevel: config.problemsPerLevel,
      samplesPerProblem: config.samplesPerProblem,
      bonBudgets: config.bonBudgets,
      searchBudgets: config.searchBudgets,
      beamWidth: config.beamWidth,
      temperature: config.temperature,
      margin: config.margin,
      rewardModels: rewardModels.map((m) => ({ name: m.name, kind: m.kind, params: m.params })),
      searchRewardModels: config.searchRewardModels,
      policies,
      seed: config.seed,
    };
  } finally {
    for (const ck of loaded) ck.model.dispose();
  }
}
