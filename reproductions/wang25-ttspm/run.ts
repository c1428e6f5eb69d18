/**
 * Reproduction of Wang et al. (2025), "Scaling over Scaling: Exploring Test-Time Scaling Plateau in
 * Large Reasoning Models" (TTSPM): accuracy against budget for parallel scaling (N samples) and
 * sequential scaling (N rounds of rethinking), the closed forms against simulation, and the budget
 * past which one more unit gains less than ε.
 */
import { rng } from "../../lib/core/rng.ts";
import { bestOfNCurve } from "../../lib/estimators/best-of-n-at-k.ts";
import { coverageCurve } from "../../lib/estimators/coverage-curve.ts";
import { majorityCurve } from "../../lib/estimators/majority-at-k.ts";
import type { Figure } from "../../lib/plot/figure.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import type { Progress } from "../../lib/repro/types.ts";
import { simulateWorld } from "../../lib/sim/world.ts";
import { homogeneousSaturation, parallelHit, saturationBudget, sequentialAccuracy } from "./closed-form.ts";
import type { TtspmConfig } from "./config.ts";
import { fitSaturation, type SaturationFit } from "./fit-saturation.ts";
import { simulateSequential } from "./sequential.ts";

/** Count vectors majority voting may enumerate exactly per (problem, k); Monte Carlo beyond (keeps `full` within minutes). */
const MAJORITY_EXACT_LIMIT = 2000;

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { TtspmConfig } from "./config.ts";

/** Average slope of the simulated curve over budgets [from, to]. */
export interface Slope {
  from: number;
  to: number;
  slope: number;
}

/** One paradigm: simulated and closed-form accuracy at N = 1…maxBudget (index N − 1), and its saturation. */
export interface ParadigmCurve {
  name: string;
  simulated: number[];
  closedForm: number[];
  /** Saturation budget of the closed form (first N with F(N+1) − F(N) < ε); `null` if beyond maxBudget. */
  predicted: number | null;
  /** The homogeneous formula ⌈ln(ε/x)/ln(1 − x)⌉ with x the mean per-step rate over problems. */
  homogeneous: number;
  /** Simulated slopes on [N*, 2N*], [2N*, 4N*], … up to maxBudget. */
  after: Slope[];
  /** Simulated slope on [⌈N* ÷ 2⌉, N*]. */
  before: Slope | null;
  /** The saturating family fitted to the simulated curve on the log grid `fitBudgets`. */
  fit: SaturationFit | { error: string };
}

export interface TtspmResults {
  problems: number;
  epsilon: number;
  maxBudget: number;
  /** Mean single-sample success probability over problems (latent). */
  meanP: number;
  parallel: ParadigmCurve;
  sequential: ParadigmCurve;
  /** Parallel scaling with selection, on `fitBudgets`: majority voting and reward-model best-of-N. */
  fitBudgets: number[];
  majority: number[];
  bestOfN: number[];
  majorityFit: SaturationFit | { error: string };
}

const slope = (curve: readonly number[], from: number, to: number): Slope => ({ from, to, slope: ((curve[to - 1] as number) - (curve[from - 1] as number)) / (to - from) });

function paradigm(name: string, simulated: number[], closedForm: number[], meanRate: number, epsilon: number, fitBudgets: number[]): ParadigmCurve {
  const maxN = simulated.length;
  const predicted = saturationBudget(closedForm, epsilon);
  const after: Slope[] = [];
  let before: Slope | null = null;
  if (predicted !== null) {
    for (let n = predicted; n < maxN; n *= 2) after.push(slope(simulated, n, Math.min(2 * n, maxN)));
    if (predicted > 1) before = slope(simulated, Math.ceil(predicted / 2), predicted);
  }
  const fit = fitSaturation(fitBudgets, fitBudgets.map((n) => simulated[n - 1] as number));
  return { name, simulated, closedForm, predicted, homogeneous: homogeneousSaturation(meanRate, epsilon), after, before, fit };
}

/** Simulate both paradigms on the same problems and compare them with their closed forms. */
export function run(config: TtspmConfig, progress?: Progress): TtspmResults {
  const root = rng(config.seed);
  const maxN = config.maxBudget;
  const world = simulateWorld({ ...config.world, samplesPerProblem: maxN }, root.fork("world"));
  const P = world.length;
  const ps = world.map((p) => p.p);
  const meanP = ps.reduce((a, b) => a + b, 0) / P;
  const all = Array.from({ length: maxN }, (_, i) => i + 1);
  const fitBudgets = [...new Set(Array.from({ length: Math.floor(4 * Math.log2(maxN)) + 1 }, (_, j) => Math.round(Math.pow(2, j / 4))))];

  const counts = world.map((p) => ({ n: maxN, c: p.correct.reduce((a, b) => a + b, 0) }));
  const hit = Array.from(coverageCurve(counts, all));
  const majority = new Array<number>(fitBudgets.length).fill(0);
  const bestOfN = new Array<number>(fitBudgets.length).fill(0);
  world.forEach((p, pi) => {
    majorityCurve(p.answers, p.correct, fitBudgets, { rng: root.fork(`majority-${pi}`), samples: config.majorityDraws, exactLimit: MAJORITY_EXACT_LIMIT }).forEach((m, i) => (majority[i]! += m.value / P));
    bestOfNCurve(p.scores, p.correct, fitBudgets).forEach((v, i) => (bestOfN[i]! += v / P));
    if (pi % 100 === 99) progress?.(`parallel: problem ${pi + 1}/${P}`, (0.8 * (pi + 1)) / P);
  });
  const { chains, rethink, breakRate } = config.sequential;
  const seq = simulateSequential(ps, chains, rethink, breakRate, maxN, root.fork("sequential"));
  progress?.("sequential done", 1);

  return {
    problems: P,
    epsilon: config.epsilon,
    maxBudget: maxN,
    meanP,
    parallel: paradigm("parallel (Hit@N)", hit, parallelHit(ps, maxN), meanP, config.epsilon, fitBudgets),
    sequential: paradigm("sequential (rethinking)", seq, sequentialAccuracy(ps, rethink, breakRate, maxN), rethink * meanP, config.epsilon, fitBudgets),
    fitBudgets,
    majority,
    bestOfN,
    majorityFit: fitSaturation(fitBudgets, majority),
  };
}

/** Accuracy vs budget (log x): both paradigms simulated (solid) and closed form (dashed), selection methods (dotted), saturation points. */
export function figure(r: TtspmResults): Figure {
  const all = Array.from({ length: r.maxBudget }, (_, i) => i + 1);
  const series: LineSeries[] = [];
  for (const c of [r.parallel, r.sequential]) {
    series.push({ name: `${c.name}, simulated`, x: all, y: c.simulated });
    series.push({ name: `${c.name}, closed form`, x: all, y: c.closedForm, dash: "dash" });
  }
  series.push({ name: "parallel, majority vote", x: r.fitBudgets, y: r.majority, dash: "dot", mode: "lines+markers" });
  series.push({ name: "parallel, reward-model best-of-N", x: r.fitBudgets, y: r.bestOfN, dash: "dot", mode: "lines+markers" });
  const vlines = [r.parallel, r.sequential].flatMap((c) => (c.predicted === null ? [] : [{ x: c.predicted, label: `${c.name.split(" ")[0]} N* = ${c.predicted}` }]));
  return lineFigure({
    title: `Test-time scaling plateaus (${r.problems} simulated problems, ε = ${r.epsilon} per unit budget)`,
    xTitle: "budget N (samples or rethinking rounds)",
    yTitle: "accuracy",
    logX: true,
    series,
    vlines,
  });
}
