import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireArg } from "../core/errors.ts";
import { rng } from "../core/rng.ts";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import { checkSteps } from "../tasks/check-steps.ts";
import { encodeExample } from "../tasks/encode-example.ts";
import { formatPrompt } from "../tasks/format.ts";
import { generateProblems } from "../tasks/generate-problems.ts";
import { LEVELS } from "../tasks/level.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { generate } from "./generate.ts";
import { formatProgress, train, type TrainProgress } from "./train.ts";
import { createTransformer, type Transformer } from "./transformer.ts";
import type { TransformerConfig } from "./transformer-config.ts";

/**
 * A policy recipe (`data/models/recipes/policy-*.json`): model shape, the
 * training level mix, data size, batch, peak learning rate, schedule length
 * and seed. The same recipe gives the same data, batches and loss curve,
 * however the run is split into invocations.
 */
export interface PolicyRecipe {
  name: string;
  description?: string;
  kind?: "policy";
  config: Omit<TransformerConfig, "vocabSize"> & { vocabSize?: number };
  /** Training levels, cycled: problem i is of level `levels[i % levels.length]` (repeat a level to weight it). */
  levels: number[];
  examples: number;
  batchSize: number;
  lr: number;
  /** Length of the cosine schedule, and where training stops. */
  totalSteps: number;
  seed: number;
  /**
   * Start from this checkpoint's weights instead of a random init (continued
   * training: a recipe that extends another one names that one's shipped model).
   * Its shape must equal `config`.
   */
  init?: string;
  /** Save a checkpoint every this many steps (default 100). */
  checkpointEvery?: number;
  /** Held-out problems per level for the pass@1 report (default 200). */
  evalProblems?: number;
  /** Suggested wall-clock cap per invocation, minutes (not part of the result). */
  minutes?: number;
}

/** Greedy exact-trace pass@1 of a policy at one level. */
export interface LevelAccuracy {
  level: number;
  problems: number;
  pass1: number;
  /** Mean fraction of steps right before the first wrong line. */
  meanCorrectSteps: number;
}

/** Options of {@link runPolicyRecipe}. */
export interface RunPolicyRecipeOptions {
  /** Run folder: `checkpoint/`, `progress.json`, `eval.json`. */
  dir: string;
  maxWallMs?: number;
  /** Stop once this many steps are done (default the recipe's totalSteps; the schedule still spans totalSteps). */
  untilStep?: number;
  log?: (line: string) => void;
}

/**
 * Train a policy from its recipe, resumably (rerunning continues from
 * `dir/checkpoint` with the same batches and optimizer state), then measure
 * greedy exact-trace pass@1 per level on held-out problems and write
 * `dir/eval.json`.
 *
 * @returns per-level accuracy, or undefined when the time cap stopped training first
 * @throws InvalidArgumentError on an invalid recipe; DataError on a checkpoint of another shape
 */
