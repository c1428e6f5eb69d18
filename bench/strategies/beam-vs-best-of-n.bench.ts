/**
 * Beam search with N = 64 beams (width M = 4: 16 kept, 4 children each) vs
 * best-of-64 (reward-weighted) on the same chain-arithmetic problems (levels
 * 3–5), with the ≈ 200k-parameter tiny transformer policy and a same-shape PRM
 * (issue 6's performance target: beam search ≤ 1.5× the wall time of
 * best-of-64, and the ledger's peak KV tokens below N × the longest path).
 *
 * Models, in order of preference: a checkpoint directory named by
 * `BENCH_POLICY_DIR` / `BENCH_PRM_DIR`; the shipped `data/models/policy-200k`
 * and `data/models/prm-200k`, else `prm-60k`; else freshly initialised weights
 * of the policy's shape (`createTransformer`, seeded). Which ran is recorded in the results.
 * Time inside the policy's and the PRM's calls is reported per case, and so
 * are the tokens each actually ran through its model (the ledger counts every
 * prefix read; the policy's and the PRM's prefix caches skip what they hold).
 * Both caches start empty in every repetition. BENCH_PREFIX_CACHE=0 turns them
 * off (the full-recompute path: every prefix re-fed, every sequence scored by one full forward pass).
 * Run: npm run bench -- beam-vs-best-of-n   (BENCH_PROBLEMS=3 BENCH_REPS=1; BENCH_RESULTS_SUFFIX=x writes
 * results/beam-vs-best-of-n.x.json instead)
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { loadCheckpoint } from "../../lib/models/checkpoint.ts";
import { createTransformer } from "../../lib/models/transformer.ts";
import type { Transformer } from "../../lib/models/transformer.ts";
import { transformerPolicy } from "../../lib/models/transformer-policy.ts";
import { transformerVerifier } from "../../lib/rewards/reward-model.ts";
import type { Verifier } from "../../lib/rewards/verifier.ts";
import { beamSearch } from "../../lib/strategies/beam-search.ts";
import { bestOfN } from "../../lib/strategies/best-of-n.ts";
import type { Policy } from "../../lib/strategies/policy.ts";
import type { SearchResult } from "../../lib/strategies/search-types.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";
import { extractAnswer } from "../../lib/tasks/extract-answer.ts";
import { formatPrompt } from "../../lib/tasks/format.ts";
import { generateProblems } from "../../lib/tasks/generate-problems.ts";
import { isCorrect } from "../../lib/tasks/is-correct.ts";
import { report, timeCase } from "../harness.ts";

const N = 64;
const M = 4;
const PROBLEMS = Number(process.env.BENCH_PROBLEMS ?? 3);
const REPS = Number(process.env.BENCH_REPS ?? 1);
const PREFIX_CACHE = process.env.BENCH_PREFIX_CACHE !== "0";
const CONFIG = { vocabSize: CHAIN_TOKENIZER.vocabSize, dModel: 64, layers: 4, heads: 4, dFF: 256, maxLen: 208 };
const backend = await selectBackend();
const seed = rng("bench-beam-vs-best-of-n");

/** The first checkpoint directory that exists (an environment variable's, then shipped ones), else fresh weights of CONFIG. */
function model(dirs: readonly (string | undefined)[], label: string, expect?: typeof CONFIG): { model: Transformer; source: string } {
  for (const dir of dirs) {
    if (dir !== undefined && existsSync(`${dir}/checkpoint.json`)) {
      const ck = loadCheckpoint(dir, expect);
      const c = ck.manifest.config;
      return { model: ck.model, source: `${dir} (${c.layers} × ${c.dModel}${ck.manifest.optimizer ? `, training step ${ck.manifest.optimizer.step}` : ""})` };
    }
  }
  return { model: createTransformer(CONFIG, seed.fork(label)), source: `createTransformer (untrained, seed fork "${label}")` };
}
const policyModel = model([process.env.BENCH_POLICY_DIR, "data/models/policy-200k"], "policy", CONFIG);
const prmModel = model([process.env.BENCH_PRM_DIR, "data/models/prm-200k", "data/models/prm-60k"], "prm");
const inner = transformerPolicy(policyModel.model, "policy-200k", CHAIN_TOKENIZER, PREFIX_CACHE ? {} : { prefixCache: false });
const inside = { policyMs: 0, verifierMs: 0, cpuMs: 0 };
// Both models compute synchronously inside their async calls, so the time until the promise is returned is their work
// (awaiting it would also count other problems' calls that run in between).
const policy: Policy = {
  ...inner,
  sampleSteps(prefixes, options) {
    const t0 = performance.now();
    const res = inner.sampleSteps(prefixes, options);
    inside.policyMs += performance.now() - t0;
    return res;
  },
};
const prm = transformerVerifier(prmModel.model, { name: "prm-200k", kind: "prm", ...(PREFIX_CACHE ? {} : { prefixCache: false as const }) });
// An untrained policy may write EOS first: transformerVerifier gives an empty solution no score, and ProblemSearch.score
// refuses an empty score list. Score empty solutions 0 (they are wrong); everything else is the PRM's.
const verifier: Verifier = {
  name: prm.name,
  async scoreSteps(prompt, solutions) {
    const t0 = performance.now();
    const pending = prm.scoreSteps(prompt, solutions);
    inside.verifierMs += performance.now() - t0;
    const res = await pending;
    return { ...res, scores: res.scores.map((s) => (s.length === 0 ? [0] : s)) };
  },
};

