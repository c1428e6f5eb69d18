import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { Adam, type AdamOptions, type AdamState } from "./adam.ts";
import { completionLoss, makeBatch, type TrainExample } from "./batch.ts";
import { batchesPerEpoch, batchPlan } from "./batch-plan.ts";
import { cosineSchedule } from "./schedule.ts";
import type { Transformer } from "./transformer.ts";

/** Where a run stands: enough, with the model's weights, to resume it exactly. */
/**
 * What one training step minimises, for a batch of examples. The default,
 * {@link languageModelObjective}, is the completion loss; reward models
 * (lib/rewards) plug in their own.
 */
export interface TrainObjective<E extends TrainExample = TrainExample> {
  /**
   * Build the batch's input tensors. `loss` runs inside `tf.variableGrads`
   * and must return a scalar; `dispose` frees what `prepare` made.
   */
  prepare(examples: readonly E[]): { loss: (model: Transformer) => tf.Scalar; paddedTokens: number; dispose: () => void };
}

/** The default objective: mean next-token cross-entropy over completion tokens ({@link completionLoss}). */
export const languageModelObjective: TrainObjective = {
  prepare(examples) {
    const batch = makeBatch(examples);
    return {
      loss: (model) => completionLoss(model.forward(batch.inputs), batch),
      paddedTokens: batch.paddedTokens,
      dispose: () => tf.dispose([batch.inputs, batch.targets, batch.weights]),
    };
  },
};

export interface TrainState {
  /** Optimizer steps taken so far (the next step's index). */
  step: number;
  adam: AdamState;
}

/** A progress report (see {@link formatProgress}). */
export interface TrainProgress {
  step: number;
  totalSteps: number;
  /** Mean loss over the steps since the last report (the objective's: nats/token for the default completion loss). */
  loss: number;
  lr: number;
  /** Global gradient norm of the last step, before clipping. */
  gradNorm: number;
  /** Padded tokens per second over the steps since the last report. */
  tokensPerSecond: number;
  /** Wall time of this call so far. */
  elapsedMs: number;
}

export interface TrainOptions {
  /** Random source of the data order; epoch e uses `rng.fork("epoch-e")`, so a resumed run sees the same batches. */
  rng: Rng;
  /** Length of the learning-rate schedule (the cosine reaches its floor here). */
  totalSteps: number;
  /** Stop once this many steps are done in total (default `totalSteps`). */
  untilStep?: number;
  /** Stop after this much wall time in this call (checked after each step; default none). */
  maxWallMs?: number;
  /** Sequences per batch (default 32). */
  batchSize?: number;
  /** Peak learning rate (default 3e-3). */
  lr?: number;
  /** Linear warm-up steps (default min(100, totalSteps/10)). */
  warmupSteps?: number;
  /** Learning-rate floor as a fraction of the peak (default 0.1). */
  minLrRatio?: number;
  /** Clip the global gradient norm to this (default 1). */
  clipNorm?: number;
  adam?: AdamOptions;
  /** Resume from this state (with the model's weights restored from the same checkpoint). */
  resume?: TrainState;
  /** Report every this many steps (default 10), and after the last step. */
  progressEvery?: number;
  onProgress?: (progress: TrainProgress) => void;
  /** Call `onCheckpoint` every this many steps (default: never), and after the last step. */
  checkpointEvery?: number;
  onCheckpoint?: (state: TrainState) => void;
  /** What to minimise (default {@link languageModelObjective}); the examples must be the objective's kind. */
  objective?: TrainObjective<never>;
}

export interface TrainResult {
  /** Steps done in total (resumed steps included). */
  step: number;
  /** Loss of each step run by this call (float32 values). */
  losses: number[];
  /** Padded tokens per second of each step run by this call. */
  tokensPerSecond: number[];
  /** Median of `tokensPerSecond`. */
  medianTokensPerSecond: number;
  stoppedBy: "steps" | "time";
  /** Final state, for a later resume. */
  state: TrainState;
}

/**
 * Train a model on next-token prediction of completions only (prompt tokens
 * and padding are not scored), with Adam, a warm-up + cosine schedule and
 * global-norm gradient clipping. Deterministic: the same model init, data,
 * options and backend give byte-identical losses, and a run resumed from a
 * checkpoint continues with the same batches and optimizer state.
 *
 * @param data - training sequences (unpadded), at least `batchSize`
 * @throws InvalidArgumentError on invalid options or too little data
 */
