import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { TINY } from "../models/models-fixtures.test-util.ts";
import { PrefixKvCache } from "../models/prefix-kv-cache.ts";
import { createTransformer, type Transformer } from "../models/transformer.ts";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import { scorePositions } from "./reward-model.ts";
import { scorePositionsCached } from "./score-positions-cached.ts";

let model: Transformer;
beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  model = createTransformer(TINY, rng("score-cached"));
});
afterAll(() => model.dispose());

// `+` and `-` of the chain vocabulary, the default scoring tokens.
const [GOOD, BAD] = [CHAIN_TOKENIZER.encode("+")[0]!, CHAIN_TOKENIZER.encode("-")[0]!];
const OPTS = { good: GOOD, bad: BAD };
const r = rng("score-cached-tokens");
const tokens = (n: number) => Array.from({ length: n }, () => 3 + r.int(TINY.vocabSize - 3));
const PROMPT = [1, ...tokens(20)];
// Three solutions after one prompt, one of them twice, of different lengths.
const SEQS = [[...PROMPT, ...tokens(9)], [...PROMPT, ...tokens(4)], [...PROMPT, ...tokens(14)]];
const BATCH = [SEQS[0]!, SEQS[1]!, SEQS[0]!, SEQS[2]!];
const every = (s: readonly number[]) => s.map((_, p) => p);

describe("scorePositionsCached", () => {
  it("agrees with the full forward pass to float32 rounding at every position", () => {
    const got = scorePositionsCached(model, BATCH, BATCH.map(every), new PrefixKvCache(), OPTS).scores.flat();
    const want = scorePositions(model, BATCH, BATCH.map(every)).flat();
    const worst = Math.max(...got.map((g, i) => Math.abs(g - want[i]!)));
    // Measured 0 to ~1e-7 on wasm (the decoder's float64 attention softmax against tfjs's float32 one).
    expect(worst).toBeLessThan(1e-6);
  });

  it("gives the same bits whatever the cache holds, whatever the batch, and runs only what the cache lacks", () => {
    const before = tf.memory().numTensors;
    const cold = scorePositionsCached(model, BATCH, BATCH.map(every), new PrefixKvCache(), OPTS);
    // Shared prompt (21 tokens) once, then each distinct solution (9, 4, 14); the repeated sequence runs once.
    expect(cold.processedTokens).toBe(21 + 9 + 4 + 14);
    expect(cold.cachedTokens).toBe(BATCH.reduce((a, s) => a + s.length, 0) - cold.processedTokens);
    // Warm: a cache that saw the first two sequences, each alone; then all four extended by 3 tokens, as a PRM scores beam search's children.
    const warm = new PrefixKvCache();
    const alone = [0, 1].map((i) => scorePositionsCached(model, [SEQS[i]!], [every(SEQS[i]!)], warm, OPTS).scores[0]);
    expect(alone).toEqual([cold.scores[0], cold.scores[1]]);
    const again = scorePositionsCached(model, BATCH, BATCH.map(every), warm, OPTS);
    expect(again.scores).toEqual(cold.scores);
    expect(again.processedTokens).toBe(14); // only the third solution is new (its 21-token prompt is held)
    const ext = BATCH.map((s) => [...s, 5, 6, 7]);
    const grown = scorePositionsCached(model, ext, ext.map(every), warm, OPTS);
    expect(grown.processedTokens).toBe(3 * 3);
    expect(grown.scores).toEqual(scorePositionsCached(model, ext, ext.map(every), new PrefixKvCache(), OPTS).scores);
    // A cache too small to keep anything long changes nothing but the work.
    const tiny = new PrefixKvCache({ maxBytes: 2000 });
    expect(scorePositionsCached(model, ext, ext.map(every), tiny, { ...OPTS, batchSize: 2 }).scores).toEqual(grown.scores);
    expect(tiny.stats().bytes).toBeLessThanOrEqual(2000);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reads only the positions asked for, and rejects bad input", () => {
    const cache = new PrefixKvCache();
    const res = scorePositionsCached(model, [SEQS[0]!, PROMPT], [[20, 29], []], cache, OPTS);
    expect(res.scores.map((s) => s.length)).toEqual([2, 0]);
    expect(() => scorePositionsCached(model, [PROMPT], [[21]], cache, OPTS)).toThrow("scorePositionsCached requires positions inside their sequence, got \"21 in sequence 0\"");
    expect(() => scorePositionsCached(model, [PROMPT], [], cache, OPTS)).toThrow("scorePositionsCached requires positions for each of the 1 sequences, got 0");
    expect(() => scorePositionsCached(model, [[]], [[]], cache, OPTS)).toThrow(/scorePositionsCached requires sequences of 1..96 tokens/);
    expect(() => scorePositionsCached(model, [PROMPT], [[0]], cache, { ...OPTS, batchSize: 0 })).toThrow("scorePositionsCached requires a positive integer batchSize, got 0");
  });
});
