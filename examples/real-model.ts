/**
 * Sample a real model behind an OpenAI-compatible server, grade the answers,
 * and analyse the dump with the offline estimators.
 *
 *   # a GPU machine:   vllm serve Qwen/Qwen2.5-Math-1.5B-Instruct --port 8000
 *   # llama.cpp:       llama-server -m model.gguf --port 8000
 *   npx tsx examples/real-model.ts --endpoint http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-Math-1.5B-Instruct
 *
 * Without --endpoint it starts a stand-in server on loopback (right 60% of
 * the time, by seed), so the script runs anywhere. Rerunning resumes: samples
 * already in the dump are skipped.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { collectSamples, formatCollectProgress, loadSampleDump, majorityAtK, OpenAICompatiblePolicy, passAtK, readProblems, rng, type DatasetProblem } from "../lib/index.ts";

const { values } = parseArgs({ options: { endpoint: { type: "string" }, model: { type: "string" }, n: { type: "string" }, out: { type: "string" } } });
const dataset = new URL("./data/word-problems.jsonl", import.meta.url).pathname;
const problems = await readProblems(dataset);
const n = Number(values.n ?? 8);
const out = values.out ?? "out/examples/real-model/dump.jsonl";
const standIn = values.endpoint === undefined ? await startStandIn(problems) : undefined;
const endpoint = values.endpoint ?? (standIn as { url: string }).url;

const policy = new OpenAICompatiblePolicy({ endpoint, model: values.model ?? "stand-in", http: { concurrency: 8, timeoutMs: 300_000 } });
const prompt = (p: DatasetProblem) => `${p.problem}\nPlease reason step by step, and put your final answer within \\boxed{}.\n`;

// 1. Collect n graded samples per problem into an append-only, checksummed dump.
const result = await collectSamples({
  policy,
  problems,
  n,
  out,
  seed: 1,
  maxTokens: 1024,
  temperature: 0.8,
  prompt,
  onProgress: (p) => p.done === p.total && console.error(formatCollectProgress(p)),
});
console.log(`${out}: ${result.written} new samples, ${result.skipped} already there`);

// 2. Analyse it offline: pass@k and majority@k, averaged over problems.
const table = await loadSampleDump(out);
const counts = table.counts();
for (const k of [1, n]) {
  const pass = counts.reduce((a, c) => a + passAtK(c.n, c.c, k), 0) / counts.length;
  const maj =
    table.problemIds().reduce((a, _, p) => {
      const [start, end] = table.rangeOf(p);
      return a + majorityAtK(table.answersOf(p), table.correct.subarray(start, end), k, { rng: rng(2).fork(p) }).value;
    }, 0) / counts.length;
  console.log(`k = ${k}: pass@k ${pass.toFixed(3)}, majority@k ${maj.toFixed(3)}`);
}

// 3. Stream one continuation and stop it after 16 tokens, as early rejection does.
const stream = policy.streamStep(prompt(problems[0] as DatasetProblem), { maxTokens: 1024, stopAtStepEnd: false, temperature: 0.8, rng: rng(3) });
await stream.untilTokens(16);
stream.cancel();
const partial = await stream.result;
console.log(`streamed ${partial.tokens} tokens, then ${partial.finishReason}: ${JSON.stringify(partial.text.slice(0, 60))}`);

await standIn?.close();

/** A loopback stand-in for a model server: /v1/completions (plain and streamed), right 60% of the time by seed. */
async function startStandIn(list: readonly DatasetProblem[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as { prompt: string; seed: number; stream?: boolean; max_tokens: number };
    const problem = list.find((p) => body.prompt.startsWith(p.problem));
    const right = rng(body.seed).next() < 0.6;
    const answer = right ? (problem?.answer ?? "0") : "42";
    const completion = `Let me work it out.\nThe answer is \\boxed{${answer}}.`.slice(0, body.max_tokens);
    const finish = completion.length < body.max_tokens ? "stop" : "length";
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ choices: [{ index: 0, text: completion, finish_reason: finish, stop_reason: null }], usage: { prompt_tokens: body.prompt.length, completion_tokens: completion.length } }));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const ch of completion) {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: ch, finish_reason: null }] })}\n\n`);
      await new Promise((r) => setTimeout(r, 2));
    }
    res.end(`data: ${JSON.stringify({ choices: [{ index: 0, text: "", finish_reason: finish, stop_reason: null }] })}\n\ndata: [DONE]\n\n`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
