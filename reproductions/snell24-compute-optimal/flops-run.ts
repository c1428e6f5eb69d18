import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { estimateDifficulty } from "../../lib/allocation/estimate-difficulty.ts";
import type { Rng } from "../../lib/core/rng.ts";
import { loadCheckpoint } from "../../lib/models/checkpoint.ts";
import type { Verifier } from "../../lib/rewards/verifier.ts";
import { bestOfN } from "../../lib/strategies/best-of-n.ts";
import { batchedTinyPolicy } from "./batched-tiny.ts";
import type { SnellConfig } from "./config.ts";
import { matchedSmallFlops, pretrainingTokens, type PretrainingRecipe } from "./flops-match.ts";
import { checkpointParams, firstExisting } from "./checkpoints.ts";
import { answerOf, bestOfNOutcomes, sampleProblems, type ProblemRef, type StrategyOutcome } from "./tiny-searches.ts";

/** A policy of the comparison. */
export interface MatchedModel {
  name: string;
  params: number;
  /** D_pre: the recipe's totalSteps × batchSize × mean example tokens, plus its init checkpoint's when it continued one. */
  pretrainingTokens: number;
}

/** The comparison at one R. */
export interface RatioPoint {
  ratio: number;
  /** FLOPs per query the small model may spend (`matchedSmallFlops`). */
  smallFlopsBudget: number;
  /** Largest N whose mean FLOPs per query fit, for weighted best-of-N (PRM charged) and majority (no PRM); null when not even N = 1 fits. */
  weightedN: number | null;
  majorityN: number | null;
  /** True when the budget would afford more samples than were drawn (the curve is cut at its largest N). */
  capped: boolean;
  /** Accuracy per bin (1 easiest): small + weighted best-of-N, small + majority, the larger model greedy. */
  smallWeighted: (number | null)[];
  smallMajority: (number | null)[];
  large: number[];
}

export interface FlopsMatchResults {
  small: MatchedModel;
  large: MatchedModel;
  /** large.params / small.params. */
  paramRatio: number;
  /** Mean tokens per query the larger model processes (prompt + greedy answer): t_L. */
  largeTokensPerQuery: number;
  /** Bin per problem: quantiles of the small policy's pass@1 over its samples (1 easiest). */
  bins: number[];
  /** The small policy's curves: N, mean FLOPs per query, accuracy per bin. */
  ns: number[];
  weightedFlops: number[];
  majorityFlops: number[];
  weightedPerBin: number[][];
  majorityPerBin: number[][];
  /** The larger model's greedy accuracy per bin and overall. */
  largePerBin: number[];
  points: RatioPoint[];
}

/** D_pre of a shipped policy from its manifest's recipe (following `init` to the checkpoint it continued). */
export function manifestPretrainingTokens(modelsDir: string, name: string): number {
  const manifest = JSON.parse(readFileSync(join(modelsDir, name, "checkpoint.json"), "utf8")) as { meta: { recipe: PretrainingRecipe & { init?: string } } };
  const recipe = manifest.meta.recipe;
  const own = pretrainingTokens(recipe);
  return recipe.init === undefined ? own : own + manifestPretrainingTokens(modelsDir, basename(recipe.init));
}

/**
 * Snell et al. §7 on the tiny world: the small policy samples N solutions per
 * problem (scored by the PRM), the larger policy answers each greedily, and
 * at each R the small model gets the FLOPs per query that equalise total
 * (pretraining + inference) compute; its accuracy at the largest affordable N
 * is compared with the larger model's, per difficulty bin.
 */
