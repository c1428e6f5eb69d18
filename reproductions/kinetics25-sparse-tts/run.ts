/**
 * Reproduction of Sadhukhan et al. (2025), "Kinetics: Rethinking Test-Time
 * Scaling Laws" — the analytic part and a kernel check. For the real Qwen3
 * shapes (0.6B … 32B): Kinetics' cost of long chains of thought and best-of-N
 * split into parameter FLOPs, attention FLOPs and E × KV bytes (eFLOPs), the
 * FLOPs-matched comparison of small and large models, and dense against block
 * top-k eFLOPs. Then one decode step of our `blockSparseDecode` on a
 * read-counting KV cache: does it read the fraction of KV the cost model
 * charges? Then the tiny-model part: our trained tiny policies (35k, 60k,
 * 200k parameters) sample held-out chain problems with dense and block top-k
 * attention, and accuracy (majority@k, coverage) is set against Kinetics
 * eFLOPs for the tiny shapes: the dense and sparse Pareto frontiers.
 *
 * `run` reads the policy checkpoints (`config.tiny.modelsDir`) and writes
 * nothing; every random number comes from `config.seed`.
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
import { paretoFigure, type ParetoGroup } from "../../lib/plot/pareto-figure.ts";
import { paretoPoints, runTiny, type TinyResults } from "./tiny-run.ts";

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
  /** Tiny policies, dense vs block top-k: accuracy and eFLOPs per configuration, and the frontiers compared. */
  tiny: TinyResults;
  seed: number;
}

/**
 * Run the analytic sweeps (closed forms, no randomness), the kernel read
 * check (random caches and queries from `config.seed`) and the tiny-model
 * Pareto (problems and samples from `config.seed`).
 *
 * @throws DataError when a policy checkpoint is missing or corrupt
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
    progress?.(`kernel T=${p.cacheLength} ρ=${p.density} ${p.selectPer}: read ${(100 * p.measuredFraction).toFixed(1)}% of KV`, 0.05 + (0.15 * done) / total);
  });
  const tiny = runTiny(config.tiny, config.e, rng(config.seed).fork("tiny"), (m, f) => progress?.(m, 0.2 + 0.8 * f));
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
    tiny,
    seed: config.seed,
  };
}

/**
 * Two panels. Left: Kinetics' cost of one chain of thought against its length
 * (log–log), one colour per Qwen3 size: dense eFLOPs (solid), the FLOPs-only
 * view of the same workload (dotted), and block top-k eFLOPs (dashed). Right:
 * the tiny policies' majority@k against eFLOPs per problem (log x), every
 * policy × k as a point, one group and frontier per attention density.
 */
export function figure(results: KineticsResults): Figure {
  const left = costPanel(results);
  const right = tinyPanel(results.tiny);
  const axes = (t: Record<string, unknown>, x: string, y: string) => ({ ...t, xaxis: x, yaxis: y });
  return {
    data: [...left.data.map((t) => axes(t, "x", "y")), ...right.data.map((t) => ({ ...axes(t, "x2", "y2"), legend: "legend2" }))],
    layout: {
      ...left.layout,
      title: { text: "Kinetics: cost vs length, Qwen3 shapes (left); tiny policies, accuracy vs eFLOPs (right)", x: 0.01, xanchor: "left", font: { size: 16 } },
      legend: { ...(left.layout["legend"] as Record<string, unknown>), font: { size: 10 }, tracegroupgap: 2 },
      // The tiny panel's groups in their own legend, in its empty lower-right middle.
      legend2: { x: 1, xanchor: "right", y: 0.45, yanchor: "middle", bgcolor: "rgba(255,255,255,0.8)", font: { size: 11 } },
      xaxis: { ...(left.layout["xaxis"] as Record<string, unknown>), domain: [0, 0.42] },
      yaxis: { ...(left.layout["yaxis"] as Record<string, unknown>), anchor: "x" },
      xaxis2: { ...(right.layout["xaxis"] as Record<string, unknown>), domain: [0.58, 1], anchor: "y2" },
      yaxis2: { ...(right.layout["yaxis"] as Record<string, unknown>), anchor: "x2" },
    },
  };
}

function costPanel(results: KineticsResults): Figure {
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
    title: `Cost vs length (prompt ${results.promptTokens}, E = ${results.e}; block top-k: ${s.topK} blocks of ${s.blockSize})`,
    xTitle: "generated tokens L_out",
    yTitle: "cost (FLOPs or eFLOPs)",
    logX: true,
    logY: true,
    series,
  });
}

function tinyPanel(tiny: TinyResults): Figure {
  const c = tiny.config;
  const points = paretoPoints(tiny.configs, "majority", c.levels, "kinetics", c.ks);
  const groups: ParetoGroup[] = c.densities.map((density, i) => ({
    name: density === 1 ? "tiny, dense" : `tiny, block top-k ρ = ${density}`,
    color: paletteColor(density === 1 ? 6 : i),
    points: points.filter((p) => p.density === density).map((p) => ({ x: p.cost, y: p.accuracy, label: `${p.policy}, k = ${p.k}` })),
  }));
  const levels = c.levels.length > 1 ? `levels ${c.levels[0]}–${c.levels.at(-1)}` : `level ${c.levels[0]}`;
  return paretoFigure({ groups, xTitle: `eFLOPs per problem (E = ${tiny.e}, bf16)`, yTitle: `majority@k, ${levels}`, logX: true });
}
