// Issue 7, "done when": best-of-N and beam search through the lib/llm client against ttc serve give what the
// in-process tiny model gives under the same seed, and their dumps load into SampleTable.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { readJsonl } from "../../lib/data/read-jsonl.ts";
import { writeJsonl } from "../../lib/data/write-jsonl.ts";
import { collectSamples } from "../../lib/llm/collect-samples.ts";
import { OpenAICompatiblePolicy } from "../../lib/llm/openai-compatible-policy.ts";
import { readSampleDump } from "../../lib/llm/read-sample-dump.ts";
import { RewardModelVerifier } from "../../lib/llm/reward-model-verifier.ts";
import { transformerPolicy } from "../../lib/models/transformer-policy.ts";
import type { TtcServer } from "../../lib/serve/serve.ts";
import { beamSearch } from "../../lib/strategies/beam-search.ts";
import { bestOfN } from "../../lib/strategies/best-of-n.ts";
import type { Policy } from "../../lib/strategies/policy.ts";
import { searchSampleTable } from "../../lib/strategies/search-sample-table.ts";
import type { SearchCollaborators, SearchResult } from "../../lib/strategies/search-types.ts";
import type { Verifier } from "../../lib/rewards/verifier.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";
import { chainDataset, POLICY_NAME, PRM_NAME, serveTiny, tinyModels, type TinyModels } from "./loopback.test-util.ts";

let models: TinyModels;
let server: TtcServer;
let remotePolicy: Policy;
let remoteVerifier: Verifier;
const dir = mkdtempSync(join(tmpdir(), "ttc-loopback-search-"));
const problems = chainDataset(2);
const prompts = problems.map((p) => p.problem);
// A random-init model writes no answer lines, so the "answer" is the first character written: answers then repeat and
// differ, and selection has something to choose.
const extractAnswer = (text: string) => (text.length > 0 ? text.charAt(0) : null);
const countTokens = (text: string) => CHAIN_TOKENIZER.encode(text).length;
// Budgets that fit the 128-token context: a 53-token prompt (BOS included), 3 steps of at most 10 tokens, then 10 more.
const budget = { maxStepTokens: 10, maxSteps: 3, maxTokens: 10 };

beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  models = tinyModels();
  server = await serveTiny(models);
  remotePolicy = new OpenAICompatiblePolicy({ endpoint: `${server.url}/v1`, model: POLICY_NAME, seedFormat: "key", countTokens, http: { concurrency: 16 } });
  // The server's PRM splits steps itself: send prompt + solution as written, so a step's trailing "\n" is kept.
  remoteVerifier = new RewardModelVerifier({ endpoint: server.url, model: PRM_NAME, batchSize: 64, formatInput: (prompt, _steps, _tag, solution) => prompt + solution });
});
afterAll(async () => {
  await server?.close();
  models?.dispose();
});

/**
 * A random-init policy often writes EOS first: an empty solution, which a PRM has no step to score (both verifiers
 * return no scores and the search would stop). Give it one score of 0, the same way on both paths.
 */
function scoreEmptyAsZero(v: Verifier): Verifier {
  return {
    name: v.name,
    async scoreSteps(prompt, solutions) {
      const out = await v.scoreSteps(prompt, solutions);
      return { ...out, scores: out.scores.map((s, i) => (solutions[i] === "" ? [0] : s)) };
    },
  };
}
const local = (): SearchCollaborators => ({ policy: transformerPolicy(models.policy, POLICY_NAME), verifier: scoreEmptyAsZero(models.verifier), rng: rng(7) });
const remote = (): SearchCollaborators => ({ policy: remotePolicy, verifier: scoreEmptyAsZero(remoteVerifier), rng: rng(7) });

/** Everything a search decided. */
function outcome(res: SearchResult) {
  return res.problems.map((p) => ({ answer: p.answer, chosen: p.chosen, pool: p.pool, candidates: p.candidates }));
}

