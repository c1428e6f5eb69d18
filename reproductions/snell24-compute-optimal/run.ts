/**
 * Reproduction of Snell et al. (2024), "Scaling LLM Test-Time Compute
 * Optimally can be More Effective than Scaling Model Parameters", on the tiny
 * world: best-of-N weighted, PRM beam search and lookahead search per
 * difficulty bin and budget, the compute-optimal mix chosen on held-out
 * halves, and a small policy + search against a larger policy at matched FLOPs.
 */
import { join } from "node:path";
import { estimateDifficulty } from "../../lib/allocation/estimate-difficulty.ts";
import { requireArg } from "../../lib/core/errors.ts";
import { rng, type Rng } from "../../lib/core/rng.ts";
import { loadCheckpoint } from "../../lib/models/checkpoint.ts";
import type { Progress } from "../../lib/repro/types.ts";
import { formatValue3, referenceValues } from "../../lib/tasks/chain-problem.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";
import { formatPrompt } from "../../lib/tasks/format.ts";
import { generateProblems } from "../../lib/tasks/generate-problems.ts";
import { budgetMatches, optimalCurve, strategyCurves, toRows, type BudgetMatchPoint, type OptimalPoint, type StrategyCurve } from "./analysis.ts";
import { batchedTinyPolicy, batchedTinyPrm } from "./batched-tiny.ts";
import { checkpointParams } from "./checkpoints.ts";
import type { SnellConfig } from "./config.ts";
import { flopsMatch, type FlopsMatchResults } from "./flops-run.ts";
import { answerOf, bestOfNOutcomes, sampleProblems, searchOutcome, type ProblemRef, type StrategyOutcome } from "./tiny-searches.ts";

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { SnellConfig } from "./config.ts";
export { figure } from "./figure.ts";

/** The compute-optimal analysis under one difficulty signal. */
export interface OptimalAnalysis {
  /** `"oracle"` (pass@1 of the best-of-N pool, graded) or `"predicted"` (mean PRM score of the pool, no ground truth). */
  signal: "oracle" | "predicted";
  /** Bin per problem, 1 easiest. */
  bins: number[];
  strategies: StrategyCurve[];
  optimal: OptimalPoint[];
  matches: BudgetMatchPoint[];
  /** The largest budget ratio at which compute-optimal matches best-of-N (null when it never does). */
  bestRatio: number | null;
}

export interface SnellResults {
  preset: string;
  problems: { id: string; level: number }[];
  policy: { name: string; params: number };
  prm: { name: string; params: number };
  budgets: number[];
  /** Samples per problem in the pool. */
  poolSize: number;
  /** Per problem: pass@1 by final answer, best-of-(pool size) weighted, and mean PRM score over the pool. */
  passAt1: number[];
  poolVote: number[];
  meanPrmScore: number[];
  oracle: OptimalAnalysis;
  predicted: OptimalAnalysis;
  flopsMatch: FlopsMatchResults;
}

/** The held-out problems of the config's levels, test split, `problems/level-L` streams. */
export function heldOutProblems(c: SnellConfig, root: Rng): ProblemRef[] {
  return c.levels.flatMap((level) =>
    generateProblems({ rng: root.fork(`problems/level-${level}`), level, count: c.problemsPerLevel, split: "test" }).map((problem, i) => {
      const prompt = formatPrompt(problem);
      return { id: `L${level}-${i}`, level, prompt, truth: formatValue3(referenceValues(problem).at(-1) as number), promptTokens: CHAIN_TOKENIZER.encode(prompt, { bos: true }).length };
    }),
  );
}

/**
 * Run the reproduction. Reads the checkpoints (the only file access); random
 * numbers come from `config.seed` alone: problems from `problems/level-L`,
 * the best-of-N pool from `pool`, beam search at N from `beam-N`, lookahead
 * from `lookahead-N`, the allocation folds and bootstrap from `allocation/*`,
 * the FLOPs-matched comparison from `flops/*`.
 */
