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

describe("Generation with shared and cached prompts", () => {
  const A = [1, 5, 6, 7, 8, 9, 3];
  const B = [1, 9, 4];
  /** Each prompt generated on its own with its row's stream: what every row must reproduce bit for bit. */
  const alone = (prompts: number[][], streams: string[], maxNewTokens: number) =>
    prompts.map((p, i) => generate(model, [p], { maxNewTokens, stopAtEos: false, sequences: [{ rng: rng(streams[i]!) }] }));
  const same = (got: ReturnType<typeof generate>, row: number, want: ReturnType<typeof generate>) => {
    expect(got.tokens[row]).toEqual(want.tokens[0]);
    expect(got.logProbs[row]).toEqual(want.logProbs[0]);
    expect(got.stopReasons[row]).toBe(want.stopReasons[0]);
  };

  it("prefills identical prompts once and forks: every row samples the bits it samples alone, and the prefill is charged once", () => {
    const before = tf.memory().numTensors;
    const prompts = [A, A, B, A];
    const streams = ["r0", "r1", "r2", "r3"];
    const out = generate(model, prompts, { maxNewTokens: 12, stopAtEos: false, sequences: streams.map((s) => ({ rng: rng(s) })) });
    alone(prompts, streams, 12).forEach((want, i) => same(out, i, want));
    expect(out.cachedTokens).toEqual([0, 6, 0, 6]);
    // A's 7 prompt tokens once, the last one again by each of the 2 forks, B's 3, then 11 samples fed back per row.
    expect(out.processedTokens).toBe(7 + 2 + 3 + 4 * 11);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("starts a row from an earlier run's K/V — a strict prefix of the prompt, or all of a cached sequence but its last token — with the same bits", () => {
    const first = new Generation(model, [A], { maxNewTokens: 6, stopAtEos: false, sequences: [{ rng: rng("first") }] });
    while (first.running) first.step();
    const fed = first.fedTokens(0);
    const span = first.readKv(0);
    first.dispose();
    // What went through the model: the prompt and all generated tokens but the last.
    expect(fed).toEqual([...A, ...first.tokens[0]!.slice(0, 5)]);
    expect(span.length).toBe(12);
    const prompts = [[...fed, 4, 5], fed];
    const cache = [{ length: 12, spans: [span] }, { length: 11, spans: [span] }];
    const withCache = generate(model, prompts, { maxNewTokens: 8, stopAtEos: false, sequences: cache.map((c, i) => ({ rng: rng(`c${i}`), cache: c })) });
    const without = generate(model, prompts, { maxNewTokens: 8, stopAtEos: false, sequences: [0, 1].map((i) => ({ rng: rng(`c${i}`) })) });
    expect(withCache.tokens).toEqual(without.tokens);
    expect(withCache.logProbs).toEqual(without.logProbs);
    expect(withCache.stopReasons).toEqual(without.stopReasons);
    expect(withCache.cachedTokens).toEqual([12, 11]);
    expect(without.processedTokens - withCache.processedTokens).toBe(23);
  });

  it("hands a stopped prefilling row's progress to a row waiting for it", () => {
    const streams = ["s0", "s1", "s2"];
    const g = new Generation(model, [A, A, A], { maxNewTokens: 5, stopAtEos: false, sequences: streams.map((s) => ({ rng: rng(s) })) });
    try {
      g.step();
      g.step();
      g.stop(0); // row 0 read 2 prompt tokens for all three
      while (g.running) g.step();
    } finally {
      g.dispose();
    }
    const out = g.result();
    const want = alone([A, A, A], streams, 5);
    [1, 2].forEach((row) => same(out, row, want[row]!));
    expect(out.tokens[0]).toEqual([]);
    expect(out.cachedTokens).toEqual([0, 2, 6]);
    // Row 0: 2 tokens; row 1 the rest of the prompt (5); row 2 the last prompt token; 4 samples fed back by rows 1 and 2.
    expect(out.processedTokens).toBe(2 + 5 + 1 + 2 * 4);
  });

  it("rejects a cached prefix as long as the prompt, or with block top-k attention", () => {
    const span = { length: 3, k: [], v: [] };
    expect(() => generate(model, [B], { maxNewTokens: 2, temperature: 0, sequences: [{ cache: { length: 3, spans: [span] } }] })).toThrow("generate requires a cached prefix shorter than its prompt (3 tokens), got 3");
    const attention = { kind: "block-topk" as const, blockSize: 8, density: 0.5 };
    expect(() => generate(model, [B], { maxNewTokens: 2, temperature: 0, attention, sequences: [{ cache: { length: 1, spans: [span] } }] })).toThrow(/generate requires dense attention with a cached prefix/);
  });
});
