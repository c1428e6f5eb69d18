import type { Rng } from "../../lib/core/rng.ts";
import type { AttentionSpan } from "../../lib/cost/attention-span.ts";
import { spanCounts } from "../../lib/cost/attention-span.ts";
import { kineticsEflops, totalFlops } from "../../lib/cost/cost.ts";
import type { ModelShape } from "../../lib/cost/model-shape.ts";
import { bestOfNCost } from "../../lib/cost/test-time-cost.ts";
import { majorityCurve } from "../../lib/estimators/majority-at-k.ts";
import { passAtK } from "../../lib/estimators/pass-at-k.ts";
import type { ProblemSamples } from "./tiny-samples.ts";

/** Accuracy and cost of one (policy, attention) configuration on the problems of one level, at every trial count k. */
export interface TinyLevelPoint {
  level: number;
  problems: number;
  /** Mean generated tokens per sample (EOS included). */
  meanTokens: number;
  /** Mean exact-trace correctness of one sample. */
  exactPass1: number;
  /** Majority@k by final answer, mean over problems, one per k. */
  majority: number[];
  /** Coverage pass@k by final answer (an oracle picks any right answer among k), one per k. */
  coverage: number[];
  /** Kinetics eFLOPs of k trials per problem (bf16, E = config.e), mean over problems, one per k. */
  eflops: number[];
  /** The same at this machine's E (fp32). */
  eflopsCpu: number[];
  /** Kinetics eFLOPs with every trial reading its own copy of the prompt's KV (no prefix sharing), one per k. */
  eflopsUnshared: number[];
  /** Compute FLOPs alone, one per k. */
  flops: number[];
}

/** What every problem of a configuration was priced with. */
export interface PricingInputs {
  shape: ModelShape;
  span: AttentionSpan;
  ks: readonly number[];
  /** Kinetics' E, FLOPs per byte (bf16 elements). */
  e: number;
  /** This machine's FLOPs per byte (fp32 elements). */
  eCpu: number;
}

/**
 * Estimate majority@k and coverage from each problem's N samples (exact
 * estimators over k-subsets: no re-sampling per k) and price k trials of
 * each problem with `bestOfNCost` (no prefill, L_out its mean generated
 * length; the prompt's KV shared by the trials, as Kinetics prices dense
 * best-of-N, and also unshared) and `kineticsEflops`.
 *
 * @param rng - only for majority@k's Monte Carlo fallback (unused at these sizes: the exact path runs)
 */
export function levelPoint(level: number, samples: readonly ProblemSamples[], x: PricingInputs, rng: Rng): TinyLevelPoint {
  const n = samples.length;
  const sum = (f: (s: ProblemSamples) => number) => samples.reduce((a, s) => a + f(s), 0);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const majority = x.ks.map(() => 0);
  const coverage = x.ks.map(() => 0);
  const [eflops, eflopsCpu, eflopsUnshared, flops] = [x.ks.map(() => 0), x.ks.map(() => 0), x.ks.map(() => 0), x.ks.map(() => 0)];
  samples.forEach((s, i) => {
    const curve = majorityCurve(s.answers, s.answerCorrect, x.ks, { rng: rng.fork(`majority/p${i}`) });
    const c = s.answerCorrect.filter((ok) => ok).length;
    const lOut = Math.max(1, Math.round(mean(s.tokens)));
    x.ks.forEach((k, j) => {
      majority[j]! += (curve[j]?.value as number) / n;
      coverage[j]! += passAtK(s.answers.length, c, k) / n;
      const work = { promptTokens: s.promptTokens, generationTokens: lOut, trials: k, span: x.span, includePrefill: false };
      const bf16 = bestOfNCost(x.shape, { ...work, bytesPerElement: 2 });
      eflops[j]! += kineticsEflops(bf16, x.e) / n;
      flops[j]! += totalFlops(bf16) / n;
      eflopsCpu[j]! += kineticsEflops(bestOfNCost(x.shape, { ...work, bytesPerElement: 4 }), x.eCpu) / n;
      eflopsUnshared[j]! += kineticsEflops(bestOfNCost(x.shape, { ...work, sharePrefix: false, bytesPerElement: 2 }), x.e) / n;
    });
  });
  return {
    level,
    problems: n,
    meanTokens: sum((s) => mean(s.tokens)) / n,
    exactPass1: sum((s) => mean(s.exact.map(Number))) / n,
    majority,
    coverage,
    eflops,
    eflopsCpu,
    eflopsUnshared,
    flops,
  };
}

