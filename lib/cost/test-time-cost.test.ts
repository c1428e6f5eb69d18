import { describe, expect, it } from "vitest";
import { totalFlops } from "./cost.ts";
import { decodeCost, prefillCost } from "./decode-cost.ts";
import { modelShape } from "./model-shapes.ts";
import { bestOfNCost, longChainOfThoughtCost } from "./test-time-cost.ts";

const Q4 = modelShape("Qwen3-4B");

describe("bestOfNCost", () => {
  const w = { promptTokens: 512, generationTokens: 2048, trials: 16 };

  it("sharing the prefix saves KV reads and prefills, not attention FLOPs", () => {
    const shared = bestOfNCost(Q4, w);
    const own = bestOfNCost(Q4, { ...w, sharePrefix: false });
    expect(shared.attentionFlops).toBe(own.attentionFlops - 15 * prefillCost(Q4, { promptTokens: 512 }).attentionFlops);
    // Prompt KV read once per step instead of 16 times: saving 15·512 tokens per step.
    const perToken = 2 * 36 * 8 * 128 * 2;
    expect(own.kvReadBytes - shared.kvReadBytes).toBe(15 * 512 * 2048 * perToken);
  });

  it("without sharing, KV reads are N times one trial's", () => {
    const one = decodeCost(Q4, { contextTokens: 512, newTokens: 2048 });
    expect(bestOfNCost(Q4, { ...w, sharePrefix: false, includePrefill: false }).kvReadBytes).toBe(16 * one.kvReadBytes);
  });

  it("a long chain of thought is best-of-1, and attention grows quadratically with its length", () => {
    const a = longChainOfThoughtCost(Q4, { promptTokens: 1, generationTokens: 4096, includePrefill: false });
    const b = longChainOfThoughtCost(Q4, { promptTokens: 1, generationTokens: 8192, includePrefill: false });
    expect(a).toEqual(bestOfNCost(Q4, { promptTokens: 1, generationTokens: 4096, trials: 1, includePrefill: false }));
    expect(b.paramFlops / a.paramFlops).toBe(2);
    expect(b.attentionFlops / a.attentionFlops).toBeCloseTo(4, 2);
    expect(totalFlops(b)).toBeGreaterThan(2 * totalFlops(a));
  });
});
