import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireArg } from "../core/errors.ts";
import { rng, type Rng } from "../core/rng.ts";
import { rocAuc } from "../estimators/roc-auc.ts";
import { loadCheckpoint, saveCheckpoint } from "../models/checkpoint.ts";
import { generate } from "../models/generate.ts";
import { formatProgress, train } from "../models/train.ts";
import type { Transformer } from "../models/transformer.ts";
import type { ChainProblem } from "../tasks/chain-problem.ts";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import { formatPrompt } from "../tasks/format.ts";
import { generateProblems } from "../tasks/generate-problems.ts";
import { isCorrect } from "../tasks/is-correct.ts";
import { LEVELS } from "../tasks/level.ts";
import { rewardExample, rewardObjective, scorePositions, stepEndPositions, type transformerVerifier } from "./reward-model.ts";
import { checkerLabels, completionLines, rolloutLabels } from "./step-labels.ts";

/**
 * A reward-model recipe: which policy's samples to label, how, and how to
 * train. `ttc train <recipe>` runs it; the same recipe and seed give the same
 * samples, labels, batches and loss curve.
 */
export interface RewardRecipe {
  name: string;
  description?: string;
  kind: "reward";
  /** `"prm"`: a score per step; `"orm"`: one score per solution (labels are then the outcome). */
  model: "prm" | "orm";
  /** PRM step labels: Math-Shepherd rollouts (soft) or the exact step checker (the ablation). */
  labels: "rollouts" | "checker" | "outcome";
  /** Checkpoint directory of the policy whose own samples are labelled (and which runs the rollouts). */
  policy: string;
  /** Checkpoint directory whose weights initialise the reward model (Math-Shepherd starts from the LM). */
  init: string;
  /** Training levels, cycled as in policy recipes. */
  levels: number[];
  /** Training problems (train split) and samples per problem (temperature `temperature`). */
  problems: number;
  samplesPerProblem: number;
  temperature: number;
  /** Rollouts per step prefix (labels "rollouts"). */
  rollouts?: number;
  totalSteps: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Held-out (test split) problems per level and samples per problem for the AUC report. */
  evalProblems: number;
  evalSamples: number;
}

/** The AUCs {@link runRewardRecipe} reports on held-out samples. */
export interface RewardEval {
  name: string;
  params: number;
  /** Step-level AUC: every line's score against "this line and all before it are right" (step checker). */
  stepAuc: number;
  /** Outcome AUC: the score of the last line (PRM) or the solution (ORM) against the exact-trace outcome. */
  outcomeAuc: number;
  lines: number;
  samples: number;
  /** Fraction of held-out samples that are correct. */
  correctRate: number;
  perLevel: { level: number; samples: number; correctRate: number; stepAuc: number | null; outcomeAuc: number | null }[];
}

/** One sampled completion of a chain problem. */
export interface Sampled {
  problem: ChainProblem;
  level: number;
  /** Decoded text, without EOS. */
  completion: string;
  /** Tokens generated (EOS included when written). */
  tokens: number;
}

/** Options of {@link runRewardRecipe}. */
export interface RunRewardRecipeOptions {
  /** Where the run's files go (samples, labels, checkpoint, eval). */
  dir: string;
  log?: (line: string) => void;
  /** Stop training after this much wall time in this call (rerun to resume). */
  maxWallMs?: number;
}

/**
 * Run a reward-model recipe, resumably: sample the policy on training
 * problems, label every line (rollouts, checker or outcome), train the reward
 * model from `init`'s weights with {@link rewardObjective}, then measure its
 * step and outcome AUC on held-out samples. Labels and the checkpoint are
 * kept in `dir`, so a rerun skips finished stages.
 *
 * @returns the evaluation, or undefined when training stopped early (time cap)
 * @throws InvalidArgumentError on an invalid recipe
 */
export function runRewardRecipe(recipe: RewardRecipe, options: RunRewardRecipeOptions): RewardEval | undefined {
  validate(recipe);
  const log = options.log ?? (() => {});
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const root = rng(recipe.seed);
  const policy = loadCheckpoint(recipe.policy).model;
  try {
    const labelled = labelStage(recipe, policy, root, join(dir, "labels.json"), log);
    const examples = labelled.flatMap(({ item, labels }) => (item.completion.length === 0 ? [] : [rewardExample(formatPrompt(item.problem), item.completion, labels, recipe.model)]));
    const ckptDir = join(dir, "checkpoint");
    let resumed;
    if (existsSync(join(ckptDir, "checkpoint.json"))) resumed = loadCheckpoint(ckptDir);
    const model = resumed?.model ?? loadCheckpoint(recipe.init).model;
    try {
      const done = resumed?.training?.step ?? 0;
      log(`${resumed ? `resuming at step ${done}` : "starting"}: ${recipe.name}, ${model.numParams} params, ${examples.length} labelled samples`);
      if (done < recipe.totalSteps) {
        const result = train(model, examples, {
          rng: root.fork("order"), totalSteps: recipe.totalSteps, batchSize: recipe.batchSize, lr: recipe.lr, objective: rewardObjective(),
          maxWallMs: options.maxWallMs, progressEvery: 25, checkpointEvery: 100,
          ...(resumed?.training ? { resume: resumed.training } : {}),
          onProgress: (p) => log(formatProgress(p)),
          onCheckpoint: (state) => saveCheckpoint(ckptDir, model, { training: state, meta: { kind: recipe.model, recipe, scoring: { good: "+", bad: "-" } } }),
        });
        if (result.step < recipe.totalSteps) {
          log(`not finished: rerun to resume (${recipe.totalSteps - result.step} steps left)`);
          return undefined;
        }
      }
      const evaluation = evaluateRewardModel(recipe, policy, model, root.fork("eval"), log);
      writeFileSync(join(dir, "eval.json"), JSON.stringify(evaluation, null, 2) + "\n");
      return evaluation;
    } finally {
      model.dispose();
    }
  } finally {
    policy.dispose();
  }
}

