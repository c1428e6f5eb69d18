// Train a tiny chain-arithmetic policy, resumably.
//
//   tsx scripts/train-tiny.ts --name p60k [--d 48 --layers 2 --heads 4 --levels 1,2,3,4,5]
//       [--steps 20000 --minutes 40 --batch 32 --lr 3e-3 --seed 1 --examples 50000 --every 200]
//
// Writes out/train/<name>/checkpoint/ (checkpoint.json + weights.bin + optimizer.bin) and
// out/train/<name>/progress.json every --every steps; rerunning the same command resumes
// from the checkpoint (same batches, same optimizer state). Progress lines go to stdout.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { selectBackend } from "../lib/core/backend.ts";
import { rng } from "../lib/core/rng.ts";
import { loadCheckpoint, saveCheckpoint } from "../lib/models/checkpoint.ts";
import { formatProgress, train, type TrainProgress } from "../lib/models/train.ts";
import { createTransformer } from "../lib/models/transformer.ts";
import type { TransformerConfig } from "../lib/models/transformer-config.ts";
import { CHAIN_TOKENIZER } from "../lib/tasks/char-tokenizer.ts";
import { encodeExample } from "../lib/tasks/encode-example.ts";
import { generateProblems } from "../lib/tasks/generate-problems.ts";

const { values: a } = parseArgs({
  options: {
    name: { type: "string" }, d: { type: "string", default: "48" }, layers: { type: "string", default: "2" }, heads: { type: "string", default: "4" },
    levels: { type: "string", default: "1,2,3,4,5" }, steps: { type: "string", default: "20000" }, minutes: { type: "string", default: "40" },
    batch: { type: "string", default: "32" }, lr: { type: "string", default: "3e-3" }, seed: { type: "string", default: "1" },
    examples: { type: "string", default: "50000" }, every: { type: "string", default: "200" }, "max-len": { type: "string", default: "128" },
  },
});
if (a.name === undefined) throw new Error("train-tiny requires --name");
const n = (s: string | undefined) => Number(s);
const dModel = n(a.d);
const config: TransformerConfig = { vocabSize: CHAIN_TOKENIZER.vocabSize, dModel, layers: n(a.layers), heads: n(a.heads), dFF: 4 * dModel, maxLen: n(a["max-len"]) };
const recipe = { config, levels: a.levels.split(",").map(Number), totalSteps: n(a.steps), batchSize: n(a.batch), lr: n(a.lr), seed: n(a.seed), examples: n(a.examples) };
const dir = join("out", "train", a.name);
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
console.log(`${resumed ? `resuming at step ${resumed.training?.step}` : "starting"}: ${model.numParams} params, ${data.length} examples, backend ${backend.name}, recipe ${JSON.stringify(recipe)}`);

const t0 = Date.now();
const result = train(model, data, {
  rng: root.fork("order"), totalSteps: recipe.totalSteps, batchSize: recipe.batchSize, lr: recipe.lr,
  maxWallMs: n(a.minutes) * 60_000, progressEvery: 50, checkpointEvery: n(a.every),
  ...(resumed?.training ? { resume: resumed.training } : {}),
  onProgress: (p) => {
    history.push({ ...p, at: new Date().toISOString() });
    console.log(formatProgress(p));
  },
  onCheckpoint: (state) => {
    const meta = { recipe, backend: backend.name, history, wallMsThisRun: Date.now() - t0 };
    saveCheckpoint(ckptDir, model, { training: state, meta });
    writeFileSync(join(dir, "progress.json"), JSON.stringify({ step: state.step, totalSteps: recipe.totalSteps, params: model.numParams, recipe, last: history[history.length - 1], updated: new Date().toISOString() }, null, 2) + "\n");
  },
});
console.log(`stopped by ${result.stoppedBy} at step ${result.step}; median ${Math.round(result.medianTokensPerSecond)} padded tok/s this run`);
model.dispose();