export function runPolicyRecipe(recipe: PolicyRecipe, options: RunPolicyRecipeOptions): LevelAccuracy[] | undefined {
  const log = options.log ?? (() => {});
  const config = policyConfig(recipe);
  requireArg("runPolicyRecipe", recipe.levels.length > 0 && recipe.levels.every((l) => Number.isInteger(l) && l >= 1 && l <= LEVELS.length), `levels in 1..${LEVELS.length}`, recipe.levels);
  const { dir } = options;
  const ckptDir = join(dir, "checkpoint");
  mkdirSync(dir, { recursive: true });
  const root = rng(recipe.seed);
  const data = generateProblems({ rng: root.fork("problems"), level: recipe.levels, count: recipe.examples }).map((p) => encodeExample(p));
  let resumed;
  try {
    resumed = loadCheckpoint(ckptDir, config);
  } catch (e) {
    if (!String((e as Error).message).includes("no checkpoint manifest")) throw e;
  }
  const model = resumed?.model ?? (recipe.init !== undefined ? loadCheckpoint(recipe.init, config).model : createTransformer(config, root.fork("init")));
  try {
    const history = ((resumed?.manifest.meta.history as (TrainProgress & { at: string })[] | undefined) ?? []).slice();
    const done = resumed?.training?.step ?? 0;
    log(`${resumed ? `resuming at step ${done}` : "starting"}: ${recipe.name}, ${model.numParams} params, ${data.length} examples`);
    if (done < recipe.totalSteps) {
      const t0 = Date.now();
      const result = train(model, data, {
        rng: root.fork("order"), totalSteps: recipe.totalSteps, batchSize: recipe.batchSize, lr: recipe.lr,
        maxWallMs: options.maxWallMs, untilStep: options.untilStep, progressEvery: 50, checkpointEvery: recipe.checkpointEvery ?? 100,
        ...(resumed?.training ? { resume: resumed.training } : {}),
        onProgress: (p) => {
          history.push({ ...p, at: new Date().toISOString() });
          log(formatProgress(p));
        },
        onCheckpoint: (state) => {
          saveCheckpoint(ckptDir, model, { training: state, meta: { recipe, history, wallMsThisRun: Date.now() - t0 } });
          const last = history[history.length - 1];
          writeFileSync(join(dir, "progress.json"), JSON.stringify({ step: state.step, totalSteps: recipe.totalSteps, params: model.numParams, last, updated: new Date().toISOString() }, null, 2) + "\n");
        },
      });
      if (result.step < recipe.totalSteps) {
        log(`not finished: rerun to resume (${recipe.totalSteps - result.step} steps left)`);
        return undefined;
      }
    }
    const levels = evaluatePolicy(model, recipe.evalProblems ?? 200, log);
    writeFileSync(join(dir, "eval.json"), JSON.stringify({ name: recipe.name, params: model.numParams, levels }, null, 2) + "\n");
    return levels;
  } finally {
    model.dispose();
  }
}

/** The transformer config a recipe describes (vocabulary: the chain tokenizer's). */
export function policyConfig(recipe: PolicyRecipe): TransformerConfig {
  return { ...recipe.config, vocabSize: recipe.config.vocabSize ?? CHAIN_TOKENIZER.vocabSize };
}

/**
 * Greedy exact-trace pass@1 per level on `n` held-out (test-split) problems
 * per level; the same problems for every model (seed "eval").
 *
 * @param levels - which levels (default all)
 *
 * @example
 * evaluatePolicy(loadCheckpoint("data/models/policy-20k").model, 200);
 */
export function evaluatePolicy(model: Transformer, n: number, log: (line: string) => void = () => {}, levels: readonly number[] = LEVELS.map((_, i) => i + 1)): LevelAccuracy[] {
  requireArg("evaluatePolicy", Number.isSafeInteger(n) && n >= 1, "a positive integer number of problems", n);
  requireArg("evaluatePolicy", levels.every((l) => Number.isInteger(l) && l >= 1 && l <= LEVELS.length), `levels in 1..${LEVELS.length}`, levels);
  const rows: LevelAccuracy[] = [];
  for (const level of levels) {
    const problems = generateProblems({ rng: rng("eval").fork(`level-${level}`), level, count: n, split: "test" });
    const prompts = problems.map((p) => CHAIN_TOKENIZER.encode(formatPrompt(p), { bos: true }));
    const room = model.config.maxLen - Math.max(...prompts.map((p) => p.length));
    const out = generate(model, prompts, { maxNewTokens: room, temperature: 0 });
    let correct = 0;
    let steps = 0;
    problems.forEach((p, i) => {
      const check = checkSteps(p, CHAIN_TOKENIZER.decode(out.tokens[i] as number[]));
      if (check.correct) correct++;
      steps += check.correctSteps / p.ops.length;
    });
    rows.push({ level, problems: n, pass1: correct / n, meanCorrectSteps: steps / n });
    log(`level ${level}: pass@1 ${(correct / n).toFixed(3)}  correct leading steps ${((100 * steps) / n).toFixed(1)}%`);
  }
  return rows;
}
