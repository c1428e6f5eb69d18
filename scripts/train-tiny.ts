// Train a tiny chain-arithmetic policy, resumably.
//
//   tsx scripts/train-tiny.ts --recipe data/models/recipes/policy-30k.json [--minutes 15] [--eval 200]
//   tsx scripts/train-tiny.ts --name p60k [--d 48 --layers 2 --heads 4 --levels 1,2,3,4,5]
//       [--steps 20000 --minutes 40 --batch 32 --lr 3e-3 --seed 1 --examples 50000 --every 200 --max-len 128]
//
// A recipe (JSON, see data/models/recipes/) fixes the run: name, model shape, training level
// mix, examples, batch, lr, total steps, seed; flags given on the command line override it.
// The learning-rate schedule and the data depend only on the recipe, so the same recipe and
// seed give the same loss curve however the run is split by --minutes (a wall-clock cap per
// invocation, not part of the recipe's result).
//
// Writes out/train/<name>/checkpoint/ (checkpoint.json + weights.bin + optimizer.bin) and
// out/train/<name>/progress.json every --every steps; rerunning the same command resumes
// from the checkpoint (same batches, same optimizer state). Progress lines go to stdout.
// Once the run has reached its total steps, --eval N (default: the recipe's evalProblems,
// else 0) measures greedy exact-trace pass@1 per level on N held-out (test-split) problems
// per level and writes out/train/<name>/eval.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { selectBackend } from "../lib/core/backend.ts";
import { rng } from "../lib/core/rng.ts";
import { loadCheckpoint, saveCheckpoint } from "../lib/models/checkpoint.ts";
import { generate } from "../lib/models/generate.ts";
import { formatProgress, train, type TrainProgress } from "../lib/models/train.ts";
import { createTransformer, type Transformer } from "../lib/models/transformer.ts";
import type { TransformerConfig } from "../lib/models/transformer-config.ts";
import { CHAIN_TOKENIZER } from "../lib/tasks/char-tokenizer.ts";
import { checkSteps } from "../lib/tasks/check-steps.ts";
import { encodeExample } from "../lib/tasks/encode-example.ts";
import { formatPrompt, formatSolution } from "../lib/tasks/format.ts";
import { generateProblems } from "../lib/tasks/generate-problems.ts";
import { LEVELS } from "../lib/tasks/level.ts";

/** What a recipe file holds (every field optional; flags override, then defaults apply). */
interface RecipeFile {
  name?: string;
  description?: string;
  config?: { dModel?: number; layers?: number; heads?: number; kvHeads?: number; dFF?: number; maxLen?: number };
  /** Training levels, cycled: problem i is of level `levels[i % levels.length]` (repeat a level to weight it). */
  levels?: number[];
  examples?: number;
  batchSize?: number;
  lr?: number;
  totalSteps?: number;
  /** Suggested wall-clock cap per invocation (resume to continue). */
  minutes?: number;
  seed?: number;
  checkpointEvery?: number;
  evalProblems?: number;
}

const { values: a } = parseArgs({
  options: {
    recipe: { type: "string" }, name: { type: "string" }, d: { type: "string" }, layers: { type: "string" }, heads: { type: "string" },
    levels: { type: "string" }, steps: { type: "string" }, minutes: { type: "string" }, batch: { type: "string" }, lr: { type: "string" },
    seed: { type: "string" }, examples: { type: "string" }, every: { type: "string" }, "max-len": { type: "string" }, eval: { type: "string" },
  },
});
const file: RecipeFile = a.recipe === undefined ? {} : (JSON.parse(readFileSync(a.recipe, "utf8")) as RecipeFile);
const num = (flag: string | undefined, fromFile: number | undefined, fallback: number) => (flag !== undefined ? Number(flag) : (fromFile ?? fallback));
const name = a.name ?? file.name;
if (name === undefined) throw new Error("train-tiny requires --name or a recipe with a name");
const dModel = num(a.d, file.config?.dModel, 48);
const config: TransformerConfig = {
  vocabSize: CHAIN_TOKENIZER.vocabSize,
  dModel,
  layers: num(a.layers, file.config?.layers, 2),
  heads: num(a.heads, file.config?.heads, 4),
  ...(file.config?.kvHeads !== undefined ? { kvHeads: file.config.kvHeads } : {}),
  dFF: a.d !== undefined ? 4 * dModel : (file.config?.dFF ?? 4 * dModel),
  maxLen: num(a["max-len"], file.config?.maxLen, 128),
};
const recipe = {
  config,
  levels: a.levels !== undefined ? a.levels.split(",").map(Number) : (file.levels ?? [1, 2, 3, 4, 5]),
  totalSteps: num(a.steps, file.totalSteps, 20000),
  batchSize: num(a.batch, file.batchSize, 32),
  lr: num(a.lr, file.lr, 3e-3),
  seed: num(a.seed, file.seed, 1),
  examples: num(a.examples, file.examples, 50000),
};
const minutes = num(a.minutes, file.minutes, 40);
const evalProblems = num(a.eval, file.evalProblems, 0);
const dir = join("out", "train", name);
const ckptDir = join(dir, "checkpoint");
mkdirSync(dir, { recursive: true });

