/**
 * Compute-optimal allocation (Snell et al. 2024) on the step-wise simulator:
 * run best-of-N (weighted), beam search and lookahead at several generation
 * budgets, bin problems by difficulty (the mean PRM score of 16 separate
 * samples — no oracle — and, for comparison, oracle pass@1), choose the best
 * strategy per bin and budget on one half of the problems and score it on the
 * other, and print the curve with its bootstrap band, the same on a FLOPs axis
 * priced by the ledger, and the budget ratio at which the compute-optimal
 * curve reaches best-of-N's final accuracy.
 *
 *   npx tsx examples/compute-optimal-on-sim.ts [--problems 100] [--seed 1]
 *
 * The simulator is a toy (lib/sim/step-world.ts): the numbers show what the
 * tools compute, not what any model does.
 */
import { parseArgs } from "node:util";
import {
  beamSearch,
  bestOfN,
  budgetRatioToMatch,
  computeOptimal,
  estimateDifficulty,
  lookahead,
  outcomeRows,
  rng,
  SIM_STEP_WORLD_DEFAULTS,
  simStepWorld,
  strategyCurve,
  type ComputeOptimalResult,
  type OutcomeRow,
  type SearchResult,
} from "../lib/index.ts";

const { values } = parseArgs({ options: { problems: { type: "string" }, seed: { type: "string" } } });
const seed = Number(values.seed ?? 1);
// Harder and longer than the defaults, so that budgets and strategies differ.
const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: Number(values.problems ?? 100), steps: { min: 4, max: 8 }, stepSuccess: { alpha: 2, beta: 1 } }, rng(seed));
const collab = (label: string) => ({ policy: world.policy, verifier: world.verifier, rng: rng(seed).fork(label) });
const base = { extractAnswer: world.extractAnswer, pricing: { policyShape: "Qwen3-0.6B", verifierShape: "Qwen3-0.6B" } };
const id = (_: string, i: number) => `p${i}`;
const budgets = [4, 16, 64];

const runs: { strategy: string; params: Record<string, string | number>; run: (n: number) => Promise<SearchResult> }[] = [
  { strategy: "best-of-n", params: { select: "weighted" }, run: (n) => bestOfN(world.prompts, collab(`bon-${n}`), { ...base, n, select: "weighted" }) },
  { strategy: "beam", params: { beamWidth: 4 }, run: (n) => beamSearch(world.prompts, collab(`beam-${n}`), { ...base, n, beamWidth: 4 }) },
  { strategy: "lookahead", params: { beamWidth: 4, k: 1 }, run: (n) => lookahead(world.prompts, collab(`lookahead-${n}`), { ...base, n, beamWidth: 4, lookaheadSteps: 1 }) },
];
const rows: OutcomeRow[] = [];
for (const { strategy, params, run } of runs) {
  for (const n of budgets) rows.push(...outcomeRows(await run(n), { strategy, params, budget: n, isCorrect: world.isCorrect, problemId: id }));
}

// Difficulty from 16 separate samples per problem: mean PRM score (what a deployed system could compute) and oracle pass@1.
const probe = await bestOfN(world.prompts, collab("difficulty"), { ...base, n: 16 });
const samples = probe.problems.flatMap((p, i) => p.candidates.map((c) => ({ problem: `p${i}`, score: c.score ?? 0, correct: world.isCorrect(p.prompt, c.answer) ? 1 : 0 })));
const predicted = estimateDifficulty(samples, { signal: "verifier" });
const oracle = estimateDifficulty(samples, { signal: "oracle" });

const show = (title: string, res: ComputeOptimalResult, unit: (b: number) => string) => {
  console.log(`\n${title}`);
  console.table(
    res.points.map((p) => ({
      budget: unit(p.budget),
      accuracy: p.accuracy.toFixed(3),
      "95% band": `${p.lo.toFixed(3)}–${p.hi.toFixed(3)}`,
      "TFLOPs/problem": p.meanCost === null ? "-" : (p.meanCost / 1e12).toFixed(3),
      "chosen per level (fold 0 | fold 1)": res.levels.map((l) => p.choices.filter((c) => c.level === l).map((c) => `${c.strategy}@${c.budget}`).join("|")).join("  "),
    })),
  );
};

console.log(`${world.problems.length} simulated problems, seed ${seed}; accuracy of each strategy alone:`);
console.table(runs.map(({ strategy, params }) => Object.fromEntries([["strategy", `${strategy} ${JSON.stringify(params)}`], ...strategyCurve(rows, strategy, params).map((p) => [`N=${p.budget}`, p.accuracy.toFixed(3)])])));

const byGenerations = computeOptimal(rows, predicted.levels, { rng: rng(seed).fork("allocation") });
show("compute-optimal, difficulty from mean PRM score (no oracle), by generation budget", byGenerations, (b) => `N=${b}`);
show("compute-optimal, oracle difficulty (pass@1 of 16 samples), by generation budget", computeOptimal(rows, oracle.levels, { rng: rng(seed).fork("allocation") }), (b) => `N=${b}`);

// FLOPs budgets from the dearest best-of-4 problem (so every level can afford something) up in doublings.
const floor = Math.max(...rows.filter((r) => r.strategy === "best-of-n" && r.budget === 4).map((r) => r.cost as number));
const flopsGrid = [1, 2, 4, 8, 16].map((x) => x * floor);
show("compute-optimal by FLOPs per problem (any configuration whose mean cost on the training half fits)", computeOptimal(rows, predicted.levels, { rng: rng(seed).fork("allocation"), axis: "cost", budgets: flopsGrid }), (b) => `${(b / 1e12).toFixed(2)} TFLOPs`);

const bon = strategyCurve(rows, "best-of-n", { select: "weighted" });
const match = budgetRatioToMatch(byGenerations.points, bon);
console.log(
  match === undefined
    ? `\ncompute-optimal never reaches best-of-${bon.at(-1)?.budget} weighted's accuracy ${bon.at(-1)?.accuracy.toFixed(3)} on this grid`
    : `\ncompute-optimal reaches best-of-${match.baselineBudget} weighted's accuracy ${match.targetAccuracy.toFixed(3)} at N ≈ ${match.matchBudget.toFixed(1)}: ${match.ratio.toFixed(2)}× less generation budget`,
);
