/**
 * Reproduction of Singhi et al. (2025), "When To Solve, When To Verify": at a matched budget
 * S·(1 + λV) (S solutions, each verified V times, λ = verification / solution length), is it better
 * to spend compute on more solutions and majority-vote them (self-consistency, SC) or on fewer
 * solutions judged by a generative verifier (GenRM)? And how do the compute-optimal S and V grow?
 */
import { rng } from "../../lib/core/rng.ts";
import { coverageCurve } from "../../lib/estimators/coverage-curve.ts";
import { majorityCurve } from "../../lib/estimators/majority-at-k.ts";
import type { Figure } from "../../lib/plot/figure.ts";
import type { Progress } from "../../lib/repro/types.ts";
import { simulateWorld } from "../../lib/sim/world.ts";
import { bestAllocations, firstBudgetReaching } from "./allocation.ts";
import type { SolveOrVerifyConfig } from "./config.ts";
import { solveOrVerifyFigure } from "./figure.ts";
import { fitGrowth, type GrowthFit } from "./fits.ts";
import { genRmSurface, verificationAuc } from "./genrm.ts";

/** Count vectors majority voting may enumerate exactly per (problem, k); Monte Carlo beyond (keeps `full` within minutes). */
const MAJORITY_EXACT_LIMIT = 2000;

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { SolveOrVerifyConfig } from "./config.ts";

/** Everything compute-matched for one λ. Budgets are in units of one solution's tokens. */
export interface LambdaView {
  lambda: number;
  budgets: number[];
  /** SC success with S = ⌊C⌋ solutions; `null` beyond the solutions drawn. */
  sc: (number | null)[];
  /** Success of the best affordable GenRM configuration; `null` below C = 1 + λ. */
  genrm: (number | null)[];
  /** That configuration's S and V. */
  solutions: (number | null)[];
  verifications: (number | null)[];
  /** Budgets whose optimum is at most half of both caps (S ≤ maxS/2, V ≤ maxV/2): the points fitted. */
  fitBudgets: number[];
  /** S_opt ≈ A·C^b and V_opt ≈ A·C^b over `fitBudgets`; `null` with fewer than three points. */
  fitS: GrowthFit | null;
  fitV: GrowthFit | null;
  /**
   * Where GenRM first matches SC: the target is SC's best success, reached first at `scBudget`;
   * `genrmBudget` is the first budget at which GenRM reaches it (log-interpolated), `ratio` their quotient.
   */
  match: { target: number; scBudget: number; genrmBudget: number | null; ratio: number | null };
}

export interface SolveOrVerifyResults {
  problems: number;
  maxSolutions: number;
  maxVerifications: number;
  /** Mean pass@1 and coverage pass@maxS over problems. */
  passAt1: number;
  coverage: number;
  /** AUC of a V-verification score (binormal, before the logistic), V = 1, 2, 4, …, maxV. */
  verificationAuc: { v: number[]; auc: number[] };
  /** GenRM success against S for a few fixed V (the figure's thin lines). */
  fixedV: { v: number; s: number[]; success: number[] }[];
  lambdas: LambdaView[];
}

