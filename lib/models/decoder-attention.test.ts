import { describe, expect, it } from "vitest";
import { decoderAttentionSpan, resolveBlockTopK } from "./decoder-attention.ts";

describe("resolveBlockTopK", () => {
  it("fills the defaults: 4 sinks, a window of one block, Quest's min/max summary; dense resolves to undefined", () => {
    expect(resolveBlockTopK("f", { kind: "block-topk", blockSize: 8, density: 0.25 })).toEqual({ kind: "block-topk", blockSize: 8, density: 0.25, sinks: 4, window: 8, summary: "minmax" });
    expect(resolveBlockTopK("f", { kind: "block-topk", blockSize: 16, topK: 3, sinks: 0, window: 5, summary: "mean" })).toEqual({ kind: "block-topk", blockSize: 16, topK: 3, sinks: 0, window: 5, summary: "mean" });
    expect(resolveBlockTopK("f", { kind: "dense" })).toBeUndefined();
    expect(resolveBlockTopK("f", undefined)).toBeUndefined();
  });

  it("names the caller and the problem", () => {
    expect(() => resolveBlockTopK("generate", { kind: "sliding" } as never)).toThrow('generate requires attention of kind "dense" or "block-topk", got {"kind":"sliding"}');
    expect(() => resolveBlockTopK("generate", { kind: "block-topk", blockSize: 8, topK: -1 })).toThrow("generate requires attention with an integer topK >= 0, got -1");
    expect(() => resolveBlockTopK("generate", { kind: "block-topk", blockSize: 0, topK: 1 })).toThrow(/generate requires attention with integer blockSize >= 1/);
  });
});

describe("decoderAttentionSpan", () => {
  it("maps block top-k to lib/cost's block-aligned span and dense to dense", () => {
    expect(decoderAttentionSpan({ kind: "block-topk", blockSize: 8, density: 0.5 })).toEqual({ kind: "block-aligned", blockSize: 8, density: 0.5, sinks: 4, localWindow: 8 });
    expect(decoderAttentionSpan({ kind: "block-topk", blockSize: 8, topK: 2, sinks: 1, window: 3 })).toEqual({ kind: "block-aligned", blockSize: 8, topK: 2, sinks: 1, localWindow: 3 });
    expect(decoderAttentionSpan(undefined)).toEqual({ kind: "dense" });
  });
});
