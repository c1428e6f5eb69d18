/**
 * The cost model against the kernels' own operation counts: what
 * blockSparseDecode reports it attended and scored, and what dense attention
 * over the cache reads.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockSparseDecode } from "../attention/block-sparse-decode.ts";
import { KvCache } from "../attention/kv-cache.ts";
import { cacheTensors } from "../attention/kv-tensors.ts";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { spanCounts } from "./attention-span.ts";
import { decodeCost } from "./decode-cost.ts";
import type { ModelShape } from "./model-shape.ts";

const [HQ, HKV, D, BS] = [4, 2, 8, 16];
/** One layer with the kernels' head layout; the MLP sizes do not enter attention counts. */
const LAYER: ModelShape = { name: "one-layer", hiddenSize: 32, layers: 1, queryHeads: HQ, kvHeads: HKV, headDim: D, intermediateSize: 32, vocabSize: 8, tieEmbeddings: false, qkNorm: false };

function filledCache(tokens: number[]): { cache: KvCache; seqs: number[] } {
  const r = rng("cost-vs-kernels");
  const cache = new KvCache({ kvHeads: HKV, headDim: D, blockSize: BS });
  const seqs = tokens.map((n) => {
    const s = cache.createSequence();
    const k = Float32Array.from({ length: n * HKV * D }, () => r.normal());
    const v = Float32Array.from({ length: n * HKV * D }, () => r.normal());
    cache.append(s, k, v, n);
    return s;
  });
  return { cache, seqs };
}

describe("decodeCost vs the kernels' counts", () => {
  beforeAll(async () => void (await selectBackend({ name: "cpu" })));
  afterAll(() => tf.disposeVariables());

  it("block top-k: the kernel's attended tokens and scored blocks equal the model's (sinks 0, local one block)", () => {
    const lengths = [256, 320]; // multiples of the block size, so kept blocks are whole and disjoint from the window
    const { cache, seqs } = filledCache(lengths);
    const q = tf.tensor3d(Float32Array.from({ length: 2 * HQ * D }, (_, i) => Math.sin(i)), [2, HQ, D]);
    const topK = 3;
    const res = blockSparseDecode(q, cache, seqs, { topK, sinks: 0, localWindow: BS });
    const span = { kind: "block-topk" as const, blockSize: BS, topK, local: BS };
    let kernelFlops = 0;
    lengths.forEach((len, b) => {
      const model = spanCounts(span, len);
      for (let s = 0; s < res.selectionHeads; s++) {
        const sel = res.selections[b * res.selectionHeads + s]!;
        expect(sel.tokens).toBe(model.attended);
        kernelFlops += 4 * D * sel.tokens; // one query head per selection head
      }
      // The kernel does not score the always-kept local block: ⌊len/16⌋ − 1.
      expect(res.blocksScored[b]).toBe(model.summaries - 1);
    });
    // One decode step whose new token is the last cached one: contextTokens = len − 1.
    const modelFlops = lengths.reduce((sum, len) => sum + decodeCost(LAYER, { contextTokens: len - 1, newTokens: 1, span }).attentionFlops, 0);
    expect(kernelFlops).toBe(modelFlops);
    tf.dispose([q, res.output]);
  });

  it("block-aligned: at every length 1…160 the kernel keeps and scores exactly what spanCounts counts", () => {
    const lengths = Array.from({ length: 160 }, (_, i) => i + 1);
    const { cache, seqs } = filledCache(lengths);
    const q = tf.tensor3d(Float32Array.from({ length: lengths.length * HQ * D }, (_, i) => Math.cos(0.7 * i)), [lengths.length, HQ, D]);
    const settings = [
      { density: 0.25, sinks: 4, localWindow: 8 },
      { density: 0.5, sinks: 0, localWindow: 20 },
      { topK: 2, sinks: 17, localWindow: 1 },
    ];
    for (const s of settings) {
      const res = blockSparseDecode(q, cache, seqs, { ...s, blockAligned: true, selectPer: "kv-group" });
      const span = { kind: "block-aligned" as const, blockSize: BS, ...s };
      lengths.forEach((len, b) => {
        const model = spanCounts(span, len);
        for (let h = 0; h < HKV; h++) expect(res.selections[b * HKV + h]!.tokens, `length ${len}, ${JSON.stringify(s)}`).toBe(model.attended);
        const scored = res.topK[b]! > 0 && res.topK[b]! < res.blocksScored[b]! ? res.blocksScored[b]! : 0;
        expect(scored, `length ${len}`).toBe(model.summaries);
      });
    }
    tf.dispose([q]);
  });

  it("dense: bytes read equal the cache's valid K/V elements (fp32)", () => {
    const lengths = [37, 50];
    const { cache, seqs } = filledCache(lengths);
    const t = cacheTensors(cache, seqs);
    const validElements = 2 * HKV * D * t.lengths.reduce((a, b) => a + b, 0);
    const modelBytes = lengths.reduce((sum, len) => sum + decodeCost(LAYER, { contextTokens: len - 1, newTokens: 1, bytesPerElement: 4 }).kvReadBytes, 0);
    expect(modelBytes).toBe(4 * validElements);
    tf.dispose([t.k, t.v]);
  });
});
