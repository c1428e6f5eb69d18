import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { TINY } from "../../lib/models/models-fixtures.test-util.ts";
import { createTransformer, type Transformer } from "../../lib/models/transformer.ts";
import { transformerPolicy } from "../../lib/models/transformer-policy.ts";
import { transformerVerifier } from "../../lib/rewards/reward-model.ts";
import { lockstepPolicy, lockstepVerifier } from "./lockstep-models.ts";

let model: Transformer;
beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  model = createTransformer(TINY, rng(3));
});
afterAll(() => model.dispose());

describe("lockstepPolicy", () => {
  it("concurrent calls (different n, temperatures, token limits and step stopping) return what transformerPolicy returns call by call, usage per call, no tensor leaks", async () => {
    const reference = transformerPolicy(model, "ref");
    const batched = lockstepPolicy(model, "lockstep");
    const calls = [
      { prefixes: ["347+5-8\n", "120-3\n+3=0"], options: { maxTokens: 6, stopAtStepEnd: true, temperature: 1, n: 2, rng: rng(9) } },
      { prefixes: ["5+1\n"], options: { maxTokens: 4, stopAtStepEnd: true, temperature: 0.7, n: 3, rng: rng(10) } },
      { prefixes: ["9-2+4\n"], options: { maxTokens: 9, stopAtStepEnd: false, temperature: 0, n: 1, rng: rng(11) } },
      // A prefix that fills the 96-token context: an empty, finished continuation.
      { prefixes: ["1".repeat(100), "7+1\n"], options: { maxTokens: 4, stopAtStepEnd: true, temperature: 1, n: 2, rng: rng(12) } },
    ];
    const before = tf.memory().numTensors;
    const got = await Promise.all(calls.map((c) => batched.sampleSteps(c.prefixes, c.options)));
    expect(tf.memory().numTensors).toBe(before);
    for (const [i, c] of calls.entries()) expect(got[i]).toEqual(await reference.sampleSteps(c.prefixes, c.options));
    expect(got[3]!.samples[0]).toEqual([0, 1].map(() => ({ text: "", tokens: 0, finished: true, stepEnded: false, logProb: 0 })));
    expect(batched.countTokens("+5=352\n")).toBe(7);
    await expect(batched.sampleSteps(["1\n"], { ...calls[0]!.options, n: 0 })).rejects.toThrow("lockstepPolicy.sampleSteps requires a positive integer n, got 0");
  });
});

describe("lockstepVerifier", () => {
  it.each(["prm", "orm"] as const)("%s: concurrent calls score what transformerVerifier scores (to float32 rounding), tokens per call", async (kind) => {
    const reference = transformerVerifier(model, { name: "ref", kind });
    const batched = lockstepVerifier(model, { name: "lockstep", kind, batchSize: 2 });
    const calls = [
      { prompt: "347+5-8\n", solutions: ["+005=347352\n-008=352344\n#344", "", "+005=3"] },
      { prompt: "12+3\n", solutions: ["+003=012015\n#015"] },
    ];
    const got = await Promise.all(calls.map((c) => batched.scoreSteps(c.prompt, c.solutions)));
    for (const [i, c] of calls.entries()) {
      const want = await reference.scoreSteps(c.prompt, c.solutions);
      expect(got[i]!.usage).toEqual(want.usage);
      expect(got[i]!.scores.map((s) => s.length)).toEqual(want.scores.map((s) => s.length));
      got[i]!.scores.flat().forEach((v, k) => expect(v).toBeCloseTo(want.scores.flat()[k] as number, 5));
    }
    expect(got[0]!.scores[1]).toHaveLength(kind === "prm" ? 0 : 1); // an empty solution: no step to score; the ORM reads the prompt's end
    expect(got[0]!.scores[0]).toHaveLength(kind === "prm" ? 3 : 1); // PRM: two step lines and the answer line
  });
});
