/**
 * Reproduction of Brown et al. (2024), "Large Language Monkeys": coverage
 * (pass@k averaged over problems) against the number of samples k for several
 * simulated model strengths, with exponentiated-power-law fits, and how
 * majority voting and a reward model (best-of-N) fall behind coverage.
 */
import { rng } from "../../lib/core/rng.ts";
import { bestOfNCurve } from "../../lib/estimators/best-of-n-at-k.ts";
import { coverageCurve } from "../../lib/estimators/coverage-curve.ts";
import { majorityCurve } from "../../lib/estimators/majority-at-k.ts";
import type { Figure } from "../../lib/plot/figure.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import { paletteColor } from "../../lib/plot/palette.ts";
import type { Progress } from "../../lib/repro/types.ts";
import { simulateWorld } from "../../lib/sim/world.ts";
import type { MonkeysConfig } from "./config.ts";
import { expPowerLaw, fitExpPowerLaw, type ExpPowerLawFit } from "./exp-power-law.ts";

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { MonkeysConfig } from "./config.ts";

export interface ModelCurves {
  name: string;
  ks: number[];
  /** Mean pass@k over problems (exact). */
  coverage: number[];
  /** Mean majority@k over problems, and its standard error (Monte Carlo where enumeration is too large). */
  majority: number[];
  majorityStderr: number[];
  /** Mean best-of-N@k by the simulated reward model (exact). */
  rewardModel: number[];
  /** c(k) ≈ exp(a·k^b), fitted as a line in log(−log c) vs log k. */
  fit: ExpPowerLawFit;
}

export interface MonkeysResults {
  models: ModelCurves[];
  problems: number;
  samplesPerProblem: number;
}

/** Simulate each model's samples and compute every curve. */
export function run(config: MonkeysConfig, progress?: Progress): MonkeysResults {
  const root = rng(config.seed);
  const models = config.models.map((model, mi) => {
    const world = simulateWorld(
      { ...config.world, problems: config.problems, samplesPerProblem: config.samplesPerProblem, difficulty: { alpha: model.alpha, beta: model.beta } },
      root.fork(`world-${mi}`),
    );
    const ks = config.ks;
    const coverage = Array.from(coverageCurve(world.map((p) => ({ n: p.correct.length, c: p.correct.reduce((a, b) => a + b, 0) })), ks));
    const majority = new Array<number>(ks.length).fill(0);
    const variance = new Array<number>(ks.length).fill(0);
    const rewardModel = new Array<number>(ks.length).fill(0);
    const mrng = root.fork(`majority-${mi}`);
    world.forEach((p, pi) => {
      const maj = majorityCurve(p.answers, p.correct, ks, { rng: mrng.fork(`problem-${pi}`), samples: config.majorityDraws });
      const bon = bestOfNCurve(p.scores, p.correct, ks);
      ks.forEach((_, i) => {
        majority[i]! += (maj[i]!.value) / world.length;
        variance[i]! += (maj[i]!.stderr / world.length) ** 2;
        rewardModel[i]! += (bon[i] as number) / world.length;
      });
      if (pi % 25 === 24) progress?.(`${model.name}: problem ${pi + 1}/${world.length}`, (mi + (pi + 1) / world.length) / config.models.length);
    });
    return {
      name: model.name,
      ks: [...ks],
      coverage,
      majority,
      majorityStderr: variance.map(Math.sqrt),
      rewardModel,
      fit: fitExpPowerLaw(ks, coverage),
    };
  });
  return { models, problems: config.problems, samplesPerProblem: config.samplesPerProblem };
}

/** Coverage vs k (log x) per model with its fit; majority and reward-model selection for the strongest model. */
export function figure(results: MonkeysResults): Figure {
  const series: LineSeries[] = [];
  results.models.forEach((m, i) => {
    // A model's fit shares its coverage line's colour.
    const color = paletteColor(i);
    series.push({ name: `coverage — ${m.name}`, x: m.ks, y: m.coverage, mode: "lines+markers", color });
    series.push({ name: `exp power-law fit (a=${m.fit.a.toFixed(2)}, b=${m.fit.b.toFixed(3)})`, x: m.ks, y: m.ks.map((k) => expPowerLaw(m.fit, k)), dash: "dash", color });
  });
  const strong = results.models[results.models.length - 1];
  if (strong) {
    series.push({ name: `majority vote — ${strong.name}`, x: strong.ks, y: strong.majority, dash: "dot", band: { lo: strong.majority.map((v, i) => v - 2 * strong.majorityStderr[i]!), hi: strong.majority.map((v, i) => v + 2 * strong.majorityStderr[i]!) } });
    series.push({ name: `reward model best-of-k — ${strong.name}`, x: strong.ks, y: strong.rewardModel, dash: "dot" });
  }
  return lineFigure({
    title: `Coverage vs samples (${results.problems} simulated problems × ${results.samplesPerProblem} samples)`,
    xTitle: "samples per problem k",
    yTitle: "fraction of problems solved",
    logX: true,
    series,
  });
}
