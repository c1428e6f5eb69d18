import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../core/errors.ts";
import { rng } from "../core/rng.ts";
import { toStepSample } from "./completion-protocol.ts";
import { HttpRequestError } from "./http-request-error.ts";
import { MockOpenAIServer, type GenerateRequest } from "./mock-openai-server.test-util.ts";
import { OpenAICompatiblePolicy, type OpenAICompatiblePolicyOptions } from "./openai-compatible-policy.ts";

/** Three steps, the second depending on the seed and choice index, so seeds are visible in the text. */
const SOLUTION = (r: GenerateRequest) => `first ${r.seed % 97}\nsecond ${r.index}\nso \\boxed{7}`;
const LONG = "x".repeat(300);

let mock: MockOpenAIServer;
let slow: MockOpenAIServer;
beforeAll(async () => {
  // A solution continued from wherever the prefix stands ("Q", "Q\n", "Q\nsecond 0\n"); "long": 300 tokens.
  const rest: Record<string, string> = { "Q\n": "second 0\nso \\boxed{7}", "Q\nsecond 0\n": "so \\boxed{7}", long: LONG };
  mock = await MockOpenAIServer.start({ generate: (r) => rest[r.prompt] ?? SOLUTION(r) });
  slow = await MockOpenAIServer.start({ generate: () => LONG, tokenDelayMs: 4 });
});
afterAll(async () => {
  await mock.close();
  await slow.close();
});

function policy(options: Partial<OpenAICompatiblePolicyOptions> = {}, server = mock): OpenAICompatiblePolicy {
  return new OpenAICompatiblePolicy({ endpoint: server.origin, model: "mock-model", http: { sleep: async () => undefined }, ...options });
}

const base = { maxTokens: 100, stopAtStepEnd: false, temperature: 0.7 };
const lastBody = (server = mock) => (server.requests[server.requests.length - 1] as { body: Record<string, unknown> }).body;

