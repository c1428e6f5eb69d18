import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TtcError } from "../core/errors.ts";
import { HttpRequestError } from "./http-request-error.ts";
import { LlmJudgeVerifier, parseJudgeScore } from "./llm-judge-verifier.ts";
import { MockOpenAIServer } from "./mock-openai-server.test-util.ts";
import { RewardModelVerifier } from "./reward-model-verifier.ts";
import { splitSteps } from "./split-steps.ts";

const TAG = "<extra_0>";
/** A PRM stand-in: one [p_bad, p_good] row per step tag (<extra_0>, or Math-Shepherd's ки), p_good = 0.9 for a step containing "ok", else 0.2 (vLLM STEP pooling with a 2-label softmax). */
function prmRows(input: string): number[][] {
  const parts = input.split(input.includes("ки") ? "ки" : TAG).slice(0, -1);
  return parts.map((p) => (p.endsWith("ok") ? [0.1, 0.9] : [0.8, 0.2]));
}

let mock: MockOpenAIServer;
beforeAll(async () => {
  mock = await MockOpenAIServer.start({
    pooling: (input) => (input.includes("OUTCOME") ? [0.3, 0.7] : input.includes("RAW") ? [[2.0], [-1.0]] : prmRows(input)),
    generate: (r) => (r.prompt.includes("GOOD") ? "All steps check out.\nScore: 9" : r.prompt.includes("MUMBLE") ? "hard to say" : "Step 2 is wrong.\n**Score:** 2"),
  });
});
afterAll(() => mock.close());
const noSleep = { sleep: async () => undefined };

describe("splitSteps", () => {
  it.each([
    ["a\nb\n", ["a", "b"]],
    ["a\nb", ["a", "b"]],
    ["", []],
    ["a", ["a"]],
    ["a\n\nb", ["a", "", "b"]],
  ])("%j", (text, steps) => expect(splitSteps(text, "\n")).toEqual(steps));
});