/** Sample the policy (one sequence per problem × sample, each on its own rng stream). */
export function samplePolicy(policy: Transformer, problems: readonly { problem: ChainProblem; level: number }[], samples: number, temperature: number, r: Rng, maxBatch = 256): Sampled[] {
  const jobs = problems.flatMap((p, i) => Array.from({ length: samples }, (_, j) => ({ ...p, key: `p${i}/s${j}` })));
  const out: Sampled[] = [];
  for (let s = 0; s < jobs.length; s += maxBatch) {
    const chunk = jobs.slice(s, s + maxBatch);
    const prompts = chunk.map((j) => CHAIN_TOKENIZER.encode(formatPrompt(j.problem), { bos: true }));
    const rooms = prompts.map((p) => policy.config.maxLen - p.length);
    const res = generate(policy, prompts, { maxNewTokens: Math.max(...rooms), temperature, sequences: chunk.map((j, k) => ({ rng: r.fork(j.key), maxNewTokens: rooms[k] as number })) });
    chunk.forEach((j, k) => out.push({ problem: j.problem, level: j.level, completion: CHAIN_TOKENIZER.decode(res.tokens[k] as number[]), tokens: (res.tokens[k] as number[]).length }));
  }
  return out;
}

function labelStage(recipe: RewardRecipe, policy: Transformer, root: Rng, file: string, log: (line: string) => void): { item: Sampled; labels: number[] }[] {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { recipe: RewardRecipe; items: { level: number; text: string; completion: string; labels: number[] }[] };
    if (JSON.stringify(saved.recipe) === JSON.stringify(recipe)) {
      log(`labels: reusing ${saved.items.length} labelled samples from ${file}`);
      const problems = trainingProblems(recipe, root);
      const byText = new Map(problems.map((p) => [p.problem.text, p.problem]));
      return saved.items.map((it) => ({ item: { problem: byText.get(it.text) as ChainProblem, level: it.level, completion: it.completion, tokens: it.completion.length }, labels: it.labels }));
    }
  }
  const t0 = Date.now();
  const sampled = samplePolicy(policy, trainingProblems(recipe, root), recipe.samplesPerProblem, recipe.temperature, root.fork("samples"));
  const correct = sampled.filter((s) => isCorrect(s.problem, s.completion)).length;
  log(`sampled ${sampled.length} completions (${(100 * correct / sampled.length).toFixed(1)}% correct) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  let labels: number[][];
  if (recipe.labels === "outcome") labels = sampled.map((s) => [isCorrect(s.problem, s.completion) ? 1 : 0]);
  else if (recipe.labels === "checker") labels = sampled.map((s) => checkerLabels(s.problem, s.completion));
  else {
    let last = 0;
    labels = rolloutLabels(policy, sampled, {
      rollouts: recipe.rollouts as number, rng: root.fork("rollouts"), temperature: recipe.temperature,
      onProgress: (done, total) => {
        if (Date.now() - last > 15_000 || done === total) {
          last = Date.now();
          log(`rollouts ${done}/${total} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        }
      },
    });
  }
  const items = sampled.map((s, i) => ({ level: s.level, text: s.problem.text, completion: s.completion, labels: labels[i] as number[] }));
  writeFileSync(file, JSON.stringify({ recipe, items }) + "\n");
  return sampled.map((item, i) => ({ item, labels: labels[i] as number[] }));
}

function trainingProblems(recipe: RewardRecipe, root: Rng): { problem: ChainProblem; level: number }[] {
  const problems = generateProblems({ rng: root.fork("problems"), level: recipe.levels, count: recipe.problems });
  return problems.map((problem, i) => ({ problem, level: recipe.levels[i % recipe.levels.length] as number }));
}

/**
 * Held-out AUCs of a reward model on the policy's samples: test-split
 * problems, `evalProblems` per level, `evalSamples` samples each.
 */