const backend = await selectBackend();
const root = rng(recipe.seed);
const data = generateProblems({ rng: root.fork("problems"), level: recipe.levels, count: recipe.examples }).map((p) => encodeExample(p, undefined, CHAIN_TOKENIZER));
let resumed;
try {
  resumed = loadCheckpoint(ckptDir, config);
} catch (e) {
  if (!String((e as Error).message).includes("no checkpoint manifest")) throw e;
}
const model = resumed?.model ?? createTransformer(config, root.fork("init"));
const history: (TrainProgress & { at: string })[] = ((resumed?.manifest.meta.history as (TrainProgress & { at: string })[] | undefined) ?? []).slice();
const done = resumed?.training?.step ?? 0;
console.log(`${resumed ? `resuming at step ${done}` : "starting"}: ${model.numParams} params, ${data.length} examples, backend ${backend.name}, recipe ${JSON.stringify(recipe)}`);

if (done < recipe.totalSteps) {
  const t0 = Date.now();
  const result = train(model, data, {
    rng: root.fork("order"), totalSteps: recipe.totalSteps, batchSize: recipe.batchSize, lr: recipe.lr,
    maxWallMs: minutes * 60_000, progressEvery: 50, checkpointEvery: num(a.every, file.checkpointEvery, 200),
    ...(resumed?.training ? { resume: resumed.training } : {}),
    onProgress: (p) => {
      history.push({ ...p, at: new Date().toISOString() });
      console.log(formatProgress(p));
    },
    onCheckpoint: (state) => {
      const meta = { recipe, recipeFile: a.recipe ?? null, backend: backend.name, history, wallMsThisRun: Date.now() - t0 };
      saveCheckpoint(ckptDir, model, { training: state, meta });
      writeFileSync(join(dir, "progress.json"), JSON.stringify({ step: state.step, totalSteps: recipe.totalSteps, params: model.numParams, recipe, last: history[history.length - 1], updated: new Date().toISOString() }, null, 2) + "\n");
    },
  });
  console.log(`stopped by ${result.stoppedBy} at step ${result.step}; median ${Math.round(result.medianTokensPerSecond)} padded tok/s this run`);
  if (result.step < recipe.totalSteps) console.log(`not finished: rerun the same command to resume (${recipe.totalSteps - result.step} steps left)`);
  else if (evalProblems > 0) evaluate(model, evalProblems);
} else if (evalProblems > 0) evaluate(model, evalProblems);
else console.log(`already at step ${done} of ${recipe.totalSteps}; pass --eval N to measure pass@1 per level`);
model.dispose();

/** Greedy exact-trace pass@1 per level on held-out problems (the same problems for every model: seed "eval"). */
function evaluate(m: Transformer, n: number): void {
  const rows: { level: number; problems: number; pass1: number; meanCorrectSteps: number }[] = [];
  for (let level = 1; level <= LEVELS.length; level++) {
    const problems = generateProblems({ rng: rng("eval").fork(`level-${level}`), level, count: n, split: "test" });
    const prompts = problems.map((p) => CHAIN_TOKENIZER.encode(formatPrompt(p), { bos: true }));
    const longest = Math.max(...problems.map((p) => formatSolution(p).length));
    const room = m.config.maxLen - Math.max(...prompts.map((p) => p.length));
    if (room < longest + 1) {
      console.log(`level ${level}: skipped (needs maxLen ≥ ${m.config.maxLen - room + longest + 1})`);
      continue;
    }
    const out = generate(m, prompts, { maxNewTokens: longest + 1, temperature: 0 });
    let correct = 0;
    let steps = 0;
    problems.forEach((p, i) => {
      const check = checkSteps(p, CHAIN_TOKENIZER.decode(out.tokens[i] as number[]));
      if (check.correct) correct++;
      steps += check.correctSteps / p.ops.length;
    });
    rows.push({ level, problems: n, pass1: correct / n, meanCorrectSteps: steps / n });
    console.log(`level ${level}: pass@1 ${(correct / n).toFixed(3)}  correct leading steps ${((100 * steps) / n).toFixed(1)}%`);
  }
  writeFileSync(join(dir, "eval.json"), JSON.stringify({ name, params: m.numParams, recipe, evaluated: new Date().toISOString(), levels: rows }, null, 2) + "\n");
}
