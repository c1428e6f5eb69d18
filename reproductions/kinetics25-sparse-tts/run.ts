/**
 * Reproduction of Sadhukhan et al. (2025), "Kinetics: Rethinking Test-Time
 * Scaling Laws" — the analytic part and a kernel check. For the real Qwen3
 * shapes (0.6B … 32B): Kinetics' cost of long chains of thought and best-of-N
 * split into parameter FLOPs, attention FLOPs and E × KV bytes (eFLOPs), the
 * FLOPs-matched comparison of small and large models, and dense against block
 * top-k eFLOPs. Then one decode step of our `blockSparseDecode` on a
 * read-counting KV cache: does it read the fraction of KV the cost model
 * charges? The accuracy-vs-eFLOPs Pareto needs a policy model (issue 9) and is
 * not part of this run.
 */
import * as tf from "@tensorflow/tfjs";
import { rng } from "../../lib/core/rng.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import type { Figure } from "../../lib/plot/figure.ts";
import { paletteColor } from "../../lib/plot/palette.ts";
import type { Progress } from "../../lib/repro/types.ts";
import type { KineticsConfig, KernelCheckConfig, SparseSetting } from "./config.ts";
import { costPoint, flopsMatched, type CostPoint, type FlopsMatched } from "./cost-breakdown.ts";
import { kernelReadCheck, type KernelReadPoint } from "./kernel-check.ts";

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { KineticsConfig } from "./config.ts";

export interface KineticsResults {
  models: string[];
  promptTokens: number;
  e: number;
  sparse: SparseSetting;
  /** One trial, every model × generation length (long chain of thought). */
  byLength: CostPoint[];
  /** `trialsGenerationTokens` per trial, every model × trial count (best-of-N, prompt shared). */
  byTrials: CostPoint[];
  trialsGenerationTokens: number;
  /** Best-of-N FLOPs-matched against the largest model's one trial, at `trialsGenerationTokens`. */
  flopsMatched: FlopsMatched[];
  /** The kernel check's configuration and one point per (cache length, density, selection mode). */
  kernel: KernelCheckConfig & { backend: string; points: KernelReadPoint[] };
  seed: number;
}

/**
 * Run the analytic sweeps (closed forms, no randomness) and the kernel read
 * check (random caches and queries from `config.seed`).
 */
export function run(config: KineticsConfig, progress?: Progress): KineticsResults {
  const x = { promptTokens: config.promptTokens, e: config.e, sparse: config.sparse };
  const byLength = config.models.flatMap((m) => config.generationTokens.map((l) => costPoint(m, l, 1, x)));
  const byTrials = config.models.flatMap((m) => config.trials.map((n) => costPoint(m, config.trialsGenerationTokens, n, x)));
  const reference = config.models[config.models.length - 1] as string;
  const matched = flopsMatched(config.models, reference, config.trialsGenerationTokens, x);
  progress?.(`analytic: ${byLength.length + byTrials.length} workloads priced`, 0.05);
  const total = config.kernel.cacheLengths.length * config.kernel.densities.length * 2;
  let done = 0;
  const points = kernelReadCheck(config.kernel, rng(config.seed).fork("kernel"), (p) => {
    done++;
    progress?.(`kernel T=${p.cacheLength} ρ=${p.density} ${p.selectPer}: read ${(100 * p.measuredFraction).toFixed(1)}% of KV`, 0.05 + (0.95 * done) / total);
  });
  return {
    models: config.models,
    promptTokens: config.promptTokens,
    e: config.e,
    sparse: config.sparse,
    byLength,
    byTrials,
    trialsGenerationTokens: config.trialsGenerationTokens,
    flopsMatched: matched,
    kernel: { ...config.kernel, backend: tf.getBackend(), points },
    seed: config.seed,
  };
}

/**
 * Kinetics' cost of one chain of thought against its length (log–log), one
 * colour per Qwen3 size: dense eFLOPs (solid), the FLOPs-only view of the same
 * workload (dotted), and block top-k eFLOPs (dashed).
 */
export function figure(results: KineticsResults): Figure {
  const series: LineSeries[] = [];
  results.models.forEach((model, i) => {
    const pts = results.byLength.filter((p) => p.model === model);
    const x = pts.map((p) => p.lOut);
    const color = paletteColor(i);
    series.push({ name: `${model} dense, eFLOPs`, x, y: pts.map((p) => p.eflops), color, mode: "lines+markers" });
    series.push({ name: `${model} dense, FLOPs only`, x, y: pts.map((p) => p.flops), color, dash: "dot" });
    series.push({ name: `${model} block top-k, eFLOPs`, x, y: pts.map((p) => p.sparse.eflops), color, dash: "dash" });
  });
  const s = results.sparse;
  return lineFigure({
    title: `Cost of one chain of thought vs length (prompt ${results.promptTokens}, E = ${results.e}; block top-k: ${s.topK} blocks of ${s.blockSize})`,
    xTitle: "generated tokens L_out",
    yTitle: "cost (FLOPs or eFLOPs)",
    logX: true,
    logY: true,
    series,
  });
}
