import { describe, expect, it } from "vitest";
import { spanCounts, type AttentionSpan } from "./attention-span.ts";

const aligned = (extra: Partial<Extract<AttentionSpan, { kind: "block-aligned" }>>): AttentionSpan => ({ kind: "block-aligned", blockSize: 8, sinks: 4, localWindow: 8, ...extra });

describe("spanCounts, block-aligned (our kernel's exact count)", () => {
  it.each([
    // keys, density, attended, summaries — by hand, blocks of 8, sinks 4 → [0, 8), window 8 → from ⌊(K − 8)/8⌋·8.
    [5, 0.25, 5, 0], // shorter than the sink block: everything
    [16, 0.25, 16, 0], // window starts at 8 = the sinks' end: no candidates
    [30, 0.25, 30, 0], // window from 16; 1 candidate, k = min(1, ⌈¼·4⌉ = 1): forced, not scored
    [41, 0.25, 8 + 9 + 8 * 2, 3], // window from 32 (9 keys); candidates: blocks 1..3; k = ⌈¼·6⌉ = 2 < 3: scored
    [100, 0.25, 8 + 12 + 8 * 4, 10], // window from 88; C = 10, k = ⌈¼·13⌉ = 4 < C: 10 summaries scored
    [100, 0.5, 8 + 12 + 8 * 7, 10], // k = ⌈½·13⌉ = 7
    [100, 1, 100, 0], // k = 13 ≥ C: all kept, nothing scored
  ])("%i keys at density %s: %i attended, %i summaries", (keys, density, attended, summaries) => {
    const c = spanCounts(aligned({ density }), keys);
    expect(c.attended).toBe(attended);
    expect(c.summaries).toBe(summaries);
  });

  it("topK fixes k; sinks 0 drop the sink block; a shared prefix owns the candidates inside it", () => {
    expect(spanCounts(aligned({ topK: 2, sinks: 0 }), 100)).toEqual({ attended: 12 + 16, summaries: 11, sharedSummaries: 0 });
    // Shared 53 keys: whole blocks [0, 48); candidates from 8 → blocks 1..5 are inside the prefix.
    expect(spanCounts(aligned({ topK: 2 }), 100, 53)).toEqual({ attended: 8 + 12 + 16, summaries: 10, sharedSummaries: 5 });
  });

  it("is the plain budget min(K, local + bs·k) of the Kinetics span when nothing is rounded", () => {
    // Keys a multiple of 8, no sinks, window one block: our count equals Kinetics' block-topk count.
    for (const keys of [64, 128, 200]) {
      expect(spanCounts(aligned({ topK: 3, sinks: 0 }), keys).attended).toBe(spanCounts({ kind: "block-topk", blockSize: 8, topK: 3, local: 8 }, keys).attended);
    }
  });

  it("checks the span", () => {
    expect(() => spanCounts(aligned({}), 10)).toThrow(/spanCounts requires integer blockSize >= 1, sinks >= 0, localWindow >= 1 and one of topK >= 0 or 0 < density <= 1/);
    expect(() => spanCounts(aligned({ topK: 1, density: 0.5 }), 10)).toThrow(/one of topK/);
    expect(() => spanCounts(aligned({ density: 0.5, localWindow: 0 }), 10)).toThrow(/localWindow >= 1/);
    expect(() => spanCounts({ kind: "dense" }, 10, -1)).toThrow("spanCounts requires an integer sharedKeys >= 0, got -1");
  });
});
