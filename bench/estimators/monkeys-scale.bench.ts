/**
 * Estimators at Large Language Monkeys scale (issue 3's target): 500 problems ×
 * 10,000 samples, 30 budgets k from 1 to 10,000 — pass@k / coverage, best-of-N@k,
 * plain and weighted (verifier-score) majority@k (Monte Carlo where needed, standard error of the mean ≤ 0.002) —
 * timed on this machine, and pass@k / best-of-N@k against a vectorised numpy
 * implementation of the same formulas on the same data when python3 + numpy exist.
 * Run: npm run bench -- monkeys-scale
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rng } from "../../lib/core/rng.ts";
import { bestOfNCurve } from "../../lib/estimators/best-of-n-at-k.ts";
import { bestOfNCurves } from "../../lib/estimators/best-of-n-curves.ts";
import { coverageCurve } from "../../lib/estimators/coverage-curve.ts";
import { majorityCurve } from "../../lib/estimators/majority-at-k.ts";
import { simulateWorld } from "../../lib/sim/world.ts";
import { report, timeCase } from "../harness.ts";

const P = 500;
const N = 10_000;
const ks = Array.from({ length: 30 }, (_, i) => Math.max(1, Math.round(Math.pow(10, (4 * i) / 29))));
const unique = [...new Set(ks)];
console.log(`simulating ${P} × ${N} samples (not timed)…`);
const world = simulateWorld(
  { problems: P, samplesPerProblem: N, difficulty: { alpha: 0.122, beta: 0.645 }, distractors: { count: 8, zipf: 1 }, missingRate: 0.2, verifier: { auc: 0.75, answerShare: 0.5 }, lengths: { medianTokens: 800, sigma: 0.5, correctShorterBy: 0 } },
  rng("bench-monkeys"),
);
const counts = world.map((p) => ({ n: N, c: p.correct.reduce((a, b) => a + b, 0) }));

const cases = [];
// Coverage takes about a millisecond: many repetitions after a JIT warm-up, and the median.
cases.push(await timeCase("coverage (pass@k), 500 problems × 30 k", () => coverageCurve(counts, unique), { repetitions: 41, warmup: 5 }));
// bestOfNCurves: the batch form, weights shared by problems with the same N (bestOfNCurve per problem is timed below).
cases.push(await timeCase("best-of-N@k (bestOfNCurves), 500 problems × 30 k", () => bestOfNCurves(world, unique), { repetitions: 5, warmup: 1 }));
/** Worst (over k) standard error of the mean over problems of majority@k, from the per-problem standard errors. */
function majorityRun(weighted: boolean): number {
  const variance = new Float64Array(unique.length);
  world.forEach((p, pi) =>
    majorityCurve(p.answers, p.correct, unique, { rng: rng(pi), samples: 20, exactLimit: 2000, ...(weighted ? { weights: p.scores } : {}) }).forEach(
      (m, i) => (variance[i] = (variance[i] as number) + (m.stderr / P) ** 2),
    ),
  );
  return Math.max(...Array.from(variance, Math.sqrt));
}
let worstSe = 0;
let worstWeightedSe = 0;
cases.push(await timeCase("majority@k (exact ≤ 2,000 count vectors, else MC 20 draws), 500 problems × 30 k", () => (worstSe = majorityRun(false)), { repetitions: 3, warmup: 0 }));
cases.push(await timeCase("weighted majority@k (score votes; exact ≤ 2,000 subsets, else MC 20 nested draws), 500 problems × 30 k", () => (worstWeightedSe = majorityRun(true)), { repetitions: 3, warmup: 0 }));
const total = cases.reduce((s, c) => s + c.medianMs, 0);
console.log(`all curves: ${(total / 1000).toFixed(2)} s (target < 5 s); worst standard error of the mean: majority ${worstSe.toFixed(4)}, weighted majority ${worstWeightedSe.toFixed(4)} (target ≤ 0.002)`);

// numpy reference on the same data, if available
let ratios: Record<string, number> = {};
let numpyMs: Record<string, number> = {};
try {
  const dir = mkdtempSync(join(tmpdir(), "ttc-bench-"));
  writeFileSync(join(dir, "data.json"), JSON.stringify({ ks: unique, c: counts.map((x) => x.c), n: N, scores: world.slice(0, 100).map((p) => Array.from(p.scores)), correct: world.slice(0, 100).map((p) => Array.from(p.correct)) }));
  const out = execFileSync("/usr/bin/python3", [join(import.meta.dirname, "reference_numpy.py"), join(dir, "data.json")], { stdio: ["ignore", "pipe", "inherit"] }).toString();
  const ref = JSON.parse(out) as { coverageMs: number; bonMs100: number };
  const first100 = world.slice(0, 100);
  const bon100 = await timeCase("best-of-N@k (bestOfNCurves), 100 problems × 30 k (numpy comparison)", () => bestOfNCurves(first100, unique), { repetitions: 5, warmup: 1 });
  const bonEach100 = await timeCase("best-of-N@k (bestOfNCurve per problem), 100 problems × 30 k (numpy comparison)", () => first100.map((p) => bestOfNCurve(p.scores, p.correct, unique)), { repetitions: 5, warmup: 1 });
  cases.push(bon100, bonEach100);
  ratios = {
    "numpy/ours coverage time": ref.coverageMs / (cases[0]?.medianMs ?? NaN),
    "numpy/ours best-of-N time (bestOfNCurves)": ref.bonMs100 / bon100.medianMs,
    "numpy/ours best-of-N time (bestOfNCurve per problem)": ref.bonMs100 / bonEach100.medianMs,
  };
  numpyMs = { coverage: ref.coverageMs, bestOfN100: ref.bonMs100 };
  console.log(`numpy: coverage ${ref.coverageMs.toFixed(1)} ms, best-of-N (100 problems) ${ref.bonMs100.toFixed(1)} ms`);
} catch (e) {
  console.log(`numpy reference skipped: ${(e as Error).message.split("\n")[0]}`);
}
report("monkeys-scale", cases, { problems: P, samplesPerProblem: N, ks: unique, totalMs: total, worstMajorityStderr: worstSe, worstWeightedMajorityStderr: worstWeightedSe, numpyMs, ratios });
for (const [k, v] of Object.entries(ratios)) console.log(`  ${k}: ${v.toFixed(2)}× (> 1 means ours is faster)`);
