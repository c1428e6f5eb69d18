// Issue 7, tests 4a: the lib/llm client (OpenAICompatiblePolicy, RewardModelVerifier, HttpClient) against ttc serve
// over loopback sockets, with integer seeds as a vLLM user would send them.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { HttpRequestError } from "../../lib/llm/http-request-error.ts";
import { OpenAICompatiblePolicy } from "../../lib/llm/openai-compatible-policy.ts";
import { RewardModelVerifier } from "../../lib/llm/reward-model-verifier.ts";
import { generate } from "../../lib/models/generate.ts";
import type { RequestLogEntry, TtcServer } from "../../lib/serve/serve.ts";
import { until } from "../../lib/serve/serve-fixtures.test-util.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";
import { chainDataset, POLICY_NAME, PRM_NAME, serveTiny, tinyModels, type TinyModels } from "./loopback.test-util.ts";

let models: TinyModels;
let server: TtcServer;
const log: RequestLogEntry[] = [];
const [prompt, other] = chainDataset(2).map((p) => p.problem) as [string, string];
const noSleep = { sleep: async () => undefined, maxRetries: 0 };
const policy = (o: Partial<ConstructorParameters<typeof OpenAICompatiblePolicy>[0]> = {}) =>
  new OpenAICompatiblePolicy({ endpoint: server.url, model: POLICY_NAME, countTokens: (t) => CHAIN_TOKENIZER.encode(t).length, http: noSleep, ...o });

beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  models = tinyModels();
  server = await serveTiny(models, { onRequest: (e) => log.push(e) });
});
afterAll(async () => {
  await server?.close();
  models?.dispose();
});

/** What `generate` gives for `prompt` repeated n times under integer seed `seed` (ttc serve: choice i draws from rng(seed).fork("seq-i")). */
function reference(text: string, n: number, seed: number, maxNewTokens: number, stopAtStepEnd: boolean) {
  const ids = Array.from({ length: n }, () => CHAIN_TOKENIZER.encode(text, { bos: true }));
  return generate(models.policy, ids, { maxNewTokens, rng: rng(seed), stopAtStepEnd });
}