const problems = generateProblems({ rng: seed.fork("problems"), level: [3, 4, 5], count: PROBLEMS, split: "test" });
const prompts = problems.map(formatPrompt);
// Limits that fit the task format and the 208-token context: a step line is 12 tokens, level 5 has 8 steps and an answer
// line (100 tokens), the prompt 53; intermediate prefixes stay ≤ 53 + 9·16 = 197 tokens.
const limits = { maxStepTokens: 16, maxSteps: 10, maxTokens: 128 };
const base = { extractAnswer: (t: string) => extractAnswer(t) ?? null, ...limits };
const collab = { policy, verifier, rng: seed.fork("search") };
console.log(`backend ${backend.name}; policy: ${policyModel.source}; PRM: ${prmModel.source}; ${PROBLEMS} problems (levels 3–5), N = ${N}, M = ${M}; prefix caches ${PREFIX_CACHE ? "on" : "off"}`);

/** What the policy and the PRM ran through their models so far: prompt tokens not cached, all tokens fed, PRM tokens not cached. */
const ran = () => {
  const [p, v] = [inner.counts(), prm.counts()];
  return { policyPromptTokensRun: p.promptTokens - p.cachedPromptTokens, policyTokensRun: p.processedTokens, prmTokensRun: v.tokens - v.cachedTokens };
};
let ran0 = ran();
// Untimed warm-up of both code paths (JIT, tfjs kernels) on one problem at a small N.
await bestOfN(prompts.slice(0, 1), collab, { ...base, n: 4, select: "weighted" });
await beamSearch(prompts.slice(0, 1), collab, { ...base, n: 4, beamWidth: 2 });
[inside.policyMs, inside.verifierMs, ran0] = [0, 0, ran()];
let beam: SearchResult | undefined;
let bon: SearchResult | undefined;
/**
 * Process CPU time (user + system) of one repetition: on a machine shared with trainings, wall time also counts the
 * time this process waited for a core; CPU time does not.
 */
const cpuTimed = async (fn: () => Promise<SearchResult>): Promise<SearchResult> => {
  inner.prefixCache?.clear();
  prm.prefixCache?.clear();
  const c0 = process.cpuUsage();
  const res = await fn();
  const c = process.cpuUsage(c0);
  inside.cpuMs += (c.user + c.system) / 1000;
  return res;
};
/** CPU time, time inside policy and PRM calls and tokens run per repetition (means over the case's repetitions), then reset for the next case. */
const split = (): Record<string, number> => {
  const now = ran();
  const tokensRun = Object.fromEntries(Object.entries(now).map(([k, v]) => [`${k}PerRep`, (v - ran0[k as keyof typeof now]) / REPS]));
  const out = { cpuMsPerRep: inside.cpuMs / REPS, policyMsPerRep: inside.policyMs / REPS, verifierMsPerRep: inside.verifierMs / REPS, ...tokensRun };
  [inside.policyMs, inside.verifierMs, inside.cpuMs, ran0] = [0, 0, 0, now];
  return out;
};
const bonCase = await timeCase(`best-of-${N} weighted (PRM), ${PROBLEMS} problems`, async () => (bon = await cpuTimed(() => bestOfN(prompts, collab, { ...base, n: N, select: "weighted" }))), { repetitions: REPS, warmup: 0, derive: split });
const beamCase = await timeCase(`beam search N=${N} M=${M} (PRM), ${PROBLEMS} problems`, async () => (beam = await cpuTimed(() => beamSearch(prompts, collab, { ...base, n: N, beamWidth: M }))), { repetitions: REPS, warmup: 0, derive: split });
const ratio = beamCase.medianMs / bonCase.medianMs;
const cpuRatio = (beamCase.derived.cpuMsPerRep as number) / (bonCase.derived.cpuMsPerRep as number);

