import { computeOptimal } from "../../lib/allocation/compute-optimal.ts";
import type { OutcomeRow } from "../../lib/allocation/outcome-table.ts";
import type { Rng } from "../../lib/core/rng.ts";
import { mean, type HeldOutProblem, type PolicyRun } from "./policy-run.ts";

/** Accuracy of one method × reward model at one budget, overall and per level. */
export interface MethodPoint {
  budget: number;
  accuracy: number;
  byLevel: number[];
  flopsPerProblem: number;
}

/** One method × reward model's curve. */
export interface MethodCurve {
  method: string;
  rewardModel: string | null;
  points: MethodPoint[];
}

/** One budget of a policy's compute-optimal curve (2-fold, difficulty = task level). */
export interface OptimalPoint {
  budget: number;
  accuracy: number;
  lo: number;
  hi: number;
  /** Per training fold and level: the method and reward model chosen, and its held-out accuracy. */
  choices: { trainFold: number; level: number; method: string; rewardModel: string | null; trainAccuracy: number; testAccuracy: number }[];
}

/** Everything one policy measured, summarized. */
export interface PolicySummary {
  name: string;
  params: number;
  /** Greedy single sample: final-answer accuracy, per level, and exact-trace accuracy per level. */
  greedy: { accuracy: number; byLevel: number[]; exactByLevel: number[] };
  /** pass@1 at the sampling temperature (mean over the pool). */
  sampledPass1: { accuracy: number; byLevel: number[] };
  methods: MethodCurve[];
  computeOptimal: OptimalPoint[];
}

/**
 * Summarize one policy's run: accuracies per level, method curves, and the
 * compute-optimal curve over the search budgets — Snell et al.'s 2-fold
 * protocol with the task level as the difficulty bin: on each half of the
 * problems, per level and budget, choose the method × reward model with the
 * best accuracy, and score that choice on the other half.
 *
 * @param levels - the task levels, in the order problems are grouped
 * @param r - random source of the folds and the bootstrap band
 */
export function summarizePolicy(name: string, params: number, run: PolicyRun, problems: readonly HeldOutProblem[], levels: readonly number[], searchBudgets: readonly number[], reps: number, r: Rng): PolicySummary {
  const byLevel = (xs: readonly number[]) => levels.map((l) => mean(xs.filter((_, i) => problems[i]?.level === l)));
  const r4 = (x: number) => Math.round(x * 1e6) / 1e6;
  const methods: MethodCurve[] = run.runs.map((m) => ({
    method: m.method,
    rewardModel: m.rewardModel,
    points: m.budgets.map((budget, b) => ({ budget, accuracy: r4(mean(m.correct[b] as number[])), byLevel: byLevel(m.correct[b] as number[]).map(r4), flopsPerProblem: Math.round(m.flopsPerProblem[b] as number) })),
  }));
  const rows: OutcomeRow[] = run.runs.flatMap((m) =>
    searchBudgets.flatMap((budget) => {
      const b = m.budgets.indexOf(budget);
      return problems.map((p, i) => ({ problem: p.id, strategy: m.method, params: { rewardModel: m.rewardModel ?? "none" }, budget, correct: (m.correct[b] as number[])[i] as number }));
    }),
  );
  const co = computeOptimal(rows, new Map(problems.map((p) => [p.id, p.level])), { rng: r, budgets: searchBudgets, reps });
  return {
    name,
    params,
    greedy: { accuracy: r4(mean(run.greedy.correct)), byLevel: byLevel(run.greedy.correct).map(r4), exactByLevel: byLevel(run.greedy.exact).map(r4) },
    sampledPass1: { accuracy: r4(mean(run.sampledPass1)), byLevel: byLevel(run.sampledPass1).map(r4) },
    methods,
    computeOptimal: co.points.map((p) => ({
      budget: p.budget,
      accuracy: r4(p.accuracy),
      lo: r4(p.lo),
      hi: r4(p.hi),
      choices: p.choices.map((ch) => ({
        trainFold: ch.trainFold,
        level: ch.level,
        method: ch.strategy,
        rewardModel: ch.params["rewardModel"] === "none" ? null : String(ch.params["rewardModel"]),
        trainAccuracy: r4(ch.trainAccuracy),
        testAccuracy: r4(ch.testAccuracy),
      })),
    })),
  };
}