describe("OpenAICompatiblePolicy against ttc serve", { timeout: 30_000 }, () => {
  it("samples n continuations in one request with the integer seed of rng.fork('p<i>'): texts, flags, tokens, log-probs", async () => {
    const r = rng(11);
    const out = await policy().sampleSteps([prompt, other], { n: 4, maxTokens: 24, stopAtStepEnd: false, temperature: 1, rng: r });
    for (const [i, text] of [prompt, other].entries()) {
      const seed = rng(11).fork(`p${i}`).seedInt();
      const ref = reference(text, 4, seed, 24, false);
      expect(ref.stopReasons).toContain("eos");
      expect(ref.stopReasons).toContain("length");
      out.samples[i]!.forEach((s, j) => {
        expect(s.seed).toBe(seed);
        expect(s.text).toBe(CHAIN_TOKENIZER.decode(ref.tokens[j]!));
        expect(s.tokens).toBe(ref.tokens[j]!.length);
        expect(s.finished).toBe(ref.stopReasons[j] === "eos");
        expect(s.stepEnded).toBe(false);
        expect(s.finishReason).toBe(ref.stopReasons[j] === "eos" ? "stop" : "length");
        // Log-probs come through JSON unchanged (shortest round-trip doubles), summed in the same order.
        expect(s.logProb).toBe(ref.logProbs[j]!.reduce((a, v) => a + v, 0));
      });
    }
    expect(out.usage.generatedTokens).toBe(out.samples.flat().reduce((a, s) => a + s.tokens, 0));
    expect(out.usage.promptTokens).toBe(4 * (prompt.length + 1) + 4 * (other.length + 1));
  });

  it("stops at the step separator and tells a step end (stop_reason \"\\n\") from EOS; n = 1 goes as its own request", async () => {
    const out = await policy().sampleSteps([prompt], { n: 1, maxTokens: 40, stopAtStepEnd: true, temperature: 1, rng: rng(3) });
    const seed = rng(3).fork("p0-s0").seedInt();
    const ref = reference(prompt, 1, seed, 40, true);
    const s = out.samples[0]![0]!;
    expect(s.text).toBe(CHAIN_TOKENIZER.decode(ref.tokens[0]!));
    expect([s.stepEnded, s.finished]).toEqual([ref.stopReasons[0] === "step", ref.stopReasons[0] === "eos"]);
    // Over several seeds both kinds of stop occur, each reported the way the reference stopped.
    const many = await policy().sampleSteps(Array(12).fill(prompt), { n: 1, maxTokens: 40, stopAtStepEnd: true, temperature: 1, rng: rng(4) });
    const kinds = many.samples.map(([x], i) => {
      const r = reference(prompt, 1, rng(4).fork(`p${i}-s0`).seedInt(), 40, true);
      expect(x!.text).toBe(CHAIN_TOKENIZER.decode(r.tokens[0]!));
      expect(x!.stepEnded).toBe(r.stopReasons[0] === "step");
      expect(x!.text.endsWith("\n")).toBe(r.stopReasons[0] === "step");
      return r.stopReasons[0];
    });
    expect(kinds).toContain("step");
    expect(kinds).toContain("eos");
  });

  it("streams a continuation token by token and cancels it mid-step: the server stops decoding it", async () => {
    const p = policy();
    const before = tf.memory().numTensors;
    const stream = p.streamStep(prompt, { maxTokens: 60, stopAtStepEnd: false, temperature: 1, rng: rng(21) });
    const seed = stream.seed as number;
    const ref = reference(prompt, 1, seed, 60, false);
    // Seed 21 gives a long completion (checked here), so there is something left to cancel after 3 tokens.
    expect(ref.tokens[0]!.length).toBeGreaterThan(10);
    await stream.untilTokens(3);
    stream.cancel();
    const sample = await stream.result;
    expect(sample.finishReason).toBe("cancelled");
    expect(CHAIN_TOKENIZER.decode(ref.tokens[0]!).startsWith(sample.text)).toBe(true);
    await until(() => log.some((e) => e.cancelled && e.path === "/v1/completions"));
    const entry = log.find((e) => e.cancelled)!;
    expect(entry.completionTokens).toBeLessThan(ref.tokens[0]!.length);
    expect(entry.durationMs).toBeGreaterThan(0);
    await until(() => server.stats().decodingJobs === 0);
    // No tensor left behind by the cancelled decode (the decoder may free caches it made earlier, never keep new ones).
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it("a streamed continuation run to its end equals the non-streamed one", async () => {
    const opts = { n: 2, maxTokens: 30, stopAtStepEnd: true, temperature: 1, rng: rng(8) };
    const [a, b] = [await policy({ stream: true }).sampleSteps([prompt], opts), await policy({ splitN: true }).sampleSteps([prompt], opts)];
    expect(a.samples[0]!.map(({ text, tokens, finished, stepEnded, seed }) => ({ text, tokens, finished, stepEnded, seed }))).toEqual(
      b.samples[0]!.map(({ text, tokens, finished, stepEnded, seed }) => ({ text, tokens, finished, stepEnded, seed })),
    );
    expect(a.usage).toEqual(b.usage);
  });

  it("fails at once, naming the field, on a 400 (max_tokens past the context) and on the chat route ttc serve lacks (404)", async () => {
    const err = await policy().sampleSteps([prompt], { n: 1, maxTokens: 500, stopAtStepEnd: false, temperature: 1, rng: rng(1) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
    expect((err as HttpRequestError).status).toBe(400);
    expect((err as HttpRequestError).attempts).toBe(1);
    expect((err as Error).message).toMatch(/max_tokens/);
    const chat = await policy({ api: "chat", http: { maxRetries: 3, sleep: async () => undefined } })
      .sampleSteps([prompt], { n: 1, maxTokens: 5, stopAtStepEnd: false, temperature: 1, rng: rng(1) })
      .catch((e: unknown) => e);
    expect((chat as HttpRequestError).status).toBe(404);
    expect((chat as HttpRequestError).attempts).toBe(1);
  });
});

describe("RewardModelVerifier against ttc serve's /pooling", { timeout: 30_000 }, () => {
  it("with the default step tags, scores every step as the in-process PRM does (solutions not ending in a separator)", async () => {
    const prm = new RewardModelVerifier({ endpoint: `${server.url}/v1`, model: PRM_NAME, http: noSleep });
    const solutions = ["+005=724533\n#352", "+00", "\n\n=1\n2"];
    const [remote, local] = [await prm.scoreSteps(prompt, solutions), await models.verifier.scoreSteps(prompt, solutions)];
    expect(remote.scores.map((s) => s.length)).toEqual([2, 1, 4]);
    expect(remote.scores).toEqual(local.scores);
    expect(remote.usage.tokens).toBe(local.usage.tokens);
  });

  it("with prompt + solution as the input, also solutions that end in a separator (open beams)", async () => {
    const prm = new RewardModelVerifier({ endpoint: server.url, model: PRM_NAME, http: noSleep, formatInput: (p, _s, _t, solution) => p + solution });
    const solutions = ["+005=724533\n", "+005=724533\n-00"];
    expect((await prm.scoreSteps(prompt, solutions)).scores).toEqual((await models.verifier.scoreSteps(prompt, solutions)).scores);
  });
});
