/**
 * Scaling-law fit speed (issue 4's targets): a 100-point fit of every 2–4-parameter law in the
 * catalogue (target < 5 ms median), Chinchilla on a 10 × 10 grid (plain and Huber on log L),
 * and the beta-binomial fit of 500 problems (target < 200 ms), with s fixed at 1 and fitted.
 * Data are simulated from known parameters with noise (not timed); each fit uses the law's own starts.
 * Run: npm run bench -- fits
 */
import { rng } from "../../lib/core/rng.ts";
import { betaSample } from "../../lib/sim/distributions.ts";
import { fitBetaBinomial } from "../../lib/scaling/beta-binomial.ts";
import { fit, type FitOptions } from "../../lib/scaling/fit.ts";
import type { Law } from "../../lib/scaling/law.ts";
import { chinchilla } from "../../lib/scaling/laws/chinchilla.ts";
import { exponentiatedPowerLaw } from "../../lib/scaling/laws/exponentiated-power-law.ts";
import { logLinear } from "../../lib/scaling/laws/log-linear.ts";
import { powerLawWithFloor } from "../../lib/scaling/laws/power-law-with-floor.ts";
import { powerLaw } from "../../lib/scaling/laws/power-law.ts";
import { saturatingExponential, ttspm } from "../../lib/scaling/laws/saturating.ts";
import { sigmoidCompute } from "../../lib/scaling/laws/sigmoid-compute.ts";
import { report, timeCase, type CaseResult } from "../harness.ts";

const r = rng("bench-fits");
const logspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => 10 ** (a + ((b - a) * i) / (n - 1)));
const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

const oneInput: [Law, Record<string, number>, number[], number, boolean][] = [
  // law, truth, x, noise sd, multiplicative noise
  [powerLaw, { A: 250, alpha: 0.3 }, logspace(6, 11, 100), 0.02, true],
  [logLinear, { a: 0.1, b: 0.05 }, logspace(0, 4, 100), 0.01, false],
  [exponentiatedPowerLaw, { a: -1.2, b: -0.4 }, logspace(0, 4, 100), 0.003, false],
  [ttspm, { A: 0.85, p: 0.12 }, linspace(1, 100, 100), 0.005, false],
  [powerLawWithFloor, { E: 1.7, A: 400, alpha: 0.34 }, logspace(6, 11, 100), 0.003, false],
  [saturatingExponential, { A: 0.7, y0: 0.2, tau: 8000 }, linspace(500, 64000, 100), 0.005, false],
  [sigmoidCompute, { A: 0.6, B: 1.5, Cmid: 3e20, R0: 0.2 }, logspace(18, 22, 100), 0.005, false],
];

const cases: CaseResult[] = [];
const iterations: Record<string, number> = {};
for (const [law, truth, x, sd, multiplicative] of oneInput) {
  const y = x.map((v) => {
    const f = law.predict(truth, v, NaN);
    return multiplicative ? f * (1 + sd * r.normal()) : f + sd * r.normal();
  });
  const name = `${law.name} (${law.paramNames.length} params), 100 points`;
  cases.push(await timeCase(name, () => fit(law, { x, y }), { repetitions: 31, warmup: 3 }));
  iterations[name] = fit(law, { x, y }).iterations;
}

const grid: [number, number][] = [];
for (const n of logspace(7.5, 10.5, 10)) for (const d of logspace(9, 11.5, 10)) grid.push([n, d]);
const chin = { E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28 };
const L = grid.map(([n, d]) => chinchilla.predict(chin, n, d) * Math.exp(0.01 * r.normal()));
for (const [label, options] of [
  ["chinchilla (5 params), 10x10 grid", {}],
  ["chinchilla, Huber on log L, 10x10", { space: "log", loss: "huber" }],
] as [string, FitOptions][]) {
  cases.push(await timeCase(label, () => fit(chinchilla, { x: grid, y: L }, options), { repetitions: 15, warmup: 2 }));
}

/** 500 problems, p ~ s·Beta(0.3, 2), n attempts each; c drawn as a sum of n Bernoulli trials (not timed). */
function problems(n: number, scale: number) {
  return Array.from({ length: 500 }, () => {
    const p = scale * betaSample(0.3, 2, r);
    let c = 0;
    for (let i = 0; i < n; i++) if (r.next() < p) c++;
    return { n, c };
  });
}
const small = problems(100, 1);
const monkeys = problems(10_000, 1);
const capped = problems(100, 0.6);
cases.push(await timeCase("betaBinomial 500 problems, n=100, s=1", () => fitBetaBinomial(small), { repetitions: 15, warmup: 2 }));
cases.push(await timeCase("betaBinomial 500 problems, n=1e4, s=1", () => fitBetaBinomial(monkeys), { repetitions: 15, warmup: 2 }));
cases.push(await timeCase("betaBinomial 500 problems, n=100, s fitted", () => fitBetaBinomial(capped, { fitScale: true }), { repetitions: 9, warmup: 1 }));

const targets = Object.fromEntries(
  cases.map((c) => [c.name, c.name.startsWith("betaBinomial") ? (c.medianMs < 200 ? "< 200 ms: met" : "< 200 ms: MISSED") : c.name.startsWith("chinchilla") ? "(5 params: no target)" : c.medianMs < 5 ? "< 5 ms: met" : "< 5 ms: MISSED"]),
);
report("fits", cases, { iterations, targets });
for (const [k, v] of Object.entries(targets)) console.log(`  ${k.padEnd(44)} ${v}`);
