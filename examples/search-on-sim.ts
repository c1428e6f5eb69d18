/**
 * Test-time search strategies on the step-wise simulator: best-of-N (three
 * selections), beam search, lookahead, DVTS, early rejection and online
 * short-m@k on the same problems, each with the ledger of what it spent.
 *
 *   npx tsx examples/search-on-sim.ts [--problems 60] [--n 16] [--seed 1]
 *
 * The simulator is a toy (see lib/sim/step-world.ts): its numbers show how the
 * strategies trade accuracy for compute in a world with a noisy PRM, not what
 * any real model does. Swap `world.policy` / `world.verifier` for
 * `transformerPolicy(...)` or `new OpenAICompatiblePolicy(...)` and a real
 * verifier to run the same code on a model.
 */
import { parseArgs } from "node:util";
import { beamSearch, bestOfN, dvts, earlyRejection, lookahead, rng, shortMAtKOnline, SIM_STEP_WORLD_DEFAULTS, simStepWorld, type SearchResult } from "../lib/index.ts";

const { values } = parseArgs({ options: { problems: { type: "string" }, n: { type: "string" }, seed: { type: "string" } } });
const n = Number(values.n ?? 16);
const seed = Number(values.seed ?? 1);
const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: Number(values.problems ?? 60) }, rng(seed));
const collab = { policy: world.policy, verifier: world.verifier, rng: rng(seed).fork("search") };
// Price every token as if the policy and the PRM were Qwen3-0.6B (FLOPs, bytes); tokens and calls are counted regardless.
const base = { extractAnswer: world.extractAnswer, pricing: { policyShape: "Qwen3-0.6B", verifierShape: "Qwen3-0.6B" } };

const runs: [string, () => Promise<SearchResult>][] = [
  ["best-of-1", () => bestOfN(world.prompts, collab, { ...base, n: 1 })],
  [`best-of-${n} naive`, () => bestOfN(world.prompts, collab, { ...base, n })],
  [`best-of-${n} majority`, () => bestOfN(world.prompts, collab, { ...base, n, select: "majority" })],
  [`best-of-${n} weighted`, () => bestOfN(world.prompts, collab, { ...base, n, select: "weighted" })],
  [`beam N=${n} M=4`, () => beamSearch(world.prompts, collab, { ...base, n, beamWidth: 4 })],
  [`lookahead N=${n} M=4 k=1`, () => lookahead(world.prompts, collab, { ...base, n, beamWidth: 4, lookaheadSteps: 1 })],
  [`DVTS N=${n} M=4`, () => dvts(world.prompts, collab, { ...base, n, beamWidth: 4 })],
  [`beam + early rejection τ=3`, () => earlyRejection(world.prompts, collab, { ...base, strategy: "beam-search", n, beamWidth: 4, tau: 3, keepFraction: 1 / 4 })],
  [`short-3@${n} online`, () => shortMAtKOnline(world.prompts, collab, { ...base, k: n, m: 3, chunkTokens: 4 })],
];

const rows = [];
for (const [name, run] of runs) {
  const res = await run();
  const l = res.ledger;
  rows.push({
    strategy: name,
    accuracy: (res.problems.filter((p) => world.isCorrect(p.prompt, p.answer)).length / res.problems.length).toFixed(3),
    "generated tok/problem": Math.round(l.policyGeneratedTokens / res.problems.length),
    "policy calls": l.policyCalls,
    "PRM tok/problem": Math.round(l.verifierTokens / res.problems.length),
    "peak KV tok (sum)": l.peakKvTokens,
    "TFLOPs": (l.flops / 1e12).toFixed(2),
  });
}
console.table(rows);
console.log(`\n${world.problems.length} simulated problems, seed ${seed}. One problem's ledger as JSON:`);
console.log(JSON.stringify((await bestOfN(world.prompts.slice(0, 1), collab, { ...base, n: 4 })).problems[0]?.ledger, null, 1));
