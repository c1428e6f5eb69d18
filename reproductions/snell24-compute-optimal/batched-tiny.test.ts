import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { rng } from "../../lib/core/rng.ts";
import { loadCheckpoint } from "../../lib/models/checkpoint.ts";
import { transformerPolicy } from "../../lib/models/transformer-policy.ts";
import { transformerVerifier } from "../../lib/rewards/reward-model.ts";
import { generateProblems } from "../../lib/tasks/generate-problems.ts";
import { formatPrompt } from "../../lib/tasks/format.ts";
import { batchedTinyPolicy, batchedTinyPrm } from "./batched-tiny.ts";

// The shipped policy-35k stands in for any tiny model: only equality with the unbatched originals matters here.
const policyModel = loadCheckpoint("data/models/policy-35k").model;
const prompts = generateProblems({ rng: rng(5), level: 2, count: 3, split: "test" }).map(formatPrompt);
afterAll(() => policyModel.dispose());

describe("batchedTinyPolicy", () => {
  it("gives transformerPolicy's continuations and usage for concurrent calls with different settings", async () => {
    const before = tf.memory().numTensors;
    const calls = [
      { prefixes: [prompts[0] as string], options: { n: 3, maxTokens: 40, stopAtStepEnd: false, temperature: 1, rng: rng(1) } },
      { prefixes: [prompts[1] as string, `${prompts[2]}+`], options: { n: 2, maxTokens: 12, stopAtStepEnd: true, temperature: 1, rng: rng(2) } },
      { prefixes: [prompts[2] as string], options: { n: 1, maxTokens: 6, stopAtStepEnd: true, temperature: 0, rng: rng(3) } },
    ];
    const plain = transformerPolicy(policyModel, "p");
    const batched = batchedTinyPolicy(policyModel, "p");
    const want = [];
    for (const c of calls) want.push(await plain.sampleSteps(c.prefixes, c.options));
    const got = await Promise.all(calls.map((c) => batched.sampleSteps(c.prefixes, c.options)));
    expect(got).toEqual(want);
    expect(got[1]?.samples[0]?.length).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects a non-positive n with the function's name", async () => {
    const batched = batchedTinyPolicy(policyModel, "p");
    await expect(batched.sampleSteps(["1"], { n: 0, maxTokens: 1, stopAtStepEnd: true, temperature: 1, rng: rng(1) })).rejects.toThrow("batchedTinyPolicy.sampleSteps requires a positive integer n, got 0");
  });
});

describe("batchedTinyPrm", () => {
  it("scores every line as transformerVerifier does, across concurrent calls, and charges the tokens read", async () => {
    const sols = [["+005=724533\n#352", "+0", ""], ["-003=5\n", "#1"]];
    const plain = transformerVerifier(policyModel, { name: "v", kind: "prm" });
    const batched = batchedTinyPrm(policyModel, "v", 2);
    const want = [await plain.scoreSteps(prompts[0] as string, sols[0] as string[]), await plain.scoreSteps(prompts[1] as string, sols[1] as string[])];
    const got = await Promise.all([batched.scoreSteps(prompts[0] as string, sols[0] as string[]), batched.scoreSteps(prompts[1] as string, sols[1] as string[])]);
    got.forEach((g, c) => {
      expect(g.usage).toEqual(want[c]?.usage);
      g.scores.forEach((s, i) => {
        expect(s.length).toBe(want[c]?.scores[i]?.length);
        s.forEach((x, k) => expect(x).toBeCloseTo(want[c]?.scores[i]?.[k] as number, 5));
      });
    });
    // 52-character prompt + BOS, then the solution's characters: 53 + 16 + 53 + 2 + 53 + 0.
    expect(got[0]?.usage.tokens).toBe(177);
    expect(got[0]?.scores[0]?.length).toBe(2);
  });

  it("rejects a bad batch size", () => {
    expect(() => batchedTinyPrm(policyModel, "v", 0)).toThrow("batchedTinyPrm requires a positive integer batchSize, got 0");
  });
});
