import { describe, expect, it } from "vitest";
import { rng } from "../../core/rng.ts";
import { blockedMatMulIO, matMulTile } from "./blocked-matmul-io.ts";
import { chooseFlashBlocks, flashAttentionIO, flashFootprint } from "./flash-attention-io.ts";
import { naiveAttentionIO } from "./naive-attention-io.ts";
import { attentionIOBounds, attentionReference } from "./reference.ts";
import { TwoLevelMemory } from "./two-level-memory.ts";

function qkv(n: number, d: number, seed: number) {
  const r = rng(seed);
  const draw = () => Float64Array.from({ length: n * d }, () => r.normal(0, 2));
  return { q: draw(), k: draw(), v: draw() };
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("attentionReference", () => {
  it("matches softmax(QKᵀ/√d)V written out by hand for N = 2, d = 1", () => {
    // q = [1, 0], k = [0, 2], v = [3, 5]; row 0 scores [0, 2] → weights e^0, e^2; row 1 scores [0, 0] → equal.
    const out = attentionReference(Float64Array.of(1, 0), Float64Array.of(0, 2), Float64Array.of(3, 5), 2, 1);
    const w = Math.exp(2);
    expect(out[0]).toBeCloseTo((3 + 5 * w) / (1 + w), 14);
    expect(out[1]).toBeCloseTo(4, 14);
  });
});

describe("flashAttentionIO", () => {
  for (const order of ["q-outer", "kv-outer"] as const) {
    it(`${order}: equals dense attention on ragged shapes and tile sizes`, () => {
      for (const [n, d, br, bc] of [[37, 5, 4, 7], [50, 8, 16, 3], [13, 3, 13, 13], [9, 4, 1, 1]] as const) {
        const { q, k, v } = qkv(n, d, n * d);
        const res = flashAttentionIO(q, k, v, n, d, flashFootprint(d, br, bc), { order, blockRows: br, blockCols: bc });
        expect(maxAbsDiff(res.output, attentionReference(q, k, v, n, d))).toBeLessThan(1e-12);
        expect(res.peakWords).toBeLessThanOrEqual(flashFootprint(d, br, bc));
      }
    });
  }

  it("q-outer moves exactly Nd + ⌈N/Br⌉·2Nd words in and Nd + N out (hand count of the schedule)", () => {
    const [n, d, br, bc] = [37, 5, 4, 7];
    const { q, k, v } = qkv(n, d, 1);
    const res = flashAttentionIO(q, k, v, n, d, 10_000, { order: "q-outer", blockRows: br, blockCols: bc });
    expect(res.wordsRead).toBe(n * d + Math.ceil(n / br) * 2 * n * d);
    expect(res.wordsWritten).toBe(n * d + n);
  });

  it("kv-outer re-reads Q every key block and round-trips partial state (hand count)", () => {
    const [n, d, br, bc] = [37, 5, 4, 7];
    const tc = Math.ceil(n / bc);
    const { q, k, v } = qkv(n, d, 2);
    const res = flashAttentionIO(q, k, v, n, d, 10_000, { order: "kv-outer", blockRows: br, blockCols: bc });
    expect(res.wordsRead).toBe(2 * n * d + tc * n * d + (tc - 1) * (n * d + 2 * n));
    expect(res.wordsWritten).toBe((tc - 1) * (n * d + 2 * n) + n * d + n);
  });

  it("chooses the largest resident tile that fits, and refuses budgets below 1×1 tiles", () => {
    for (const [n, d, m] of [[100, 8, 200], [1000, 16, 5000], [64, 4, 10_000]] as const) {
      const qo = chooseFlashBlocks(n, d, m, "q-outer");
      expect(flashFootprint(d, qo.blockRows, qo.blockCols)).toBeLessThanOrEqual(m);
      if (qo.blockRows < n) expect(flashFootprint(d, qo.blockRows + 1, 1)).toBeGreaterThan(m);
      const kv = chooseFlashBlocks(n, d, m, "kv-outer");
      if (kv.blockCols < n) expect(flashFootprint(d, 1, kv.blockCols + 1)).toBeGreaterThan(m);
    }
    expect(() => chooseFlashBlocks(10, 8, 34, "q-outer")).toThrow("chooseFlashBlocks requires M >= 4d + 3 = 35 words, got 34");
    const { q, k, v } = qkv(10, 8, 3);
    expect(() => flashAttentionIO(q, k, v, 10, 8, 100, { blockRows: 10, blockCols: 10 })).toThrow(/tiles that fit in M = 100 words/);
  });

  it("moves Θ(N²d²/M) words for d² ≤ M ≤ Nd/4 (Saha & Ye 2024): words·M/(N²d²) stays within [2, 8]", () => {
    const [n, d] = [256, 16];
    const { q, k, v } = qkv(n, d, 4);
    for (let m = d * d; m <= (n * d) / 4; m *= 2) {
      const res = flashAttentionIO(q, k, v, n, d, m);
      const ratio = (res.wordsRead + res.wordsWritten) / attentionIOBounds(n, d, m).large;
      expect(ratio).toBeGreaterThan(2);
      expect(ratio).toBeLessThan(8);
    }
  });
});

describe("naiveAttentionIO and blockedMatMulIO", () => {
  it("blocked matmul equals the direct product, with and without a transposed B", () => {
    const r = rng(5);
    const [m, n, k] = [7, 5, 6];
    const a = Float64Array.from({ length: m * k }, () => r.normal());
    const b = Float64Array.from({ length: k * n }, () => r.normal());
    const bt = new Float64Array(n * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) bt[j * k + i] = b[i * n + j]!;
    const direct = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let x = 0; x < k; x++) direct[i * n + j]! += a[i * k + x]! * b[x * n + j]!;
    for (const transposeB of [false, true]) {
      const mem = new TwoLevelMemory(12);
      mem.put("A", a);
      mem.put("B", transposeB ? bt : b);
      mem.put("C", new Float64Array(m * n));
      const tile = blockedMatMulIO(mem, { a: "A", b: "B", c: "C", m, n, k, transposeB });
      expect(tile).toEqual(matMulTile(m, n, k, 12));
      expect(maxAbsDiff(mem.get("C"), direct)).toBeLessThan(1e-12);
      expect(mem.peakWords).toBeLessThanOrEqual(12);
    }
  });

  it("equals dense attention at small and large caches, including chunked softmax rows", () => {
    const [n, d] = [40, 6];
    const { q, k, v } = qkv(n, d, 6);
    const ref = attentionReference(q, k, v, n, d);
    for (const m of [12, 39, 300, 100_000]) {
      const res = naiveAttentionIO(q, k, v, n, d, m);
      expect(maxAbsDiff(res.output, ref)).toBeLessThan(1e-12);
      expect(res.schedule.softmaxPasses).toBe(m >= n ? 2 : 3);
    }
  });

  it("with everything fitting, moves exactly 3Nd + 2N² in and 2N² + Nd out (hand count)", () => {
    const [n, d] = [20, 4];
    const { q, k, v } = qkv(n, d, 7);
    const res = naiveAttentionIO(q, k, v, n, d, 10_000);
    expect(res.wordsRead).toBe(3 * n * d + 2 * n * n);
    expect(res.wordsWritten).toBe(2 * n * n + n * d);
  });
});