/**
 * The remote ledger equals the local one but for verifier tokens: RewardModelVerifier sends no request for an empty
 * solution, while the in-process PRM still reads its prompt (BOS + 52 characters = 53 tokens) — once per empty candidate,
 * since an empty solution is finished and scored once.
 */
function expectSameLedger(remote: SearchResult, local: SearchResult): void {
  const [r, l] = [remote.ledger.toJSON(), local.ledger.toJSON()];
  const empty = local.problems.reduce((a, p) => a + p.candidates.filter((c) => c.text === "").length, 0);
  expect({ ...r, verifierTokens: r.verifierTokens + 53 * empty }).toEqual(l);
}

async function roundTrip(res: SearchResult, name: string) {
  const table = searchSampleTable(res, { problems: problems.map((p) => ({ id: p.id, answer: p.answer })) });
  const path = join(dir, `${name}.jsonl`);
  await writeJsonl(table, path);
  const back = await readJsonl(path);
  expect(back.errors).toEqual([]);
  expect([...back.table.rows()]).toEqual([...table.rows()]);
  return back.table;
}

describe("strategies through OpenAICompatiblePolicy against ttc serve", { timeout: 30_000 }, () => {
  it("best-of-N (weighted, PRM over /pooling) chooses the same answers from the same candidates as the in-process model", async () => {
    const options = { n: 8, select: "weighted" as const, extractAnswer, ...budget, maxTokens: 30 };
    const [a, b] = [await bestOfN(prompts, local(), options), await bestOfN(prompts, remote(), options)];
    expect(outcome(b)).toEqual(outcome(a));
    expectSameLedger(b, a);
    // The run is not trivial: several distinct texts and answers per problem, and scores that differ.
    for (const p of a.problems) {
      expect(new Set(p.candidates.map((c) => c.text)).size).toBeGreaterThan(4);
      expect(new Set(p.candidates.map((c) => c.answer)).size).toBeGreaterThan(1);
      expect(new Set(p.candidates.map((c) => c.score)).size).toBeGreaterThan(1);
    }
    const table = await roundTrip(b, "best-of-n");
    expect(table.size).toBe(2 * 8);
    expect(table.problemIds()).toEqual(problems.map((p) => p.id));
  });

  it("beam search (N = 6, M = 2, PRM over /pooling) keeps and completes the same beams as the in-process model", async () => {
    const options = { n: 6, beamWidth: 2, extractAnswer, ...budget };
    const [a, b] = [await beamSearch(prompts, local(), options), await beamSearch(prompts, remote(), options)];
    expect(outcome(b)).toEqual(outcome(a));
    expectSameLedger(b, a);
    // Beams went past the first step, so step-wise requests (stop at "\n", prefixes growing) were exercised.
    expect(a.problems.some((p) => p.candidates.some((c) => c.steps.length >= 2))).toBe(true);
    const table = await roundTrip(b, "beam-search");
    expect(table.size).toBe(b.problems.reduce((s, p) => s + p.pool.length, 0));
  });

  it("a collection run through ttc serve writes the dump the in-process model writes", async () => {
    const base = { problems, n: 3, seed: 5, maxTokens: 20, temperature: 1 };
    await collectSamples({ ...base, policy: transformerPolicy(models.policy, POLICY_NAME), out: join(dir, "local.jsonl") });
    await collectSamples({ ...base, policy: remotePolicy, out: join(dir, "remote.jsonl"), concurrency: 4 });
    const key = (r: { problem: string; sample: number }) => `${r.problem}/${r.sample}`;
    const sorted = async (name: string) => (await readSampleDump(join(dir, name))).records.sort((x, y) => key(x).localeCompare(key(y)));
    const [l, r] = [await sorted("local.jsonl"), await sorted("remote.jsonl")];
    expect(r).toHaveLength(6);
    // Texts, answers, token counts, seeds and finish reasons ("stop" at EOS, "length") all agree.
    expect(r).toEqual(l);
  });
});
