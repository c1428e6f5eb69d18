import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { spanCounts } from "../cost/attention-span.ts";
import { decoderAttentionSpan, type DecoderAttention } from "./decoder-attention.ts";
import { generate } from "./generate.ts";
import { Generation } from "./generation.ts";
import { KvDecoder } from "./kv-decoder.ts";
import { TINY } from "./models-fixtures.test-util.ts";
import { createTransformer, type Transformer } from "./transformer.ts";

/** GQA (4 query heads, 2 KV heads) so that per-KV-group selection is exercised. */
let model: Transformer;
beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  model = createTransformer({ ...TINY, kvHeads: 2 }, rng("sparse-decoder"));
  // Sharper logits than the init's, so greedy paths are not near ties.
  model.param("tok_emb").assign(tf.mul(model.param("tok_emb"), 25));
});
afterAll(() => model.dispose());

const STEPS = 70;
/** Two ragged rows: row 1 starts 9 steps late, so the rows sit at different positions in every step. */
function rows(): number[][] {
  const r = rng("rows");
  return [0, 1].map(() => Array.from({ length: STEPS }, () => r.int(TINY.vocabSize)));
}

/** Step a decoder through both rows; calls `each(t, logits, decoder, active)` after every step. */
function drive(dec: KvDecoder, each: (t: number, logits: Float32Array, active: boolean[]) => void, sparse?: (t: number) => boolean[]): void {
  const xs = rows();
  for (let t = 0; t < STEPS + 9; t++) {
    const active = [t < STEPS, t >= 9];
    const logits = dec.step([xs[0]![Math.min(t, STEPS - 1)]!, xs[1]![Math.max(0, t - 9)]!], active, sparse?.(t));
    each(t, logits, active);
  }
}

const blockTopK = (density: number): DecoderAttention => ({ kind: "block-topk", blockSize: 8, density, sinks: 4, window: 8 });

