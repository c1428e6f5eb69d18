import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { generate } from "./generate.ts";
import { Generation } from "./generation.ts";
import { TINY } from "./models-fixtures.test-util.ts";
import { createTransformer, type Transformer } from "./transformer.ts";

let model: Transformer;
beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  model = createTransformer(TINY, rng("generation"));
});
afterAll(() => model.dispose());

describe("generate with per-sequence options", () => {
  const prompt = [1, 5, 6, 3];

  it("gives a sequence with its own rng the same samples alone and at any row of any batch", () => {
    const mine = { rng: rng("mine"), temperature: 1, topP: 0.9, maxNewTokens: 30 };
    const alone = generate(model, [prompt], { maxNewTokens: 30, sequences: [mine] });
    // Other rows: different prompts (one longer, so the row lockstep differs), temperatures, limits and streams.
    const batched = generate(model, [[1, 9, 9, 9, 9, 9, 3], [1, 7], prompt], {
      maxNewTokens: 30,
      sequences: [{ rng: rng("other-a"), temperature: 0.5, maxNewTokens: 5 }, { temperature: 0 }, { ...mine, rng: rng("mine") }],
    });
    expect(alone.tokens[0]!.length).toBeGreaterThan(1);
    expect(batched.tokens[2]).toEqual(alone.tokens[0]);
    expect(batched.logProbs[2]).toEqual(alone.logProbs[0]);
    expect(batched.stopReasons[2]).toBe(alone.stopReasons[0]);
    expect(batched.generatedTokens[0]).toBeLessThanOrEqual(5);
    // The greedy row is the plain greedy generation of its prompt.
    expect(batched.tokens[1]).toEqual(generate(model, [[1, 7]], { maxNewTokens: 30, temperature: 0 }).tokens[0]);
  });

  it("defaults to rng.fork('seq-i') per row, as before", () => {
    const prompts = [prompt, [1, 8]];
    const shared = generate(model, prompts, { maxNewTokens: 20, rng: rng(5), stopAtEos: false });
    const explicit = generate(model, prompts, { maxNewTokens: 20, stopAtEos: false, sequences: [0, 1].map((i) => ({ rng: rng(5).fork(`seq-${i}`) })) });
    expect(explicit).toEqual(shared);
    expect(shared.generatedTokens).toEqual([20, 20]);
  });

  it("honours per-sequence stopAtEos and maxNewTokens, and rejects a sampling row without an rng", () => {
    const out = generate(model, [prompt, prompt], { maxNewTokens: 40, rng: rng(8), sequences: [{ stopAtEos: false, maxNewTokens: 12 }, {}] });
    expect(out.generatedTokens[0]).toBe(12);
    expect(out.stopReasons[0]).toBe("length");
    expect(() => generate(model, [prompt, prompt], { maxNewTokens: 4, sequences: [{ temperature: 0 }, { temperature: 1 }] })).toThrow(/generate requires an rng unless temperature is 0/);
    expect(() => generate(model, [prompt], { maxNewTokens: 4, temperature: 0, sequences: [] })).toThrow(/one sequences entry per prompt \(1\), got 0/);
  });
});

describe("Generation", () => {
  it("reports sampled rows step by step, exposes the logits behind each log-prob, stops rows on request and frees its tensors", () => {
    const before = tf.memory().numTensors;
    const prompts = [[1, 5], [1, 6, 7, 8]];
    const g = new Generation(model, prompts, { maxNewTokens: 10, rng: rng(2), stopAtEos: false });
    const seen: number[][] = [];
    try {
      while (g.running) {
        const rows = g.step();
        seen.push(rows);
        for (const b of rows) {
          // log p(token) = logit − logSumExp(logits), the model's own (temperature 1) log-prob.
          const logits = Array.from(g.logitsOf(b));
          const max = Math.max(...logits);
          const lse = max + Math.log(logits.reduce((a, x) => a + Math.exp(x - max), 0));
          expect(g.logProbs[b]!.at(-1)!).toBeCloseTo(logits[g.tokens[b]!.at(-1)!]! - lse, 5);
        }
        if (g.tokens[0]!.length === 3) g.stop(0);
      }
    } finally {
      g.dispose();
    }
    // Row 0 samples from step 1 (after its 2-token prompt), row 1 from step 3.
    expect(seen.slice(0, 4)).toEqual([[], [0], [0], [0, 1]]);
    const r = g.result();
    expect(r.stopReasons).toEqual(["stopped", "length"]);
    expect(r.generatedTokens).toEqual([3, 10]);
    expect(r.processedTokens).toBe(2 + 3 - 1 + 4 + 10 - 1);
    // Stopping row 0 by hand leaves row 1 as it would be with row 0 limited to 3 tokens.
    const ref = generate(model, prompts, { maxNewTokens: 10, rng: rng(2), stopAtEos: false, sequences: [{ maxNewTokens: 3 }, {}] });
    expect(r.tokens).toEqual(ref.tokens);
    expect(r.logProbs).toEqual(ref.logProbs);
    expect(tf.memory().numTensors).toBe(before);
  });
});