/** Simulate solutions and verifications, then compare SC and GenRM at matched budgets for each λ. */
export function run(config: SolveOrVerifyConfig, progress?: Progress): SolveOrVerifyResults {
  const root = rng(config.seed);
  const maxS = config.maxSolutions;
  const maxV = config.maxVerifications;
  const world = simulateWorld({ ...config.world, samplesPerProblem: maxS }, root.fork("world"));
  const P = world.length;
  const largest = Math.max(...config.lambdas.map((l) => maxS * (1 + l * maxV)));
  const budgets: number[] = [];
  for (let j = 0; Math.pow(2, j / config.stepsPerDoubling) <= largest * (1 + 1e-12); j++) budgets.push(Math.pow(2, j / config.stepsPerDoubling));
  const scSizes = [...new Set(budgets.filter((c) => c <= maxS * (1 + 1e-12)).map((c) => Math.floor(c + 1e-9)))];

  const surface = new Float64Array(maxV * maxS);
  const sc = new Float64Array(scSizes.length);
  world.forEach((p, pi) => {
    const s = genRmSurface(p.answers, p.correct, config.genrm, maxV, root.fork(`genrm-${pi}`));
    for (let i = 0; i < surface.length; i++) surface[i]! += (s[i] as number) / P;
    const maj = majorityCurve(p.answers, p.correct, scSizes, { rng: root.fork(`majority-${pi}`), samples: config.majorityDraws, exactLimit: MAJORITY_EXACT_LIMIT });
    maj.forEach((m, i) => (sc[i]! += m.value / P));
    if (pi % 50 === 49) progress?.(`problem ${pi + 1}/${P}`, (pi + 1) / P);
  });
  const counts = world.map((p) => ({ n: maxS, c: p.correct.reduce((a, b) => a + b, 0) }));
  const [passAt1, coverage] = coverageCurve(counts, [1, maxS]) as unknown as [number, number];

  const scAt = (c: number): number | null => {
    const i = scSizes.indexOf(Math.floor(c + 1e-9));
    return c <= maxS * (1 + 1e-12) && i >= 0 ? (sc[i] as number) : null;
  };
  const lambdas = config.lambdas.map((lambda) => lambdaView(lambda, budgets.filter((c) => c <= maxS * (1 + lambda * maxV) * (1 + 1e-12)), surface, maxS, maxV, scAt));
  const vs = Array.from({ length: Math.floor(Math.log2(maxV)) + 1 }, (_, i) => 2 ** i);
  return {
    problems: P,
    maxSolutions: maxS,
    maxVerifications: maxV,
    passAt1,
    coverage,
    verificationAuc: { v: vs, auc: vs.map((v) => verificationAuc(config.genrm, v)) },
    fixedV: [1, 4, 16].filter((v) => v <= maxV).map((v) => ({
      v,
      s: Array.from({ length: maxS }, (_, i) => i + 1),
      success: Array.from(surface.subarray((v - 1) * maxS, v * maxS)),
    })),
    lambdas,
  };
}

function lambdaView(lambda: number, budgets: number[], surface: Float64Array, maxS: number, maxV: number, scAt: (c: number) => number | null): LambdaView {
  const best = bestAllocations(surface, maxS, maxV, lambda, budgets);
  const sc = budgets.map(scAt);
  const genrm = best.map((b) => b?.success ?? null);
  const fitIdx = budgets.map((_, i) => i).filter((i) => {
    const b = best[i];
    return b !== null && b !== undefined && b.solutions <= maxS / 2 && b.verifications <= maxV / 2;
  });
  const fitBudgets = fitIdx.map((i) => budgets[i] as number);
  const growth = (pick: (i: number) => number) => (fitIdx.length >= 3 ? fitGrowth(fitBudgets, fitIdx.map(pick)) : null);
  let target = -Infinity;
  let scBudget = budgets[0] as number;
  sc.forEach((y, i) => {
    if (y !== null && y > target) {
      target = y;
      scBudget = budgets[i] as number;
    }
  });
  const genrmBudget = firstBudgetReaching(budgets, genrm, target);
  return {
    lambda,
    budgets,
    sc,
    genrm,
    solutions: best.map((b) => b?.solutions ?? null),
    verifications: best.map((b) => b?.verifications ?? null),
    fitBudgets,
    fitS: growth((i) => best[i]!.solutions),
    fitV: growth((i) => best[i]!.verifications),
    match: { target, scBudget, genrmBudget, ratio: genrmBudget === null ? null : genrmBudget / scBudget },
  };
}

/** Success vs budget for SC and compute-optimal GenRM (primary λ), and the optimal S and V with their fits. */
export function figure(results: SolveOrVerifyResults): Figure {
  return solveOrVerifyFigure(results);
}
