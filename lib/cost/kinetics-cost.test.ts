import { describe, expect, it } from "vitest";
import { decodeCost } from "./decode-cost.ts";
import { kineticsBlockSparseCost, kineticsDenseCost, kineticsInputs } from "./kinetics-cost.ts";
import { parameterCount } from "./model-shape.ts";
import { modelShape } from "./model-shapes.ts";

const Q8 = modelShape("Qwen3-8B");
const hd = 128 * 36;

describe("kineticsDenseCost", () => {
  it("reproduces the formula on round numbers", () => {
    // P 1e9, H_q 2, H_kv 1, hd 10, L_in 100, L_out 50, N 4, E 1:
    // compute 4·[2e9·50 + 2·250·50·2·10] = 4·(1e11 + 5e5); memory 2·(200 + 200)·50·1·10 = 4e5.
    const c = kineticsDenseCost({ params: 1e9, queryHeads: 2, kvHeads: 1, hd: 10, lIn: 100, lOut: 50, trials: 4, e: 1 });
    expect(c.computeFlops).toBe(4 * (1e11 + 5e5));
    expect(c.memoryBytes).toBe(4e5);
    expect(c.eflops).toBe(c.computeFlops + c.memoryBytes);
  });

  it("differs from the exact step-by-step count only by the continuum's missing +1 key per step", () => {
    // Exact: Σ_{t<n} (L_in + t + 1) = n·L_in + n(n+1)/2; continuum: n·L_in + n²/2. The gap is n/2 keys per
    // trial: 4·H_q·hd·n/2 = 2·H_q·hd·n FLOPs, and for bytes (bf16, K+V) 2·H_kv·hd·n per trial.
    const [lIn, lOut, n] = [1024, 4096, 8];
    const exact = decodeCost(Q8, { contextTokens: lIn, newTokens: lOut, batch: n, sharedPrefixTokens: lIn });
    const closed = kineticsDenseCost(kineticsInputs(Q8, { lIn, lOut, trials: n }));
    expect(exact.paramFlops + exact.attentionFlops - closed.computeFlops).toBe(n * 2 * 32 * hd * lOut);
    expect(exact.kvReadBytes - closed.memoryBytes).toBe(n * 2 * 8 * hd * lOut);
  });

  it("uses P = the matmul parameters by default", () => {
    expect(kineticsInputs(Q8, { lIn: 1, lOut: 1 }).params).toBe(parameterCount(Q8).matmul);
  });
});

describe("kineticsBlockSparseCost", () => {
  it("attended tokens are exactly B·L_out when the budget fits in the prompt", () => {
    const [lIn, lOut, n] = [2048, 1000, 4];
    const span = { kind: "block-topk" as const, blockSize: 64, topK: 4, local: 0 };
    const exact = decodeCost(Q8, { contextTokens: lIn, newTokens: lOut, batch: n, sharedPrefixTokens: lIn, span });
    const closed = kineticsBlockSparseCost({ ...kineticsInputs(Q8, { lIn, lOut, trials: n }), blockSize: 64, topK: 4 });
    const attendedClosed = 4 * 256 * lOut * 32 * hd * n; // 4·S·H_q·hd·N with S = B·L_out
    expect(exact.attentionFlops).toBe(attendedClosed);
    expect(exact.kvReadBytes).toBe(4 * 256 * lOut * 8 * hd * n);
    // Selection: Σ⌊K/64⌋ vs ⌊(2·L_in + L_out)/64⌋·L_out/2 — equal to within 1%.
    const closedSearch = closed.computeFlops - n * (2 * parameterCount(Q8).matmul * lOut) - attendedClosed;
    expect(Math.abs(exact.selectionFlops - closedSearch) / closedSearch).toBeLessThan(0.01);
  });

  it("matches the continuum S = B·L_out − ½(B − L_in)² when the budget outgrows the prompt (within 0.1%)", () => {
    const [lIn, lOut] = [100, 8000];
    const span = { kind: "block-topk" as const, blockSize: 16, topK: 64, local: 0 };
    const exact = decodeCost(Q8, { contextTokens: lIn, newTokens: lOut, span });
    const s = 1024 * lOut - 0.5 * (1024 - lIn) ** 2;
    expect(Math.abs(exact.attentionFlops - 4 * s * 32 * hd) / (4 * s * 32 * hd)).toBeLessThan(1e-3);
  });
});
