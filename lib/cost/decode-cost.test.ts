import { describe, expect, it } from "vitest";
import { addCosts, kineticsEflops, scaleCost, totalBytes, totalFlops, zeroCost } from "./cost.ts";
import { decodeCost, prefillCost } from "./decode-cost.ts";
import type { ModelShape } from "./model-shape.ts";

/**
 * A toy shape small enough to count by hand: per layer Q 8·16 + K 8·8 + V 8·8 + O 16·8 = 384,
 * MLP 3·8·16 = 384 → 768 matmul weights; two layers 1,536; + LM head 10·8 = 80 → P_matmul = 1,616.
 * KV elements per token 2·2·2·4 = 32.
 */
const TOY: ModelShape = { name: "toy", hiddenSize: 8, layers: 2, queryHeads: 4, kvHeads: 2, headDim: 4, intermediateSize: 16, vocabSize: 10, tieEmbeddings: false, qkNorm: false };

describe("decodeCost", () => {
  it("matches a hand count: context 3, two new tokens, one sequence", () => {
    // Steps see K = 4 then 5 keys: Σ = 9. Attention 4·d·H_q·layers = 4·4·4·2 = 128 FLOPs per key.
    const c = decodeCost(TOY, { contextTokens: 3, newTokens: 2 });
    expect(c.paramFlops).toBe(2 * 1616 * 2);
    expect(c.attentionFlops).toBe(128 * 9);
    expect(c.selectionFlops).toBe(0);
    expect(c.paramBytes).toBe(1616 * 2 * 2);
    expect(c.kvReadBytes).toBe(32 * 2 * 9);
    expect(c.kvWriteBytes).toBe(32 * 2 * 2);
  });

  it("a shared prefix is read once per step for the batch; FLOPs do not change", () => {
    // Batch 3, context 3 all shared: step 0 reads 3 + 3·1 = 6 tokens, step 1 reads 3 + 3·2 = 9 → 15, vs 3·9 = 27 unshared.
    const shared = decodeCost(TOY, { contextTokens: 3, newTokens: 2, batch: 3, sharedPrefixTokens: 3 });
    const own = decodeCost(TOY, { contextTokens: 3, newTokens: 2, batch: 3 });
    expect(shared.kvReadBytes).toBe(32 * 2 * 15);
    expect(own.kvReadBytes).toBe(32 * 2 * 27);
    expect(shared.attentionFlops).toBe(own.attentionFlops);
    expect(shared.paramBytes).toBe(own.paramBytes); // weights read once per step either way
  });

  it("block top-k attends min(K, local + block·k) keys and scores ⌊K/block⌋ summaries", () => {
    // Context 40, block 8, k 2, local 4: budget 20 < K for both steps (41, 42); summaries ⌊41/8⌋ + ⌊42/8⌋ = 10.
    const c = decodeCost(TOY, { contextTokens: 40, newTokens: 2, span: { kind: "block-topk", blockSize: 8, topK: 2, local: 4 } });
    expect(c.attentionFlops).toBe(128 * 40);
    expect(c.selectionFlops).toBe(2 * 4 * 4 * 2 * 10);
    expect(c.kvReadBytes).toBe(32 * 2 * 40);
    expect(c.selectionBytes).toBe(2 * 2 * 4 * 2 * 10); // layers·H_kv·d elements per summary, bf16
  });

  it("block-aligned with a shared prefix: each sequence reads its kept keys, the prefix's candidate summaries once", () => {
    // Blocks of 8, sinks 4 → [0, 8), window 8, topK 2; context 40, two steps with K = 41, 42, batch 2, prefix 40 shared.
    // K = 41: window from 32 (9 keys) → 8 + 9 + 16 = 33 attended; candidates blocks 1..3 (C = 3 > k): 3 summaries, all in the prefix.
    // K = 42: window from 32 (10 keys) → 34 attended; the same 3 summaries.
    const span = { kind: "block-aligned" as const, blockSize: 8, topK: 2, sinks: 4, localWindow: 8 };
    const c = decodeCost(TOY, { contextTokens: 40, newTokens: 2, batch: 2, sharedPrefixTokens: 40, span });
    expect(c.attentionFlops).toBe(128 * (33 + 34) * 2);
    expect(c.kvReadBytes).toBe(32 * 2 * (33 + 34) * 2);
    expect(c.selectionFlops).toBe(2 * 4 * 4 * 2 * (3 + 3) * 2);
    expect(c.selectionBytes).toBe(2 * 2 * 4 * 2 * (3 + 3)); // shared summaries read once per step for the batch
  });

  it("refuses a shared prefix longer than the context", () => {
    expect(() => decodeCost(TOY, { contextTokens: 3, newTokens: 1, sharedPrefixTokens: 4 })).toThrow("decodeCost requires sharedPrefixTokens <= contextTokens");
  });
});

describe("prefillCost", () => {
  it("matches a hand count: 3 prompt tokens", () => {
    // Blocks on 3 tokens: 2·1536·3; LM head on the last: 2·80. Causal pairs 1 + 2 + 3 = 6, 128 FLOPs each.
    const c = prefillCost(TOY, { promptTokens: 3 });
    expect(c.paramFlops).toBe(2 * 1536 * 3 + 2 * 80);
    expect(c.attentionFlops).toBe(128 * 6);
    expect(c.kvWriteBytes).toBe(32 * 2 * 3);
    expect(c.paramBytes).toBe(1616 * 2);
  });
});

describe("Cost helpers", () => {
  it("add, scale, totals and eFLOPs", () => {
    const a = decodeCost(TOY, { contextTokens: 3, newTokens: 2 });
    expect(addCosts(a, a)).toEqual(scaleCost(a, 2));
    expect(addCosts(a, zeroCost())).toEqual(a);
    expect(totalFlops(a)).toBe(a.paramFlops + a.attentionFlops);
    expect(totalBytes(a)).toBe(a.paramBytes + a.kvReadBytes + a.kvWriteBytes);
    expect(kineticsEflops(a, 10)).toBe(totalFlops(a) + 10 * a.kvReadBytes);
  });
});