export async function flopsMatch(c: SnellConfig, problems: readonly ProblemRef[], prm: Verifier, prmParams: number, r: Rng, log: (m: string) => void): Promise<FlopsMatchResults> {
  const f = c.flops;
  const largeName = firstExisting(c.modelsDir, f.large);
  const options = { extractAnswer: answerOf, temperature: c.temperature, maxStepTokens: c.maxStepTokens, maxTokens: 160 };
  const small = loadCheckpoint(join(c.modelsDir, f.small));
  const smallModel: MatchedModel = { name: f.small, params: checkpointParams(small.manifest), pretrainingTokens: manifestPretrainingTokens(c.modelsDir, f.small) };
  let pool;
  try {
    log(`FLOPs match: ${f.samples} samples per problem from ${f.small}`);
    pool = await sampleProblems(problems, batchedTinyPolicy(small.model, f.small), prm, f.samples, options, r.fork("small-pool"));
  } finally {
    small.model.dispose();
  }
  const large = loadCheckpoint(join(c.modelsDir, largeName));
  const largeModel: MatchedModel = { name: largeName, params: checkpointParams(large.manifest), pretrainingTokens: manifestPretrainingTokens(c.modelsDir, largeName) };
  let greedy;
  try {
    log(`FLOPs match: ${largeName} greedy`);
    greedy = await bestOfN(problems.map((p) => p.prompt), { policy: batchedTinyPolicy(large.model, largeName), rng: r.fork("large") }, { ...options, n: 1, select: "majority", temperature: 0 });
  } finally {
    large.model.dispose();
  }
  const largeCorrect = greedy.problems.map((pr, p) => (pr.answer === (problems[p] as ProblemRef).truth ? 1 : 0));
  const tL = greedy.problems.reduce((a, pr, p) => a + (problems[p] as ProblemRef).promptTokens + pr.ledger.policyGeneratedTokens, 0) / problems.length;
  const ns = Array.from({ length: Math.floor(Math.log2(f.samples)) + 1 }, (_, i) => 2 ** i);
  const weighted = bestOfNOutcomes(problems, pool, ns, { policyParams: smallModel.params, prmParams }, true, r.fork("weighted-votes"));
  const majority = bestOfNOutcomes(problems, pool, ns, { policyParams: smallModel.params, prmParams }, false, r.fork("majority-votes"));
  const samples = problems.flatMap((p, i) => (pool.correct[i] as boolean[]).map((ok) => ({ problem: p.id, correct: ok ? 1 : 0 })));
  const bins = estimateDifficulty(samples, { signal: "oracle", bins: f.bins }).level;
  const perBin = (xs: readonly number[]) => Array.from({ length: f.bins }, (_, b) => {
    const idx = bins.flatMap((v, p) => (v === b + 1 ? [p] : []));
    return idx.reduce((a, p) => a + (xs[p] as number), 0) / idx.length;
  });
  const meanFlops = (o: StrategyOutcome) => o.flops.reduce((a, x) => a + x, 0) / o.flops.length;
  const weightedFlops = weighted.map(meanFlops);
  const majorityFlops = majority.map(meanFlops);
  const weightedPerBin = weighted.map((o) => perBin(o.correct));
  const majorityPerBin = majority.map((o) => perBin(o.correct));
  const largePerBin = perBin(largeCorrect);
  const affordable = (costs: readonly number[], budget: number) => {
    const i = costs.findLastIndex((x) => x <= budget);
    return i < 0 ? null : i;
  };
  const points = f.ratios.map((ratio): RatioPoint => {
    const budget = matchedSmallFlops(largeModel, smallModel, tL, ratio);
    const wi = affordable(weightedFlops, budget);
    const mi = affordable(majorityFlops, budget);
    return {
      ratio,
      smallFlopsBudget: budget,
      weightedN: wi === null ? null : (ns[wi] as number),
      majorityN: mi === null ? null : (ns[mi] as number),
      capped: wi === ns.length - 1,
      smallWeighted: wi === null ? largePerBin.map(() => null) : (weightedPerBin[wi] as number[]),
      smallMajority: mi === null ? largePerBin.map(() => null) : (majorityPerBin[mi] as number[]),
      large: largePerBin,
    };
  });
  return { small: smallModel, large: largeModel, paramRatio: largeModel.params / smallModel.params, largeTokensPerQuery: tL, bins, ns, weightedFlops, majorityFlops, weightedPerBin, majorityPerBin, largePerBin, points };
}