export async function run(c: SnellConfig, progress?: Progress): Promise<SnellResults> {
  const report = progress ?? (() => {});
  const root = rng(c.seed);
  const problems = heldOutProblems(c, root);
  const ids = problems.map((p) => p.id);
  const pol = loadCheckpoint(join(c.modelsDir, c.policy));
  const prm = loadCheckpoint(join(c.modelsDir, c.prm));
  try {
    const price = { policyParams: checkpointParams(pol.manifest), prmParams: checkpointParams(prm.manifest) };
    const policy = batchedTinyPolicy(pol.model, c.policy);
    const verifier = batchedTinyPrm(prm.model, c.prm);
    const options = { extractAnswer: answerOf, temperature: c.temperature, maxStepTokens: c.maxStepTokens, maxTokens: 160, maxSteps: 10 };
    requireArg("snell24 run", c.budgets.every((n) => n <= c.poolSize), "budgets <= poolSize", { budgets: c.budgets, poolSize: c.poolSize });
    const nMax = c.poolSize;
    report(`best-of-${nMax} pool of ${c.policy} on ${problems.length} problems`, 0.02);
    const pool = await sampleProblems(problems, policy, verifier, nMax, options, root.fork("pool"));
    const outcomes: StrategyOutcome[] = bestOfNOutcomes(problems, pool, c.budgets, price, true, root.fork("pool-votes"));
    let done = 0;
    const depths = c.lookaheadSteps > 0 ? [0, c.lookaheadSteps] : [0];
    for (const k of depths) {
      for (const n of c.budgets) {
        const label = `${k > 0 ? "lookahead" : "beam"}-${n}`;
        outcomes.push(await searchOutcome(problems, policy, verifier, n, c.beamWidth, k, options, price, root.fork(label)));
        report(`${label}: accuracy ${(outcomes.at(-1) as StrategyOutcome).correct.reduce((a, x) => a + x, 0) / problems.length}`, 0.05 + (0.6 * ++done) / (depths.length * c.budgets.length));
      }
    }
    const poolVote = bestOfNOutcomes(problems, pool, [nMax], price, true, root.fork("pool-vote-all")).map((o) => o.correct)[0] as number[];
    const passAt1 = pool.correct.map((cs) => cs.filter(Boolean).length / cs.length);
    const meanPrmScore = pool.scores.map((s) => s.reduce((a, x) => a + x, 0) / s.length);
    const rows = toRows(outcomes, ids);
    const analyse = (signal: "oracle" | "predicted"): OptimalAnalysis => {
      const samples = ids.flatMap((problem, p) => (pool.correct[p] as boolean[]).map((ok, j) => ({ problem, correct: ok ? 1 : 0, score: (pool.scores[p] as number[])[j] as number })));
      const bins = estimateDifficulty(samples, { signal: signal === "oracle" ? "oracle" : "verifier", bins: c.bins }).level;
      const strategies = strategyCurves(outcomes, bins, c.bins);
      const optimal = optimalCurve(rows, ids, bins, c.reps, root.fork(`allocation/${signal}`));
      const matches = budgetMatches(optimal, strategies.find((s) => s.strategy === "best-of-n") as StrategyCurve);
      const ratios = matches.flatMap((m) => (m.ratio === null ? [] : [m.ratio]));
      return { signal, bins, strategies, optimal, matches, bestRatio: ratios.length === 0 ? null : Math.max(...ratios) };
    };
    const oracle = analyse("oracle");
    const predicted = analyse("predicted");
    report("FLOPs-matched comparison", 0.7);
    const flops = await flopsMatch(c, problems, verifier, price.prmParams, root.fork("flops"), (m) => report(m, 0.8));
    return {
      preset: c.preset,
      problems: problems.map((p) => ({ id: p.id, level: p.level })),
      policy: { name: c.policy, params: price.policyParams },
      prm: { name: c.prm, params: price.prmParams },
      budgets: [...c.budgets],
      poolSize: nMax,
      passAt1,
      poolVote,
      meanPrmScore,
      oracle,
      predicted,
      flopsMatch: flops,
    };
  } finally {
    pol.model.dispose();
    prm.model.dispose();
  }
}