export function evaluateRewardModel(recipe: Pick<RewardRecipe, "name" | "model" | "evalProblems" | "evalSamples" | "temperature">, policy: Transformer, model: Transformer, r: Rng, log: (line: string) => void = () => {}): RewardEval {
  const problems = LEVELS.flatMap((_, l) =>
    generateProblems({ rng: rng("reward-eval").fork(`level-${l + 1}`), level: l + 1, count: recipe.evalProblems, split: "test" }).map((problem) => ({ problem, level: l + 1 })),
  );
  const sampled = samplePolicy(policy, problems, recipe.evalSamples, recipe.temperature, r).filter((s) => s.completion.length > 0);
  const rows = sampled.map((s) => ({ level: s.level, correct: isCorrect(s.problem, s.completion), stepLabels: checkerLabels(s.problem, s.completion), lines: completionLines(s.completion).length, s }));
  const scores = scoreCompletions(model, recipe.model, sampled);
  const aucOf = (pick: (i: number) => { score: number; label: boolean }[]) => {
    const pairs = rows.flatMap((_, i) => pick(i));
    const pos = pairs.filter((p) => p.label).length;
    return pos === 0 || pos === pairs.length ? null : rocAuc(pairs.map((p) => p.score), pairs.map((p) => p.label));
  };
  const stepPairs = (i: number) =>
    recipe.model === "orm" ? [] : (rows[i] as (typeof rows)[number]).stepLabels.map((y, l) => ({ score: (scores[i] as number[])[l] as number, label: y === 1 }));
  const outcomePairs = (i: number) => [{ score: (scores[i] as number[]).at(-1) as number, label: (rows[i] as (typeof rows)[number]).correct }];
  const perLevel = LEVELS.map((_, l) => {
    const idx = rows.map((row, i) => (row.level === l + 1 ? i : -1)).filter((i) => i >= 0);
    const only = (f: (i: number) => { score: number; label: boolean }[]) => (i: number) => (idx.includes(i) ? f(i) : []);
    return {
      level: l + 1,
      samples: idx.length,
      correctRate: idx.filter((i) => (rows[i] as (typeof rows)[number]).correct).length / Math.max(1, idx.length),
      stepAuc: recipe.model === "orm" ? null : aucOf(only(stepPairs)),
      outcomeAuc: aucOf(only(outcomePairs)),
    };
  });
  const evaluation: RewardEval = {
    name: recipe.name,
    params: model.numParams,
    stepAuc: recipe.model === "orm" ? NaN : (aucOf(stepPairs) ?? NaN),
    outcomeAuc: aucOf(outcomePairs) ?? NaN,
    lines: rows.reduce((a, row) => a + row.lines, 0),
    samples: rows.length,
    correctRate: rows.filter((row) => row.correct).length / Math.max(1, rows.length),
    perLevel,
  };
  log(`${recipe.name}: step AUC ${evaluation.stepAuc.toFixed(3)}, outcome AUC ${evaluation.outcomeAuc.toFixed(3)} on ${evaluation.samples} held-out samples (${(100 * evaluation.correctRate).toFixed(1)}% correct)`);
  return evaluation;
}

/**
 * Reward-model scores of completions, in batches: one per line (PRM, see
 * {@link transformerVerifier}) or one per completion (ORM).
 *
 * @returns scores[i] for items[i]
 */
export function scoreCompletions(model: Transformer, kind: "prm" | "orm", items: readonly { problem: ChainProblem; completion: string }[], batchSize = 64): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < items.length; s += batchSize) {
    const chunk = items.slice(s, s + batchSize);
    const prompts = chunk.map((it) => CHAIN_TOKENIZER.encode(formatPrompt(it.problem), { bos: true }));
    const sequences = chunk.map((it, i) => [...(prompts[i] as number[]), ...CHAIN_TOKENIZER.encode(it.completion)]);
    const positions = chunk.map((it, i) => (kind === "orm" ? [(sequences[i] as number[]).length - 1] : stepEndPositions(it.completion, (prompts[i] as number[]).length)));
    out.push(...scorePositions(model, sequences, positions));
  }
  return out;
}

function validate(r: RewardRecipe): void {
  requireArg("runRewardRecipe", r.model === "prm" || r.model === "orm", 'model "prm" or "orm"', r.model);
  requireArg("runRewardRecipe", r.labels === "rollouts" || r.labels === "checker" || r.labels === "outcome", 'labels "rollouts", "checker" or "outcome"', r.labels);
  requireArg("runRewardRecipe", (r.model === "orm") === (r.labels === "outcome"), 'labels "outcome" exactly for an ORM', `${r.model} with ${r.labels}`);
  requireArg("runRewardRecipe", r.labels !== "rollouts" || (Number.isSafeInteger(r.rollouts) && (r.rollouts as number) >= 1), "a positive integer rollouts for rollout labels", r.rollouts);
  for (const [k, v] of Object.entries({ problems: r.problems, samplesPerProblem: r.samplesPerProblem, totalSteps: r.totalSteps, batchSize: r.batchSize, evalProblems: r.evalProblems, evalSamples: r.evalSamples })) {
    requireArg("runRewardRecipe", Number.isSafeInteger(v) && v >= 1, `a positive integer ${k}`, v);
  }
  requireArg("runRewardRecipe", r.levels.length > 0 && r.levels.every((l) => Number.isInteger(l) && l >= 1 && l <= LEVELS.length), `levels in 1..${LEVELS.length}`, r.levels);
}
