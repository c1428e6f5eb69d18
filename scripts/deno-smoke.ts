/**
 * Runs one reproduction's smoke preset under whatever runtime executes this
 * file (used by test/deno.test.ts to check that lib/ stays runtime-neutral:
 * `deno run scripts/deno-smoke.ts`). Prints one JSON line with the runtime,
 * the claims verdicts and every word count measured. Word counts are integers
 * and must agree exactly across runtimes; float outputs may differ in the last
 * ulp because V8 versions differ in Math.exp.
 */
import { runtimeName } from "../lib/core/backend.ts";
import { checkClaims } from "../lib/repro/check-claims.ts";
import { claims } from "../reproductions/saha24-attention-io/claims.ts";
import { figure, presets, run } from "../reproductions/saha24-attention-io/run.ts";

const results = run(presets.smoke);
const report = checkClaims(claims, results, "smoke");
const fig = figure(results);
const words = results.shapes.flatMap((s) => s.points.flatMap((p) => Object.values(p.io).map((io) => io.wordsMoved)));
console.log(JSON.stringify({ runtime: runtimeName(), passed: report.passed, failed: report.failed, traces: fig.data.length, words }));