describe("KvDecoder with block top-k attention", () => {
  it("density 1 gives the dense decoder's logits to 1e-5 at every step and leaks no tensors", () => {
    const before = tf.memory().numTensors;
    const dense = new KvDecoder(model, 2);
    const sparse = new KvDecoder(model, 2, { attention: blockTopK(1) });
    const want: Float32Array[] = [];
    drive(dense, (_t, logits) => want.push(logits));
    let worst = 0;
    drive(sparse, (t, logits, active) => {
      for (let b = 0; b < 2; b++) {
        if (!active[b]) continue;
        for (let v = 0; v < TINY.vocabSize; v++) worst = Math.max(worst, Math.abs(logits[b * TINY.vocabSize + v]! - want[t]![b * TINY.vocabSize + v]!));
        expect(sparse.attendedKeys(b)).toBe(sparse.positions[b]); // everything kept
      }
    });
    expect(worst).toBeLessThan(1e-5);
    dense.dispose();
    sparse.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([0.25, 0.5])("density %s keeps per step exactly the keys lib/cost's block-aligned span counts, and drops some", (density) => {
    const attention = blockTopK(density);
    const span = decoderAttentionSpan(attention);
    const dec = new KvDecoder(model, 2, { attention });
    const dense = new KvDecoder(model, 2);
    const want: Float32Array[] = [];
    drive(dense, (_t, logits) => want.push(logits));
    let dropped = 0;
    let differs = 0;
    drive(dec, (t, logits, active) => {
      for (let b = 0; b < 2; b++) {
        if (!active[b]) continue;
        const keys = dec.positions[b]!;
        const kept = dec.attendedKeys(b);
        expect(kept, `row ${b}, ${keys} keys`).toBe(spanCounts(span, keys).attended);
        if (kept < keys) dropped++;
        if (Math.abs(logits[b * TINY.vocabSize]! - want[t]![b * TINY.vocabSize]!) > 1e-4) differs++;
      }
    });
    // Hand check of one point: 70 keys, blocks of 8 → sinks [0, 8), window [56, 70), ⌈ρ·9⌉ of the 6 blocks between.
    expect(spanCounts(span, 70).attended).toBe(8 + 14 + 8 * Math.ceil(density * 9));
    expect(dropped).toBeGreaterThan(20);
    expect(differs).toBeGreaterThan(0);
    dec.dispose();
    dense.dispose();
  });

  it("rows that read their prompt attend densely: logits equal the dense decoder's while `sparse` is false", () => {
    const dec = new KvDecoder(model, 2, { attention: blockTopK(0.25) });
    const dense = new KvDecoder(model, 2);
    const want: Float32Array[] = [];
    drive(dense, (_t, logits) => want.push(logits));
    drive(
      dec,
      (t, logits, active) => {
        for (let b = 0; b < 2; b++) {
          if (!active[b]) continue;
          expect(dec.attendedKeys(b)).toBe(dec.positions[b]);
          for (let v = 0; v < TINY.vocabSize; v++) expect(Math.abs(logits[b * TINY.vocabSize + v]! - want[t]![b * TINY.vocabSize + v]!)).toBeLessThan(1e-5);
        }
      },
      () => [false, false],
    );
    dec.dispose();
    dense.dispose();
  });

  it("reset gives a row a fresh cache: its next sequence decodes as in a new decoder", () => {
    const attention = blockTopK(0.25);
    const used = new KvDecoder(model, 1, { attention });
    for (let t = 0; t < 40; t++) used.step([t % TINY.vocabSize]);
    used.reset(0);
    const fresh = new KvDecoder(model, 1, { attention });
    for (let t = 0; t < 50; t++) {
      const tok = (7 * t + 3) % TINY.vocabSize;
      expect(Array.from(used.step([tok]))).toEqual(Array.from(fresh.step([tok])));
    }
    used.dispose();
    fresh.dispose();
  });

  it("refuses a malformed attention option", () => {
    expect(() => new KvDecoder(model, 1, { attention: { kind: "block-topk", blockSize: 8 } })).toThrow("KvDecoder requires attention with one of topK and density");
    expect(() => new KvDecoder(model, 1, { attention: { kind: "block-topk", blockSize: 8, density: 1.5 } })).toThrow("KvDecoder requires attention with 0 < density <= 1, got 1.5");
    expect(() => new KvDecoder(model, 1, { attention: { kind: "block-topk", blockSize: 8, topK: 2, window: 0 } })).toThrow(/KvDecoder requires attention with integer blockSize >= 1, sinks >= 0 and window >= 1/);
  });
});

describe("generate with block top-k attention", () => {
  const prompts = [[1, 6, 8, 4, 16, 7, 3, 9, 9, 12, 4, 5, 6, 3], [1, 9, 9, 9, 3]];

  it("density 1 gives the dense greedy tokens, log-probs within 1e-5, and the dense decode-key count", () => {
    const opts = { maxNewTokens: 60, temperature: 0, stopAtEos: false };
    const dense = new Generation(model, prompts, opts);
    while (dense.running) dense.step();
    dense.dispose();
    const before = tf.memory().numTensors;
    const sparse = new Generation(model, prompts, { ...opts, attention: blockTopK(1) });
    while (sparse.running) sparse.step();
    sparse.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const [a, b] = [dense.result(), sparse.result()];
    expect(b.tokens).toEqual(a.tokens);
    a.logProbs.forEach((lp, i) => lp.forEach((x, j) => expect(Math.abs(x - b.logProbs[i]![j]!)).toBeLessThan(1e-5)));
    // Dense decode steps feed generated tokens 1 … 59 at positions p … p + 58: Σ (p + i) keys, i = 1 … 59.
    prompts.forEach((p, i) => {
      const want = Array.from({ length: 59 }, (_, j) => p.length + j + 1).reduce((x, y) => x + y, 0);
      expect(dense.decodeKeys[i]).toBe(want);
      expect(sparse.decodeKeys[i]).toBe(want);
    });
  });

  it("density 1/4: the keys of every decode step sum to lib/cost's count; sampling is reproducible and its log-probs differ from dense", () => {
    const attention = blockTopK(0.25);
    const span = decoderAttentionSpan(attention);
    const opts = { maxNewTokens: 70, temperature: 1, stopAtEos: false, rng: rng(3) };
    const g = new Generation(model, prompts, { ...opts, attention });
    while (g.running) g.step();
    g.dispose();
    const r = g.result();
    prompts.forEach((p, i) => {
      let want = 0;
      for (let j = 1; j < r.generatedTokens[i]!; j++) want += spanCounts(span, p.length + j).attended;
      expect(g.decodeKeys[i]).toBe(want);
    });
    expect(generate(model, prompts, { ...opts, rng: rng(3), attention }).tokens).toEqual(r.tokens);
    // The sharpened model samples nearly greedily, so compare the tokens' log-probabilities.
    expect(generate(model, prompts, { ...opts, rng: rng(3) }).logProbs).not.toEqual(r.logProbs);
  });
});