// Peak KV tokens per problem vs N × the longest path (prompt + the longest completed beam).
const kv = (beam as SearchResult).problems.map((p, i) => {
  const promptTokens = policy.countTokens(prompts[i] as string);
  const longestPath = promptTokens + Math.max(0, ...p.candidates.map((c) => c.tokens));
  return { problem: i, level: [3, 4, 5][i % 3], promptTokens, longestPath, bound: N * longestPath, peakKvTokens: p.ledger.peakKvTokens, bestOfNPeakKvTokens: (bon as SearchResult).problems[i]!.ledger.peakKvTokens };
});
const kvBelow = kv.every((k) => k.peakKvTokens < k.bound);
// Exact-trace grading of the chosen candidate (lib/tasks isCorrect).
const accuracy = (r: SearchResult) => r.problems.filter((p, i) => p.chosen >= 0 && isCorrect(problems[i]!, p.candidates[p.chosen]!.text)).length / r.problems.length;
const tokens = (r: SearchResult) => ({ policyCalls: r.ledger.policyCalls, generatedTokens: r.ledger.policyGeneratedTokens, readTokens: r.ledger.policyReadTokens, verifierCalls: r.ledger.verifierCalls, verifierTokens: r.ledger.verifierTokens });
// The incremental PRM (cache on) against its full forward pass on best-of-64's candidates: they differ by float32 rounding only.
let prmScoreMaxAbsDiff = 0;
let prmScoresCompared = 0;
for (const [i, p] of (bon as SearchResult).problems.entries()) {
  const texts = p.candidates.map((c) => c.text);
  const score = async (on: boolean) => (await transformerVerifier(prmModel.model, { name: "check", kind: "prm", ...(on ? {} : { prefixCache: false as const }) }).scoreSteps(prompts[i] as string, texts)).scores.flat();
  const [incremental, full] = [await score(true), await score(false)];
  incremental.forEach((x, k) => {
    prmScoreMaxAbsDiff = Math.max(prmScoreMaxAbsDiff, Math.abs(x - (full[k] as number)));
    prmScoresCompared++;
  });
}
console.table(kv);
console.log(`PRM scores, incremental vs full forward pass: max |diff| ${prmScoreMaxAbsDiff.toExponential(2)} over ${prmScoresCompared} step scores of best-of-${N}'s candidates`);
console.log(`beam / best-of-${N} wall time: ${ratio.toFixed(2)}× (target ≤ 1.5×), CPU time ${cpuRatio.toFixed(2)}×; peak KV below N × longest path on every problem: ${kvBelow}`);
console.log(`ledgers: best-of-${N} ${JSON.stringify(tokens(bon as SearchResult))}; beam ${JSON.stringify(tokens(beam as SearchResult))}`);
report(`beam-vs-best-of-n${process.env.BENCH_RESULTS_SUFFIX ? `.${process.env.BENCH_RESULTS_SUFFIX}` : ""}`, [bonCase, beamCase], {
  backend: backend.name,
  prefixCache: PREFIX_CACHE,
  policy: policyModel.source,
  prm: prmModel.source,
  problems: PROBLEMS,
  levels: [3, 4, 5],
  n: N,
  beamWidth: M,
  limits,
  wallTimeRatio: ratio,
  wallTimeTarget: 1.5,
  cpuTimeRatio: cpuRatio,
  peakKv: kv,
  peakKvBelowBound: kvBelow,
  prmScoreMaxAbsDiff,
  prmScoresCompared,
  ledgers: { bestOfN: tokens(bon as SearchResult), beam: tokens(beam as SearchResult) },
  accuracy: { bestOfN: accuracy(bon as SearchResult), beam: accuracy(beam as SearchResult) },
  loadAverage: loadavg(),
});