describe("OpenAICompatiblePolicy", () => {
  it("samples n continuations in one request, seeded from rng.fork('p<i>'), with log-prob token counts and usage", async () => {
    const p = policy();
    const before = mock.requests.length;
    const out = await p.sampleSteps(["Q: 3+4?"], { ...base, n: 3, topP: 0.9, rng: rng(11) });
    expect(mock.requests.length - before).toBe(1);
    const seed = rng(11).fork("p0").seedInt();
    expect(lastBody()).toMatchObject({ model: "mock-model", prompt: "Q: 3+4?", n: 3, seed, max_tokens: 100, temperature: 0.7, top_p: 0.9, logprobs: 0 });
    expect(lastBody().stop).toBeUndefined();
    const texts = out.samples[0]?.map((s) => s.text);
    expect(texts).toEqual([0, 1, 2].map((index) => SOLUTION({ seed, index } as GenerateRequest)));
    const s0 = out.samples[0]?.[0];
    expect(s0).toMatchObject({ finished: true, stepEnded: false, seed, finishReason: "stop", tokens: texts?.[0]?.length });
    expect(s0?.logProb).toBeCloseTo(-0.5 * (texts?.[0]?.length ?? 0), 10);
    expect(out.usage.promptTokens).toBe(3 * "Q: 3+4?".length);
    expect(out.usage.generatedTokens).toBe(texts?.reduce((a, t) => a + t.length, 0));
  });

  it("seedFormat 'key' sends the key of rng.fork('p<i>') as the seed, one request per prefix even for n = 1", async () => {
    const p = policy({ seedFormat: "key" });
    for (const n of [1, 3]) {
      const before = mock.requests.length;
      const out = await p.sampleSteps(["a", "b"], { ...base, n, rng: rng(3) });
      const sent = mock.requests.slice(before).map((r) => [r.body.prompt, r.body.n, r.body.seed]);
      // Key strings are rng keys: "3" forked by "p<i>" is "3/p<i>" (lib/core/rng.ts fork), what ttc serve turns back into rng("3/p<i>").
      expect(sent.sort()).toEqual([["a", n, "3/p0"], ["b", n, "3/p1"]]);
      expect(out.samples.map((row) => row.map((s) => s.seed))).toEqual([Array(n).fill("3/p0"), Array(n).fill("3/p1")]);
    }
    expect(() => policy({ seedFormat: "text" as "key" })).toThrow(/seedFormat "int" or "key"/);
  });

  it("splitN sends one request per continuation with rng.fork('p<i>-s<j>') seeds; n = 1 matches it", async () => {
    const p = policy({ splitN: true });
    const before = mock.requests.length;
    const out = await p.sampleSteps(["a", "b"], { ...base, n: 2, rng: rng(3) });
    expect(mock.requests.length - before).toBe(4);
    const seeds = out.samples.map((row) => row.map((s) => s.seed));
    expect(seeds).toEqual([0, 1].map((i) => [0, 1].map((j) => rng(3).fork(`p${i}-s${j}`).seedInt())));
    const single = await policy().sampleSteps(["a"], { ...base, n: 1, rng: rng(3) });
    expect(single.samples[0]?.[0]).toEqual(out.samples[0]?.[0]);
  });

  it("stops at the step separator (sent as the stop string) and tells a step end from the end of the solution", async () => {
    const p = policy();
    const step = { ...base, stopAtStepEnd: true, rng: rng(1) };
    const first = (await p.sampleSteps(["Q"], step)).samples[0]?.[0];
    expect(lastBody().stop).toEqual(["\n"]);
    expect(first).toMatchObject({ stepEnded: true, finished: false, finishReason: "stop" });
    expect(first?.text).toMatch(/^first \d+\n$/);
    const prefix = "Q\n";
    const second = (await p.sampleSteps([prefix], step)).samples[0]?.[0];
    expect(second).toMatchObject({ text: "second 0\n", stepEnded: true, finished: false });
    const last = (await p.sampleSteps([prefix + "second 0\n"], step)).samples[0]?.[0];
    expect(last).toMatchObject({ text: "so \\boxed{7}", stepEnded: false, finished: true });
  });

  it("max tokens cut a continuation: neither finished nor at a step end", async () => {
    const out = await policy().sampleSteps(["long"], { ...base, maxTokens: 5, rng: rng(1) });
    expect(out.samples[0]?.[0]).toMatchObject({ text: "xxxxx", tokens: 5, finished: false, stepEnded: false, finishReason: "length" });
  });

  it("talks to /v1/chat/completions with messages and chat log-probs", async () => {
    const p = policy({ api: "chat", toMessages: (prefix) => [{ role: "system", content: "be brief" }, { role: "user", content: prefix }] });
    const before = mock.count("/v1/chat/completions");
    const out = await p.sampleSteps(["Q"], { ...base, n: 2, rng: rng(2) });
    expect(mock.count("/v1/chat/completions") - before).toBe(1);
    expect(lastBody()).toMatchObject({ messages: [{ role: "system", content: "be brief" }, { role: "user", content: "Q" }], logprobs: true, top_logprobs: 0, n: 2 });
    expect(out.samples[0]?.map((s) => s.text)).toEqual([0, 1].map((index) => SOLUTION({ seed: rng(2).fork("p0").seedInt(), index } as GenerateRequest)));
    expect(out.samples[0]?.[1]?.tokens).toBe(out.samples[0]?.[1]?.text.length);
  });

  it("streaming gives the same samples as whole responses (completions and chat)", async () => {
    for (const api of ["completions", "chat"] as const) {
      const opts = { ...base, n: 2, stopAtStepEnd: true, rng: rng(8) };
      const whole = await policy({ api, splitN: true }).sampleSteps(["Q", "Q\n"], opts);
      const streamed = await policy({ api, stream: true }).sampleSteps(["Q", "Q\n"], opts);
      expect(streamed.samples).toEqual(whole.samples);
      expect(lastBody()).toMatchObject({ stream: true, stream_options: { include_usage: true }, n: 1 });
      expect(streamed.usage).toEqual(whole.usage);
    }
  });

  it("a stream can be stopped after τ tokens: the server sees the connection close and stops generating", async () => {
    const p = policy({}, slow);
    const s = p.streamStep("long", { ...base, maxTokens: 1000, rng: rng(4) });
    const reached = await s.untilTokens(10);
    expect(reached).toBeGreaterThanOrEqual(10);
    s.cancel();
    const sample = await s.result;
    expect(sample.finishReason).toBe("cancelled");
    expect(sample).toMatchObject({ finished: false, stepEnded: false, seed: rng(4).fork("p0-s0").seedInt() });
    expect(sample.tokens).toBeLessThan(LONG.length);
    expect(sample.text).toBe("x".repeat(sample.tokens));
    const log = slow.streams[slow.streams.length - 1];
    for (let i = 0; i < 100 && !log?.closedEarly; i++) await new Promise((r) => setTimeout(r, 10));
    expect(log?.closedEarly).toBe(true);
    expect(log?.sent).toBeLessThan(LONG.length);
  });

  it("a stream is read delta by delta, and an abort signal stops it too", async () => {
    const ac = new AbortController();
    const s = policy({}, slow).streamStep("long", { ...base, maxTokens: 1000, rng: rng(4), signal: ac.signal });
    let seen = 0;
    for await (const d of s) {
      seen = d.totalTokens;
      if (seen === 5) ac.abort();
    }
    expect(seen).toBeGreaterThanOrEqual(5);
    expect((await s.result).finishReason).toBe("cancelled");
  });

  it("a stream refused with 503 is retried; one that breaks after its first tokens fails with an HttpRequestError", async () => {
    const p = policy({ stream: true });
    mock.fail("/v1/completions", { status: 503 });
    const ok = await p.sampleSteps(["Q"], { ...base, rng: rng(1) });
    expect(ok.samples[0]?.[0]?.finished).toBe(true);
    // Tokens paced 4 ms apart, so the client has read some before the socket drops.
    slow.fail("/v1/completions", { dropAfterTokens: 3 });
    const e = await policy({ stream: true }, slow).sampleSteps(["Q"], { ...base, rng: rng(1) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpRequestError);
    expect((e as HttpRequestError).kind).toBe("network");
  });

  it("the same rng gives the same request bodies (seeds included)", async () => {
    const p = policy({ splitN: true });
    const run = async () => {
      const before = mock.requests.length;
      await p.sampleSteps(["a", "b"], { ...base, n: 2, rng: rng(77) });
      return mock.requests.slice(before).map((r) => JSON.stringify(r.body)).sort();
    };
    expect(await run()).toEqual(await run());
  });

  it("checks its arguments", async () => {
    expect(() => policy({ endpoint: "localhost:8000" })).toThrow(InvalidArgumentError);
    expect(() => policy({ model: "" })).toThrow("a model name");
    await expect(policy().sampleSteps(["a"], { ...base, n: 0, rng: rng(1) })).rejects.toThrow("a positive integer n, got 0");
    await expect(policy().sampleSteps(["a"], { ...base, topP: 0, rng: rng(1) })).rejects.toThrow("topP in (0, 1], got 0");
    expect(policy({ endpoint: "http://h:1/" }).url).toBe("http://h:1/v1/completions");
    expect(policy({ endpoint: "http://h:1/openai/v1/", api: "chat" }).url).toBe("http://h:1/openai/v1/chat/completions");
  });
});

describe("toStepSample", () => {
  // [finishReason, stopReason, text, stopAtStepEnd] → [text, stepEnded, finished]
  const cases: [string | null, string | number | null | undefined, string, boolean, string, boolean, boolean][] = [
    ["stop", "\n", "a", true, "a\n", true, false], // vLLM: stopped at the separator
    ["stop", null, "a", true, "a", false, true], // vLLM: EOS
    ["stop", null, "a", false, "a", false, true],
    ["length", null, "a", true, "a", false, false],
    ["stop", undefined, "a", true, "a\n", true, false], // no stop_reason field: a non-empty stop is a step end
    ["stop", undefined, "", true, "", false, true], // ... and an empty one the end
    ["stop", undefined, "a\n", true, "a\n", true, false], // server kept the stop string (include_stop_str_in_output)
    ["stop", undefined, "a", false, "a", false, true],
    ["cancelled", undefined, "a", true, "a", false, false],
  ];
  it.each(cases)("finish %s, stop_reason %j, text %j, stopAtStepEnd %s", (finishReason, stopReason, text, stopAtStepEnd, outText, stepEnded, finished) => {
    const s = toStepSample({ text, finishReason, stopReason, tokens: 1, logProb: undefined }, stopAtStepEnd, "\n");
    expect([s.text, s.stepEnded, s.finished]).toEqual([outText, stepEnded, finished]);
  });
});
