import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { loadCheckpoint } from "../models/checkpoint.ts";
import { generate } from "../models/generate.ts";
import type { Transformer } from "../models/transformer.ts";
import type { ScoreStepsResult, Verifier } from "../rewards/verifier.ts";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import { serve, type RequestLogEntry, type TtcServer } from "./serve.ts";
import { postJson, sseEvents, tinyCheckpointDir, until } from "./serve-fixtures.test-util.ts";

/** A deterministic step scorer: step s (0-based) of any solution scores 1/(s + 2); it records each call's prompt. */
function stepVerifier(name: string, calls: string[], gate?: Promise<void>): Verifier {
  return {
    name,
    async scoreSteps(prompt: string, solutions: readonly string[]): Promise<ScoreStepsResult> {
      calls.push(prompt);
      if (gate) await gate;
      const scores = solutions.map((s) => s.split("\n").filter((line) => line.length > 0).map((_, i) => 1 / (i + 2)));
      return { scores, usage: { tokens: solutions.reduce((a, s) => a + prompt.length + s.length, 0) } };
    },
  };
}

let model: Transformer;
let server: TtcServer;
let baseline: number;
const log: RequestLogEntry[] = [];
const verifierCalls: string[] = [];
const url = (path: string) => `${server.url}${path}`;
const encode = (p: string) => CHAIN_TOKENIZER.encode(p, { bos: true });

beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  model = loadCheckpoint(tinyCheckpointDir()).model;
  baseline = tf.memory().numTensors;
  server = await serve({ model, name: "tiny", port: 0, verifier: stepVerifier("prm-test", verifierCalls), onRequest: (e) => log.push(e) });
});
afterAll(async () => {
  await server?.close();
  model?.dispose();
});

