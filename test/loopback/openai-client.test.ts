// Issue 7, tests 4b: ttc serve against the official `openai` npm client, unmodified — an implementation of the
// protocol written by others. Completions with n, stop, seed, logprobs and streaming; models; error classes.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { generate } from "../../lib/models/generate.ts";
import type { RequestLogEntry, TtcServer } from "../../lib/serve/serve.ts";
import { until } from "../../lib/serve/serve-fixtures.test-util.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";
import { chainDataset, POLICY_NAME, serveTiny, tinyModels, type TinyModels } from "./loopback.test-util.ts";

let models: TinyModels;
let server: TtcServer;
let full: TtcServer;
let client: OpenAI;
const log: RequestLogEntry[] = [];
const [prompt, other] = chainDataset(2).map((p) => p.problem) as [string, string];

beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  models = tinyModels();
  server = await serveTiny(models, { onRequest: (e) => log.push(e) });
  // A server whose queue takes nothing: every completion is refused with 429.
  full = await serveTiny(models, { maxQueue: 0 });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0, timeout: 30_000 });
});
afterAll(async () => {
  await server?.close();
  await full?.close();
  models?.dispose();
});

/** The reference for one prompt repeated n times under seed `seed`: choice i draws from rng(seed).fork("seq-i"). */
function reference(text: string, n: number, seed: number, maxNewTokens: number, stopAtStepEnd: boolean) {
  const ids = Array.from({ length: n }, () => CHAIN_TOKENIZER.encode(text, { bos: true }));
  return generate(models.policy, ids, { maxNewTokens, rng: rng(seed), stopAtStepEnd });
}

describe("the official openai client against ttc serve", { timeout: 30_000 }, () => {
  it("lists the served model", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain(POLICY_NAME);
    expect((await client.models.retrieve(POLICY_NAME)).id).toBe(POLICY_NAME);
  });

  it("completions.create with n, stop, seed and logprobs: the reference's tokens, text cut before the stop string", async () => {
    const res = await client.completions.create({ model: POLICY_NAME, prompt, n: 6, max_tokens: 30, stop: "\n", seed: 42, logprobs: 1 });
    const ref = reference(prompt, 6, 42, 30, true);
    expect(ref.stopReasons).toContain("step");
    expect(ref.stopReasons).toContain("eos");
    expect(res.object).toBe("text_completion");
    expect(res.choices.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    res.choices.forEach((c, i) => {
      const toks = ref.tokens[i]!;
      expect(c.text).toBe(CHAIN_TOKENIZER.decode(toks.filter((t) => t !== CHAIN_TOKENIZER.sep)));
      expect(c.finish_reason).toBe(ref.stopReasons[i] === "length" ? "length" : "stop");
      expect(c.logprobs?.token_logprobs).toEqual(ref.logProbs[i]);
      expect(c.logprobs?.tokens).toEqual(toks.map((t) => CHAIN_TOKENIZER.vocab[t]));
      expect(c.logprobs?.top_logprobs?.every((top) => Object.keys(top).length === 1)).toBe(true);
    });
    expect(res.usage).toEqual({ prompt_tokens: prompt.length + 1, completion_tokens: ref.generatedTokens.reduce((a, v) => a + v, 0), total_tokens: prompt.length + 1 + ref.generatedTokens.reduce((a, v) => a + v, 0) });
  });

  it("takes a list of prompts: choice i of prompt p at index p·n + i", async () => {
    const res = await client.completions.create({ model: POLICY_NAME, prompt: [prompt, other], n: 2, max_tokens: 12, seed: 5 });
    const ids = [prompt, prompt, other, other].map((p) => CHAIN_TOKENIZER.encode(p, { bos: true }));
    const ref = generate(models.policy, ids, { maxNewTokens: 12, rng: rng(5) });
    expect(res.choices.map((c) => [c.index, c.text])).toEqual(ref.tokens.map((t, i) => [i, CHAIN_TOKENIZER.decode(t)]));
  });

  it("streams: the chunks of each choice add up to the non-streamed text, and the last chunk carries the usage", async () => {
    const body = { model: POLICY_NAME, prompt, n: 3, max_tokens: 30, stop: ["\n"], seed: 9 };
    const whole = await client.completions.create(body);
    const stream = await client.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    const texts = ["", "", ""];
    const finish: (string | null)[] = [null, null, null];
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      for (const c of chunk.choices) {
        texts[c.index] += c.text;
        if (c.finish_reason) finish[c.index] = c.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(texts).toEqual(whole.choices.map((c) => c.text));
    expect(finish).toEqual(whole.choices.map((c) => c.finish_reason));
    expect(chunks).toBeGreaterThan(3);
    expect(usage).toEqual(whole.usage);
  });

  it("aborting a stream cancels the request on the server", async () => {
    // The first seed whose completion runs to the 60-token limit, so that there is plenty left to cancel.
    const seed = Array.from({ length: 100 }, (_, s) => s).find((s) => reference(prompt, 1, s, 60, false).stopReasons[0] === "length") as number;
    const seen = log.length;
    const stream = await client.completions.create({ model: POLICY_NAME, prompt, max_tokens: 60, seed, stream: true });
    let got = 0;
    for await (const chunk of stream) {
      got += chunk.choices.length;
      if (got >= 3) break; // leaving the loop aborts the stream's controller
    }
    await until(() => log.slice(seen).some((e) => e.path === "/v1/completions" && e.cancelled));
    const entry = log.slice(seen).find((e) => e.cancelled)!;
    expect(entry.completionTokens).toBeLessThan(60);
  });

  it("maps ttc serve's errors onto the client's error classes: 400, 404 and 429", async () => {
    const bad = await client.completions.create({ model: POLICY_NAME, prompt, max_tokens: 500 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("max_tokens");
    expect((bad as Error).message).toMatch(/max_tokens/);
    const odd = await client.completions.create({ model: POLICY_NAME, prompt: "hello?", max_tokens: 5 }).catch((e: unknown) => e);
    expect(odd).toBeInstanceOf(OpenAI.BadRequestError);
    const missing = await client.completions.create({ model: "gpt-4o", prompt, max_tokens: 5 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    const busy = new OpenAI({ baseURL: `${full.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const limited = await busy.completions.create({ model: POLICY_NAME, prompt, max_tokens: 5 }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after")).toBe("1");
  });
});