export function train<E extends TrainExample>(model: Transformer, data: readonly E[], options: TrainOptions): TrainResult {
  const objective = (options.objective ?? languageModelObjective) as unknown as TrainObjective<E>;
  const o = resolveOptions(options);
  const lengths = data.map((e) => e.tokens.length);
  const longest = lengths.reduce((a, b) => Math.max(a, b), 0);
  requireArg("train", longest <= model.config.maxLen + 1, `examples of at most maxLen + 1 (${model.config.maxLen + 1}) tokens`, longest);
  const perEpoch = batchesPerEpoch(data.length, o.batchSize);
  requireArg("train", perEpoch >= 1, `at least batchSize (${o.batchSize}) examples`, data.length);
  const adam = new Adam(model.params, options.adam);
  if (options.resume) adam.setState(options.resume.adam);
  let step = options.resume?.step ?? 0;
  let plan: { epoch: number; batches: number[][] } | undefined;
  const losses: number[] = [];
  const rates: number[] = [];
  const t0 = performance.now();
  let window = { loss: 0, steps: 0, tokens: 0, ms: 0 };
  let stoppedBy: TrainResult["stoppedBy"] = "steps";

  while (step < o.untilStep) {
    const epoch = Math.floor(step / perEpoch);
    if (plan?.epoch !== epoch) plan = { epoch, batches: batchPlan(lengths, o.batchSize, options.rng.fork(`epoch-${epoch}`)) };
    const ids = plan.batches[step % perEpoch] as number[];
    const tStep = performance.now();
    const lr = cosineSchedule(step, { peak: o.lr, warmupSteps: o.warmupSteps, totalSteps: options.totalSteps, minRatio: o.minLrRatio });
    const { loss, gradNorm, paddedTokens } = trainStep(model, adam, objective, ids.map((i) => data[i] as E), lr, o.clipNorm);
    step++;
    const ms = performance.now() - tStep;
    losses.push(loss);
    rates.push((paddedTokens * 1000) / ms);
    window = { loss: window.loss + loss, steps: window.steps + 1, tokens: window.tokens + paddedTokens, ms: window.ms + ms };
    const timeUp = o.maxWallMs !== undefined && performance.now() - t0 >= o.maxWallMs;
    const last = step >= o.untilStep || timeUp;
    if (options.onProgress && (step % o.progressEvery === 0 || last)) {
      const elapsedMs = performance.now() - t0;
      options.onProgress({ step, totalSteps: options.totalSteps, loss: window.loss / window.steps, lr, gradNorm, tokensPerSecond: (window.tokens * 1000) / window.ms, elapsedMs });
      window = { loss: 0, steps: 0, tokens: 0, ms: 0 };
    }
    if (options.onCheckpoint && ((o.checkpointEvery > 0 && step % o.checkpointEvery === 0) || last)) options.onCheckpoint({ step, adam: adam.getState() });
    if (timeUp) {
      stoppedBy = "time";
      break;
    }
  }
  const state = { step, adam: adam.getState() };
  adam.dispose();
  return { step, losses, tokensPerSecond: rates, medianTokensPerSecond: median(rates), stoppedBy, state };
}

/** One optimizer step on one batch; returns the loss (before the update) and the gradient norm. */
function trainStep<E extends TrainExample>(model: Transformer, adam: Adam, objective: TrainObjective<E>, examples: E[], lr: number, clipNorm: number) {
  const batch = objective.prepare(examples);
  const { value, grads } = tf.variableGrads(() => batch.loss(model), model.params as tf.Variable[]);
  const list = model.params.map((p) => grads[p.name] as tf.Tensor);
  const normT = tf.tidy(() => tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.mul(g, g))))));
  const [loss, gradNorm] = [value.dataSync()[0] as number, normT.dataSync()[0] as number];
  const scale = gradNorm > clipNorm ? clipNorm / gradNorm : 1;
  const clipped = scale < 1 ? tf.tidy(() => list.map((g) => tf.mul(g, scale))) : list;
  adam.apply(clipped, lr);
  batch.dispose();
  tf.dispose([value, normT, ...list]);
  if (clipped !== list) tf.dispose(clipped);
  return { loss, gradNorm, paddedTokens: batch.paddedTokens };
}

function resolveOptions(options: TrainOptions) {
  const { totalSteps } = options;
  requireArg("train", Number.isSafeInteger(totalSteps) && totalSteps >= 1, "a positive integer totalSteps", totalSteps);
  const o = {
    untilStep: options.untilStep ?? totalSteps,
    maxWallMs: options.maxWallMs,
    batchSize: options.batchSize ?? 32,
    lr: options.lr ?? 3e-3,
    warmupSteps: options.warmupSteps ?? Math.min(100, Math.floor(totalSteps / 10)),
    minLrRatio: options.minLrRatio ?? 0.1,
    clipNorm: options.clipNorm ?? 1,
    progressEvery: options.progressEvery ?? 10,
    checkpointEvery: options.checkpointEvery ?? 0,
  };
  requireArg("train", Number.isSafeInteger(o.untilStep) && o.untilStep >= 0, "a non-negative integer untilStep", o.untilStep);
  requireArg("train", o.maxWallMs === undefined || o.maxWallMs > 0, "a positive maxWallMs", o.maxWallMs);
  requireArg("train", o.clipNorm > 0 && o.progressEvery >= 1 && o.checkpointEvery >= 0, "clipNorm > 0, progressEvery ≥ 1, checkpointEvery ≥ 0", options);
  return o;
}

/**
 * One progress line, e.g. `step 120/2000  loss 1.2345  lr 2.95e-3  |g| 0.84  6,512 tok/s  12.3 s`.
 */
export function formatProgress(p: TrainProgress): string {
  return `step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}  lr ${p.lr.toExponential(2)}  |g| ${p.gradNorm.toFixed(2)}  ${Math.round(p.tokensPerSecond).toLocaleString("en-US")} tok/s  ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
