import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import { generate } from "./generate.ts";
import { TINY } from "./models-fixtures.test-util.ts";
import { createTransformer, type Transformer } from "./transformer.ts";
import { transformerPolicy } from "./transformer-policy.ts";

let model: Transformer;
beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  model = createTransformer(TINY, rng(3));
});
afterAll(() => model.dispose());

describe("transformerPolicy", () => {
  it("returns n continuations per prefix equal to direct generation from rng.fork('p<i>').fork('seq-<j>'), with usage counts, and leaks no tensors", async () => {
    const policy = transformerPolicy(model, "tiny");
    const prefixes = ["347+5-8\n", "120-3\n+3=0"];
    const before = tf.memory().numTensors;
    const res = await policy.sampleSteps(prefixes, { maxTokens: 6, stopAtStepEnd: true, temperature: 1, n: 2, rng: rng(9) });
    expect(tf.memory().numTensors).toBe(before);
    expect(res.samples.map((s) => s.length)).toEqual([2, 2]);
    const ids = prefixes.flatMap((p) => [0, 1].map(() => CHAIN_TOKENIZER.encode(p, { bos: true })));
    // Continuation j of prefix i: rng.fork("p<i>").fork("seq-<j>") — the stream ttc serve gives choice j of a request seeded with rng.fork("p<i>").key.
    const sequences = [0, 1].flatMap((i) => [0, 1].map((j) => ({ rng: rng(9).fork(`p${i}`).fork(`seq-${j}`) })));
    const direct = generate(model, ids, { maxNewTokens: 6, temperature: 1, topP: 1, stopAtStepEnd: true, sequences });
    res.samples.flat().forEach((s, b) => {
      expect(s.tokens).toBe(direct.tokens[b]!.length);
      expect(s.text).toBe(CHAIN_TOKENIZER.decode(direct.tokens[b]!));
      expect(s.stepEnded).toBe(direct.stopReasons[b] === "step");
      expect(s.finished).toBe(direct.stopReasons[b] === "eos");
    });
    expect(res.usage.generatedTokens).toBe(direct.generatedTokens.reduce((a, v) => a + v, 0));
    expect(res.usage.promptTokens).toBe(ids.reduce((a, p) => a + p.length, 0));
    expect(policy.countTokens("+5=352\n")).toBe(7);
  });

  it("draws continuation j of prefix i from its own (i, j) stream, whatever the other prefixes and n are", async () => {
    const policy = transformerPolicy(model, "tiny");
    const opts = { maxTokens: 6, stopAtStepEnd: false, temperature: 1, rng: rng(5) };
    const both = await policy.sampleSteps(["500+1\n", "120-3\n"], { ...opts, n: 3 });
    // Prefix 1 again, beside another prefix 0 and with n = 2: its two continuations repeat (batch rows 2–3 here, 3–4 before).
    const other = await policy.sampleSteps(["9*2\n", "120-3\n"], { ...opts, n: 2 });
    expect(other.samples[1]).toEqual(both.samples[1]!.slice(0, 2));
    // Different (i, j) give different streams: with 6 free tokens from a random model, 6 texts are not all one.
    expect(new Set(both.samples.flat().map((s) => s.text)).size).toBeGreaterThan(1);
  });

  it("is deterministic for a seed", async () => {
    const policy = transformerPolicy(model, "tiny");
    const opts = { maxTokens: 5, stopAtStepEnd: false, temperature: 1, n: 3, rng: rng(4) };
    const a = await policy.sampleSteps(["500+1\n"], opts);
    const b = await policy.sampleSteps(["500+1\n"], { ...opts, rng: rng(4) });
    expect(a).toEqual(b);
  });

  it("ends a solution that fills the context: finished, and a prefix already at maxLen gets an empty finished continuation", async () => {
    const policy = transformerPolicy(model, "tiny");
    const prompt = "500+1\n";
    const room = TINY.maxLen - CHAIN_TOKENIZER.encode(prompt, { bos: true }).length;
    const full = prompt + "0".repeat(room); // BOS + this = maxLen tokens
    const r = await policy.sampleSteps([prompt, full], { maxTokens: 10 * room, stopAtStepEnd: false, temperature: 0, rng: rng(1) });
    const [open, closed] = [r.samples[0]![0]!, r.samples[1]![0]!];
    if (!open.finished) throw new Error("a continuation that runs to the end of the context must be finished");
    expect(open.tokens).toBeLessThanOrEqual(room);
    expect(closed).toEqual({ text: "", tokens: 0, finished: true, stepEnded: false, logProb: 0 });
  });
});