describe("POST /v1/completions", () => {
  const request = { model: "tiny", prompt: ["347+5\n", "12-3\n"], n: 4, max_tokens: 30, stop: "\n", seed: 42, logprobs: 2 };

  it("returns n completions per prompt that stop at \\n, with the tokens and log-probs of generate() under the same seed", async () => {
    const { status, body } = await postJson(url("/v1/completions"), request);
    expect(status).toBe(200);
    // The reference: each prompt repeated n times, sequence i drawing from rng(42).fork("seq-i").
    const ids = request.prompt.flatMap((p) => [0, 1, 2, 3].map(() => encode(p)));
    const ref = generate(model, ids, { maxNewTokens: 30, rng: rng(42), stopAtStepEnd: true });
    // Both ways of stopping must occur, or the test would not test them.
    expect(ref.stopReasons).toContain("step");
    expect(ref.stopReasons).toContain("eos");
    expect(body.object).toBe("text_completion");
    expect(body.model).toBe("tiny");
    expect(body.choices).toHaveLength(8);
    body.choices.forEach((c: any, i: number) => {
      const toks = ref.tokens[i]!;
      expect(c.index).toBe(i);
      expect(c.text).toBe(CHAIN_TOKENIZER.decode(toks.filter((t) => t !== CHAIN_TOKENIZER.sep)));
      expect(c.text).not.toContain("\n");
      expect(c.finish_reason).toBe(ref.stopReasons[i] === "length" ? "length" : "stop");
      expect(c.stop_reason).toBe(ref.stopReasons[i] === "step" ? "\n" : null);
      expect(c.logprobs.token_logprobs).toEqual(ref.logProbs[i]);
      expect(c.logprobs.tokens).toEqual(toks.map((t) => CHAIN_TOKENIZER.vocab[t]));
      // Offsets count the characters before each token (PAD/BOS/EOS have none; the stop token sits at the end of the text).
      expect(c.logprobs.text_offset).toEqual(toks.map((_, j) => CHAIN_TOKENIZER.decode(toks.slice(0, j)).length));
      // top_logprobs: the two most likely tokens at each position, from a full forward pass over prompt + completion.
      const seq = [...ids[i]!, ...toks];
      const input = tf.tensor2d([seq], [1, seq.length], "int32");
      const logSoftmax = tf.tidy(() => tf.logSoftmax(model.forward(input)));
      const full = logSoftmax.arraySync() as number[][][];
      tf.dispose([input, logSoftmax]);
      c.logprobs.top_logprobs.forEach((top: Record<string, number>, j: number) => {
        const row = full[0]![ids[i]!.length - 1 + j]!;
        const best = row.map((lp, id) => [lp, id] as const).sort((x, y) => y[0] - x[0]).slice(0, 2);
        expect(Object.keys(top).sort()).toEqual(best.map(([, id]) => CHAIN_TOKENIZER.vocab[id]).sort());
        for (const [lp, id] of best) expect(top[CHAIN_TOKENIZER.vocab[id]!]).toBeCloseTo(lp, 4);
      });
    });
    const promptTokens = encode("347+5\n").length + encode("12-3\n").length;
    const completionTokens = ref.generatedTokens.reduce((a, b) => a + b, 0);
    expect(body.usage).toEqual({ prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens });
  });

  it("reports finish_reason length at max_tokens, and greedy completions equal greedy generate()", async () => {
    const { body } = await postJson(url("/v1/completions"), { prompt: "5+5\n", max_tokens: 3, temperature: 0, ignore_eos: true });
    const ref = generate(model, [encode("5+5\n")], { maxNewTokens: 3, temperature: 0, stopAtEos: false });
    expect(body.choices[0].text).toBe(CHAIN_TOKENIZER.decode(ref.tokens[0]!, { stopAtEos: false }));
    expect(body.choices[0].finish_reason).toBe("length");
    expect(body.choices[0].logprobs).toBeNull();
    expect(body.usage.completion_tokens).toBe(3);
  });

  it("streams chunks that concatenate to the non-streamed text and log-probs, then usage and [DONE]", async () => {
    const req = { ...request, stop: ["\n", "+1"], seed: 8 };
    const whole = (await postJson(url("/v1/completions"), req)).body;
    // This seed ends one choice at "+1" and writes "+" not followed by "1" in another: the stream must hold "+" back, then release it.
    expect(whole.choices.map((c: any) => c.stop_reason)).toContain("+1");
    expect(whole.choices.some((c: any) => c.text.includes("+"))).toBe(true);
    const res = await fetch(url("/v1/completions"), { method: "POST", body: JSON.stringify({ ...req, stream: true, stream_options: { include_usage: true } }) });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const usageChunk = events.at(-2) as any;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual(whole.usage);
    const chunks = events.slice(0, -2) as any[];
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    whole.choices.forEach((c: any) => {
      const mine = chunks.flatMap((ch) => ch.choices).filter((x: any) => x.index === c.index);
      expect(mine.map((x: any) => x.text).join("")).toBe(c.text);
      expect(mine.flatMap((x: any) => x.logprobs.token_logprobs)).toEqual(c.logprobs.token_logprobs);
      expect(mine.flatMap((x: any) => x.logprobs.text_offset)).toEqual(c.logprobs.text_offset);
      expect(mine.map((x: any) => x.finish_reason)).toEqual([...mine.slice(1).map(() => null), c.finish_reason]);
      expect(mine.at(-1).stop_reason).toBe(c.stop_reason);
    });
  });

  it("gives two concurrent seeded requests, batched together, the tokens they get alone", async () => {
    const a = { prompt: "1+2\n", n: 2, seed: 7, top_p: 0.9, max_tokens: 20, stop: "\n", logprobs: 0 };
    const b = { prompt: "999*9\n", n: 3, seed: "a key", temperature: 0.7, max_tokens: 25, ignore_eos: true, logprobs: 0 };
    const aloneA = (await postJson(url("/v1/completions"), a)).body;
    const aloneB = (await postJson(url("/v1/completions"), b)).body;
    // A long window and a batch of exactly 2 + 3 sequences: the batch starts when both have arrived.
    const batchLog: RequestLogEntry[] = [];
    const batching = await serve({ model, name: "tiny", port: 0, batchWindowMs: 60_000, maxBatch: 5, onRequest: (e) => batchLog.push(e) });
    try {
      const post = (body: unknown) => postJson(`${batching.url}/v1/completions`, body).then((r) => r.body);
      const [togetherA, togetherB] = await Promise.all([post(a), post(b)]);
      expect(togetherA.choices).toEqual(aloneA.choices);
      expect(togetherB.choices).toEqual(aloneB.choices);
      expect(togetherB.usage).toEqual(aloneB.usage);
      expect(batchLog.map((e) => e.batch)).toEqual([
        { batch: 1, batchSequences: 5 },
        { batch: 1, batchSequences: 5 },
      ]);
    } finally {
      await batching.close();
    }
    // Sampling really happened (greedy would make the comparison trivial) and seeds matter.
    expect(new Set(aloneB.choices.map((c: any) => c.text)).size).toBeGreaterThan(1);
    const reseeded = (await postJson(url("/v1/completions"), { ...b, seed: "another key" })).body;
    expect(reseeded.choices.map((c: any) => c.text)).not.toEqual(aloneB.choices.map((c: any) => c.text));
  });

  it("stops decoding a streamed request when its client disconnects", async () => {
    const abort = new AbortController();
    const res = await fetch(url("/v1/completions"), {
      method: "POST",
      body: JSON.stringify({ prompt: "1\n", max_tokens: 120, ignore_eos: true, seed: 1, stream: true }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    const before = log.length;
    abort.abort();
    await until(() => log.length > before);
    const entry = log.at(-1)!;
    expect(entry.cancelled).toBe(true);
    expect(entry.completionTokens).toBeGreaterThan(0);
    expect(entry.completionTokens).toBeLessThan(120);
    expect(server.stats().cancelledJobs).toBeGreaterThanOrEqual(1);
  });
});

describe("errors", () => {
  const bad = async (body: unknown) => {
    const r = await postJson(url("/v1/completions"), body);
    expect(r.body.error.type).toBe("invalid_request_error");
    return [r.status, r.body.error.param, r.body.error.message];
  };

  it("answers bad input with 400 naming the field, in OpenAI's error shape", async () => {
    expect(await bad({ prompt: "1+2\n", n: 0 })).toEqual([400, "n", "/v1/completions requires n to be a positive integer, got 0"]);
    expect((await bad({ prompt: "1+x\n" }))[1]).toBe("prompt");
    expect((await bad({ prompt: ["1\n", "y"] }))[2]).toMatch(/requires prompt\[1\] to use only the model's characters .*, got "y" at index 0/);
    expect((await bad({ prompt: "1+2\n", max_tokens: 124 }))[2]).toMatch(/requires max_tokens to be at most 123: the context is 128 tokens and the longest prompt takes 5/);
    expect((await bad({ prompt: "1\n", top_p: 0 }))[1]).toBe("top_p");
    expect((await bad({ prompt: "1\n", stop: [""] }))[1]).toBe("stop");
    expect((await bad({ prompt: "1\n", logprobs: 21 }))[1]).toBe("logprobs");
    expect((await bad({ prompt: "1\n", echo: true }))[1]).toBe("echo");
    expect((await bad({ prompt: "1\n", n: 65 }))[2]).toMatch(/at most 64 sequences per request/);
    expect((await bad({ prompt: 5 }))[1]).toBe("prompt");
    const json = await postJson(url("/v1/completions"), "{not json");
    expect([json.status, json.body.error.code]).toEqual([400, "invalid_json"]);
  });

  it("answers 404 for an unknown model or route, and lists the served models", async () => {
    const r = await postJson(url("/v1/completions"), { model: "gpt-4", prompt: "1\n" });
    expect([r.status, r.body.error.param, r.body.error.code]).toEqual([404, "model", "model_not_found"]);
    const route = await fetch(url("/v1/chat/completions"), { method: "POST", body: "{}" });
    expect(route.status).toBe(404);
    expect((await route.json()).error.code).toBe("not_found");
    const models = await (await fetch(url("/v1/models"))).json();
    expect(models.object).toBe("list");
    expect(models.data.map((m: any) => [m.id, m.object])).toEqual([
      ["tiny", "model"],
      ["prm-test", "model"],
    ]);
    expect((await fetch(url("/v1/models/tiny"))).status).toBe(200);
    expect((await fetch(url("/v1/models/other"))).status).toBe(404);
  });

  it("answers 429 when the queue is full and 503 while shutting down, finishing what it accepted", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const calls: string[] = [];
    const small = await serve({ model, name: "tiny", port: 0, maxQueue: 2, batchWindowMs: 60_000, verifier: stepVerifier("prm", calls, gate) });
    const post = (path: string, body: unknown) => postJson(`${small.url}${path}`, body);
    const queued = [post("/v1/completions", { prompt: "1\n", max_tokens: 4 }), post("/v1/completions", { prompt: "2\n", max_tokens: 4 })];
    await until(() => small.stats().queuedJobs === 2);
    const full = await post("/v1/completions", { prompt: "3\n", max_tokens: 4 });
    expect([full.status, full.body.error.code, full.headers.get("retry-after")]).toEqual([429, "queue_full", "1"]);
    // A pooling request held inside the verifier keeps the server draining.
    const scoring = post("/pooling", { input: "1+2\n+2=1030" });
    await until(() => calls.length === 1);
    const closing = small.close();
    const refused = await post("/v1/completions", { prompt: "4\n", max_tokens: 4 });
    expect([refused.status, refused.body.error.code]).toEqual([503, "server_shutting_down"]);
    open();
    expect((await Promise.all(queued)).map((r) => r.status)).toEqual([200, 200]);
    expect((await scoring).status).toBe(200);
    await closing;
    await expect(fetch(`${small.url}/health`)).rejects.toThrow();
  });
});

describe("POST /pooling", () => {
  it("returns the verifier's step scores in vLLM's pooling shape, one verifier call per prompt", async () => {
    verifierCalls.length = 0;
    const input = ["1+2\n+2=1030\n#003", "1+2\n+1=1030", "5*5\n*5=5250\n-1=4240\n#024"];
    const { status, body } = await postJson(url("/pooling"), { model: "prm-test", input });
    expect(status).toBe(200);
    expect(verifierCalls).toEqual(["1+2\n", "5*5\n"]);
    expect(body.object).toBe("list");
    expect(body.model).toBe("prm-test");
    expect(body.data).toEqual([
      { index: 0, object: "pooling", data: [[1 / 2, 1 / 2], [1 - 1 / 3, 1 / 3]] },
      { index: 1, object: "pooling", data: [[1 / 2, 1 / 2]] },
      { index: 2, object: "pooling", data: [[1 / 2, 1 / 2], [1 - 1 / 3, 1 / 3], [1 - 1 / 4, 1 / 4]] },
    ]);
    const tokens = input.reduce((a, s) => a + s.length, 0);
    expect(body.usage).toEqual({ prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens });
    const chat = await postJson(url("/pooling"), { messages: [{ role: "user", content: "1+2\n" }, { role: "assistant", content: "+2=1030\n#003" }] });
    expect(chat.body.data[0].data).toEqual(body.data[0].data);
    // A PRM-style input with a step tag after each step (RewardModelVerifier's default layout) scores the same steps.
    const tagged = await postJson(url("/pooling"), { input: ["1+2\n\n+2=1030<extra_0>#003<extra_0>"], task: "token_classify" });
    expect(tagged.body.data[0].data).toEqual(body.data[0].data);
  });

  it("refuses another model, both or neither of input and messages, and base64", async () => {
    const err = async (b: unknown) => ((r) => [r.status, r.body.error.param])(await postJson(url("/pooling"), b));
    expect(await err({ model: "tiny", input: "1\n" })).toEqual([404, "model"]);
    expect(await err({ input: "1\n", messages: [] })).toEqual([400, "input"]);
    expect(await err({})).toEqual([400, "input"]);
    expect(await err({ input: "1\n", encoding_format: "base64" })).toEqual([400, "encoding_format"]);
    expect(await err({ messages: [{ role: "user", content: "1\n" }, { role: "user", content: "x" }] })).toEqual([400, "messages"]);
  });
});

describe("tensors", () => {
  it("are back to the count before the server started", () => {
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