describe("RewardModelVerifier (vLLM /pooling)", () => {
  it("sends the problem with every step followed by the step tag, and reads one score per step", async () => {
    const prm = new RewardModelVerifier({ endpoint: mock.baseUrl, model: "prm", http: noSleep });
    const before = mock.count("/pooling");
    const out = await prm.scoreSteps("P", ["s1 ok\ns2 bad\ns3 ok\n", "only ok", ""]);
    expect(mock.count("/pooling") - before).toBe(1);
    const body = mock.requests[mock.requests.length - 1]?.body;
    expect(body).toEqual({ model: "prm", input: [`P\ns1 ok${TAG}s2 bad${TAG}s3 ok${TAG}`, `P\nonly ok${TAG}`] });
    expect(out.scores).toEqual([[0.9, 0.2, 0.9], [0.9], []]);
    expect(out.usage.tokens).toBe((body?.input as string[]).reduce((a, s) => a + s.length, 0));
  });

  it("batches inputs and keeps solution order; honours a custom separator, tag and task", async () => {
    const prm = new RewardModelVerifier({ endpoint: mock.origin, model: "prm", stepSeparator: "\n\n", stepTag: "ки", batchSize: 2, task: "token_classify", positiveIndex: 0, http: noSleep });
    const before = mock.count("/pooling");
    const sols = ["x ok\n\ny", "a\n\nb\n\nc", "z"];
    const out = await prm.scoreSteps("Q", sols);
    expect(mock.count("/pooling") - before).toBe(2);
    expect(mock.requests[mock.requests.length - 1]?.body.task).toBe("token_classify");
    expect(mock.requests.slice(-2).flatMap((r) => r.body.input as string[])).toEqual(["Q\nx okкиyки", "Q\naкиbкиcки", "Q\nzки"]);
    expect(out.scores).toEqual([[0.1, 0.8], [0.8, 0.8, 0.8], [0.8]]);
  });

  it("hands formatInput the solution as written (trailing separator kept) beside its steps", async () => {
    const seen: unknown[] = [];
    const prm = new RewardModelVerifier({
      endpoint: mock.origin,
      model: "prm",
      http: noSleep,
      formatInput: (p, steps, tag, solution) => (seen.push([steps, solution]), `${p}\n${steps.join(tag)}${tag}`),
    });
    await prm.scoreSteps("P", ["a ok\nb ok\n", "a ok\nb ok"]);
    expect(seen).toEqual([
      [["a ok", "b ok"], "a ok\nb ok\n"],
      [["a ok", "b ok"], "a ok\nb ok"],
    ]);
  });

  it("refuses a response with the wrong number of step scores, naming the step tag", async () => {
    const prm = new RewardModelVerifier({ endpoint: mock.origin, model: "prm", stepTag: "<step>", http: noSleep });
    await expect(prm.scoreSteps("Q", ["a\nb"])).rejects.toThrow(/returned 0 scores for the 2 steps of solution 0; the step tag "<step>"/);
  });

  it("outcome mode: one score per solution from a row of class probabilities", async () => {
    const orm = new RewardModelVerifier({ endpoint: mock.origin, model: "orm", mode: "outcome", http: noSleep });
    const out = await orm.scoreSteps("OUTCOME", ["a\nb", "c"]);
    expect(out.scores).toEqual([[0.7], [0.7]]);
    expect(mock.requests[mock.requests.length - 1]?.body.input).toEqual(["OUTCOME\na\nb", "OUTCOME\nc"]);
  });

  it("scores outside [0, 1] are an error unless toScore maps them", async () => {
    const raw = new RewardModelVerifier({ endpoint: mock.origin, model: "prm", formatInput: (p, steps) => `RAW ${p} ${steps.join("|")}`, http: noSleep });
    await expect(raw.scoreSteps("Q", ["a\nb"])).rejects.toThrow(/a score of 2, outside \[0, 1\]; pass toScore/);
    const sigmoid = new RewardModelVerifier({ endpoint: mock.origin, model: "prm", formatInput: (p, steps) => `RAW ${p} ${steps.join("|")}`, toScore: (v) => 1 / (1 + Math.exp(-(v as number[])[0]!)), http: noSleep });
    const out = await sigmoid.scoreSteps("Q", ["a\nb"]);
    expect(out.scores[0]?.[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(out.scores[0]?.[1]).toBeCloseTo(1 / (1 + Math.exp(1)), 12);
  });

  it("retries a 503 and fails a 404 with the URL", async () => {
    const prm = new RewardModelVerifier({ endpoint: mock.origin, model: "prm", http: noSleep });
    mock.fail("/pooling", { status: 503 });
    expect((await prm.scoreSteps("P", ["ok"])).scores).toEqual([[0.9]]);
    const wrong = new RewardModelVerifier({ endpoint: mock.origin, url: `${mock.origin}/v1/pooling`, model: "prm", http: noSleep });
    const e = await wrong.scoreSteps("P", ["ok"]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpRequestError);
    expect((e as HttpRequestError).message).toContain(`${mock.origin}/v1/pooling failed with HTTP 404`);
  });
});

describe("LlmJudgeVerifier", () => {
  it("reads the last score from the judge's reply", () => {
    expect(parseJudgeScore("Score: 3 ... on reflection, Score: 7")).toBe(7);
    expect(parseJudgeScore("**Score:** 8.5")).toBe(8.5);
    expect(parseJudgeScore("score = 4/10")).toBe(4);
    expect(parseJudgeScore("The final score is 6")).toBe(6);
    expect(parseJudgeScore("no number here")).toBeNull();
  });

  it("asks the chat endpoint once per solution and maps the score onto [0, 1]", async () => {
    const judge = new LlmJudgeVerifier({ endpoint: mock.origin, model: "judge", http: noSleep });
    const before = mock.count("/v1/chat/completions");
    const out = await judge.scoreSteps("What is 2+2?", ["GOOD: 4", "bad: 5"]);
    expect(mock.count("/v1/chat/completions") - before).toBe(2);
    expect(out.scores).toEqual([[0.9], [0.2]]);
    const bodies = mock.requests.slice(-2).map((r) => r.body);
    const content = (bodies.find((b) => JSON.stringify(b).includes("GOOD"))?.messages as { content: string }[])[0]?.content;
    expect(content).toContain("Problem:\nWhat is 2+2?");
    expect(content).toContain("Solution:\nGOOD: 4");
    expect(bodies[0]).toMatchObject({ model: "judge", temperature: 0, seed: 0 });
    expect(out.usage.tokens).toBeGreaterThan(0);
  });

  it("takes a custom prompt and scale; an unreadable reply is an error unless unparsedScore is set", async () => {
    const custom = new LlmJudgeVerifier({ endpoint: mock.origin, model: "judge", prompt: "Grade {solution} for {problem}", scale: [0, 9], http: noSleep });
    expect((await custom.scoreSteps("P", ["GOOD"])).scores).toEqual([[1]]);
    expect((mock.requests[mock.requests.length - 1]?.body.messages as { content: string }[])[0]?.content).toBe("Grade GOOD for P");
    const strict = new LlmJudgeVerifier({ endpoint: mock.origin, model: "judge", http: noSleep });
    await expect(strict.scoreSteps("P", ["MUMBLE"])).rejects.toThrow(TtcError);
    await expect(strict.scoreSteps("P", ["MUMBLE"])).rejects.toThrow(/has no score \(set unparsedScore/);
    const lenient = new LlmJudgeVerifier({ endpoint: mock.origin, model: "judge", unparsedScore: 0.5, http: noSleep });
    expect((await lenient.scoreSteps("P", ["MUMBLE"])).scores).toEqual([[0.5]]);
    const narrow = new LlmJudgeVerifier({ endpoint: mock.origin, model: "judge", scale: [0, 5], http: noSleep });
    await expect(narrow.scoreSteps("P", ["GOOD"])).rejects.toThrow("a score of 9, outside its scale [0, 5]");
  });
});