/**
 * Keys attended per (layer, query head) over every decode step of every
 * sample, as `spanCounts` counts them for each sample's actual length: a step
 * feeds generated token i (1 … tokens − 1) with prompt + i keys cached.
 */
export function modelDecodeKeys(samples: readonly ProblemSamples[], span: AttentionSpan): number {
  let keys = 0;
  for (const s of samples) for (const t of s.tokens) for (let i = 1; i < t; i++) keys += spanCounts(span, s.promptTokens + i).attended;
  return keys;
}

/** Which eFLOPs a Pareto point is priced with (see {@link FrontierComparison.pricing}). */
export type TinyPricing = "kinetics" | "unshared" | "cpu";

/** One point of a Pareto plot: a configuration at one k. */
export interface TinyParetoPoint {
  policy: string;
  density: number;
  k: number;
  /** Mean eFLOPs per problem. */
  cost: number;
  /** Mean accuracy. */
  accuracy: number;
}

/** Dense vs sparse frontiers compared at every budget where both have a point at or below it. */
export interface FrontierComparison {
  metric: "majority" | "coverage";
  /** Levels pooled (equal weight per problem). */
  levels: number[];
  /** How the points were priced: Kinetics' E with the prompt's KV shared by the k trials (`"kinetics"`), the same without sharing (`"unshared"`), or this machine's E (`"cpu"`). */
  pricing: TinyPricing;
  /** Budgets compared: every point's cost from the cheaper frontier's start on, ascending. */
  budgets: number[];
  /** Best dense accuracy at cost ≤ budget. */
  dense: number[];
  /** Best sparse (density < 1) accuracy at cost ≤ budget. */
  sparse: number[];
  /** min and max of sparse − dense over the budgets, and where. */
  minGap: number;
  minGapAt: number;
  maxGap: number;
  maxGapAt: number;
  /** Best accuracy of each frontier at any cost. */
  denseBest: number;
  sparseBest: number;
}

/** The best accuracy among `points` with cost ≤ `budget` (−Infinity when none). */
export function frontierAt(points: readonly TinyParetoPoint[], budget: number): number {
  let best = -Infinity;
  for (const p of points) if (p.cost <= budget && p.accuracy > best) best = p.accuracy;
  return best;
}

/**
 * Compare the dense frontier (density 1) with the sparse one (density < 1) at
 * every budget from max(cheapest dense, cheapest sparse) on, taken from the
 * points' own costs (frontiers are step functions, so this grid is exact).
 */
export function compareFrontiers(points: readonly TinyParetoPoint[], meta: Pick<FrontierComparison, "metric" | "levels" | "pricing">): FrontierComparison {
  const dense = points.filter((p) => p.density === 1);
  const sparse = points.filter((p) => p.density < 1);
  const start = Math.max(Math.min(...dense.map((p) => p.cost)), Math.min(...sparse.map((p) => p.cost)));
  const budgets = [...new Set(points.map((p) => p.cost).filter((c) => c >= start))].sort((a, b) => a - b);
  const d = budgets.map((b) => frontierAt(dense, b));
  const s = budgets.map((b) => frontierAt(sparse, b));
  const gaps = budgets.map((_, i) => (s[i] as number) - (d[i] as number));
  const iMin = gaps.indexOf(Math.min(...gaps));
  const iMax = gaps.indexOf(Math.max(...gaps));
  return {
    ...meta,
    budgets,
    dense: d,
    sparse: s,
    minGap: gaps[iMin] as number,
    minGapAt: budgets[iMin] as number,
    maxGap: gaps[iMax] as number,
    maxGapAt: budgets[iMax] as number,
    denseBest: Math.max(...dense.map((p) => p.accuracy)),
    sparseBest: Math.max(...sparse.map((p) => p.accuracy)),
  };
}
