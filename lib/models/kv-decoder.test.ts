import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { generate } from "./generate.ts";
import { KvDecoder } from "./kv-decoder.ts";
import { sliceKvSpan } from "./kv-span.ts";
import { argmax, TINY } from "./models-fixtures.test-util.ts";
import { createTransformer, type Transformer } from "./transformer.ts";

/** Greedy decoding by full recomputation of the whole prefix at every step (the reference). */
function greedyByRecompute(model: Transformer, prompt: number[], steps: number): number[] {
  const seq = [...prompt];
  for (let i = 0; i < steps; i++) {
    const ids = tf.tensor2d([seq], [1, seq.length], "int32");
    const logits = model.forward(ids);
    seq.push(argmax(logits.dataSync(), (seq.length - 1) * TINY.vocabSize, TINY.vocabSize));
    tf.dispose([ids, logits]);
  }
  return seq.slice(prompt.length);
}

describe("KvDecoder", () => {
  beforeAll(async () => void (await selectBackend({ name: "wasm" })));

  it.each([4, 2, 1])("gives the logits of full recomputation at every position (kvHeads %i) for ragged rows", (kvHeads) => {
    const model = createTransformer({ ...TINY, kvHeads }, rng(`kv-${kvHeads}`));
    const r = rng("seqs");
    const rows = [Array.from({ length: 30 }, () => r.int(TINY.vocabSize)), Array.from({ length: 30 }, () => r.int(TINY.vocabSize))];
    const ids = tf.tensor2d(rows, [2, 30], "int32");
    const full = model.forward(ids);
    const ref = full.dataSync();
    const before = tf.memory().numTensors;
    const dec = new KvDecoder(model, 2);
    let worst = 0;
    // Row 1 starts 5 steps late, so the two rows sit at different positions in every step.
    for (let t = 0; t < 35; t++) {
      const active = [t < 30, t >= 5];
      const logits = dec.step([rows[0]![Math.min(t, 29)]!, rows[1]![Math.max(0, t - 5)]!], active);
      for (let b = 0; b < 2; b++) {
        if (!active[b]) continue;
        const pos = b === 0 ? t : t - 5;
        for (let v = 0; v < TINY.vocabSize; v++) worst = Math.max(worst, Math.abs(logits[b * TINY.vocabSize + v]! - ref[(b * 30 + pos) * TINY.vocabSize + v]!));
      }
    }
    expect(worst).toBeLessThan(1e-4);
    expect(Array.from(dec.positions)).toEqual([30, 30]);
    dec.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ids, full]);
    model.dispose();
  });

  it("greedy generation gives the tokens of greedy full recomputation", () => {
    const model = createTransformer({ ...TINY, layers: 1 }, rng("greedy"));
    // Sharper logits than the init's, so greedy paths are not near ties.
    model.param("tok_emb").assign(tf.mul(model.param("tok_emb"), 25));
    const prompts = [[1, 6, 8, 4, 16, 7, 3], [1, 9, 9, 9, 3]];
    const before = tf.memory().numTensors;
    const out = generate(model, prompts, { maxNewTokens: 20, temperature: 0, stopAtEos: false });
    expect(tf.memory().numTensors).toBe(before);
    prompts.forEach((p, i) => expect(out.tokens[i]).toEqual(greedyByRecompute(model, p, 20)));
    expect(out.generatedTokens).toEqual([20, 20]);
    expect(out.stopReasons).toEqual(["length", "length"]);
    expect(out.processedTokens).toBe(7 + 19 + 5 + 19);
    model.dispose();
  });

  it("samples reproducibly from the rng, independently of batching, and stops at EOS or a step end", () => {
    const model = createTransformer(TINY, rng("sample"));
    const prompts = [[1, 5, 6], [1, 7], [1, 8, 9, 10]];
    const opts = { maxNewTokens: 40, temperature: 1, topP: 0.95, stopAtStepEnd: true };
    const a = generate(model, prompts, { ...opts, rng: rng(11) });
    const b = generate(model, prompts, { ...opts, rng: rng(11) });
    const alone = generate(model, [prompts[0]!], { ...opts, rng: rng(11) });
    const c = generate(model, prompts, { ...opts, rng: rng(12) });
    expect(b).toEqual(a);
    expect(JSON.stringify(c.tokens)).not.toEqual(JSON.stringify(a.tokens));
    expect(alone.tokens[0]).toEqual(a.tokens[0]);
    expect(alone.logProbs[0]).toEqual(a.logProbs[0]);
    a.tokens.forEach((toks, i) => {
      const reason = a.stopReasons[i];
      const last = toks[toks.length - 1];
      if (reason === "eos") expect(last).toBe(2);
      if (reason === "step") expect(last).toBe(3);
      expect(toks.slice(0, -1).every((t) => t !== 2 && t !== 3)).toBe(true);
      expect(a.logProbs[i]!.every((lp) => lp <= 0 && Number.isFinite(lp))).toBe(true);
    });
    model.dispose();
  });

  it("a row started from another run's K/V (writeKv of readKv), or forked by copyRow, computes the bits of feeding every token itself; so does a compacted step", () => {
    const model = createTransformer(TINY, rng("rows"));
    const r = rng("row-tokens");
    const seq = Array.from({ length: 12 }, () => 4 + r.int(TINY.vocabSize - 4));
    const other = Array.from({ length: 12 }, () => 4 + r.int(TINY.vocabSize - 4));
    const v = TINY.vocabSize;
    const before = tf.memory().numTensors;
    // Reference: one row feeding all 12 tokens.
    const ref = new KvDecoder(model, 1);
    const want = seq.map((t) => ref.step([t]));
    const span = ref.readKv(0);
    expect(span.length).toBe(12);
    expect(() => ref.readKv(0, 3, 13)).toThrow("KvDecoder.readKv requires 0 ≤ from ≤ to ≤ 12 (the row's position)");
    ref.dispose();
    // Row 1 of 3 resumes at position 8 from the span cut in two pieces; row 0 runs another sequence from scratch; row 2 waits.
    const dec = new KvDecoder(model, 3);
    dec.writeKv(1, { length: 8, spans: [sliceKvSpan(span, 0, 5), sliceKvSpan(span, 5, 12)] });
    expect(Array.from(dec.positions)).toEqual([0, 8, 0]);
    for (let t = 8; t < 12; t++) {
      const logits = dec.step([other[t - 8]!, seq[t]!, 0], [true, true, false]);
      expect(logits.subarray(v, 2 * v)).toEqual(want[t]!);
      expect(logits.subarray(2 * v, 3 * v)).toEqual(new Float32Array(v)); // an inactive row's logits are 0
    }
    // Fork row 0 (4 tokens of `other` in) into row 2: the two now step identically, alone or beside row 1.
    dec.copyRow(0, 2);
    const a = dec.step([other[4]!, 0, other[4]!], [true, false, true]);
    expect(a.subarray(2 * v, 3 * v)).toEqual(a.subarray(0, v));
    const alone = new KvDecoder(model, 1);
    const solo = other.slice(0, 5).map((t) => alone.step([t]));
    expect(a.subarray(0, v)).toEqual(solo[4]!);
    expect(() => alone.writeKv(0, { length: 3, spans: [{ length: 2, k: span.k, v: span.v }] })).toThrow(/KvDecoder.writeKv requires a prefix of 0..95 positions covered by spans/);
    for (const d of [dec, alone]) d.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const sparse = new KvDecoder(model, 1, { attention: { kind: "block-topk", blockSize: 8, density: 0.5 } });
    expect(() => sparse.readKv(0)).toThrow("KvDecoder.readKv requires dense attention (block top-k attention keeps a paged cache), got \"block-topk\"");
    expect(() => sparse.copyRow(0, 0)).toThrow(/KvDecoder.copyRow requires dense attention/);
    sparse.dispose();
    model.dispose();
  });
});
