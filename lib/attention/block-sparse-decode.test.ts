import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { decodeSetup, maxAbsDiff, randTensor, TEST_BACKENDS } from "./attention-fixtures.test-util.ts";
import { blockScore, candidateBlocks, SelectionScratch, selectTopBlocks, topBlocksFromScores } from "./block-selection.ts";
import { blockSparseDecode, blockSparseDecodeArrays, keptRegions, type BlockSparseDecodeOptions } from "./block-sparse-decode.ts";
import { denseAttention } from "./dense-attention.ts";
import { KvCache } from "./kv-cache.ts";
import { cacheTensors, readHead } from "./kv-tensors.ts";
import { WasmKvStorage } from "./wasm-kv.ts";

const setup = decodeSetup;

/** Dense attention for one query row over an explicit token set, built from the cache's raw rows. */
function restrictedDense(cache: KvCache, seq: number, head: number, q: Float32Array, tokens: number[]): Float32Array {
  const d = cache.headDim;
  const [k, v] = [new Float32Array(tokens.length * d), new Float32Array(tokens.length * d)];
  tokens.forEach((t, i) => readHead(cache, seq, head, t, t + 1, k, v, i * d));
  return tf.tidy(() => denseAttention(tf.tensor4d(q, [1, 1, 1, d]), tf.tensor4d(k, [1, 1, tokens.length, d]), tf.tensor4d(v, [1, 1, tokens.length, d])).dataSync() as Float32Array);
}

const LENGTHS = [45, 13, 70]; // not multiples of the block size 8

describe.each(TEST_BACKENDS)("blockSparseDecode on %s", (backend) => {
  beforeAll(async () => void (await selectBackend({ name: backend })));
  afterAll(async () => void (await selectBackend({ name: "cpu" })));

  const full: [string, BlockSparseDecodeOptions][] = [
    ["density 1, minmax, per query head", { density: 1 }],
    ["density 1, mean, per KV group", { density: 1, summary: "mean", selectPer: "kv-group" }],
    ["topK ≥ blocks, no sinks or window", { topK: 9, sinks: 0, localWindow: 0 }],
  ];
  it.each(full)("%s equals dense to 1e-5 (GQA, ragged B 3) and leaks nothing", (_name, options) => {
    const { cache, seqs, q } = setup("sparse/full", 4, 2, 16, LENGTHS);
    const whole = cacheTensors(cache, seqs);
    const ref = denseAttention(tf.reshape(q, [3, 4, 1, 16]), whole.k, whole.v, { kvLengths: whole.lengths });
    const before = tf.memory().numTensors;
    const got = blockSparseDecode(q, cache, seqs, options);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(maxAbsDiff(got.output, ref)).toBeLessThan(1e-5);
    got.selections.forEach((s, i) => expect(s.tokens).toBe(LENGTHS[Math.floor(i / got.selectionHeads)]));
    tf.dispose([q, whole.k, whole.v, ref, got.output]);
  });

  const sparse: [string, BlockSparseDecodeOptions][] = [
    ["density 1/4, minmax, per query head", { density: 0.25, sinks: 3, localWindow: 5 }],
    ["topK 2, mean, per KV group", { topK: 2, summary: "mean", selectPer: "kv-group", sinks: 4, localWindow: 8 }],
    ["topK 1, no sinks", { topK: 1, sinks: 0, localWindow: 3 }],
  ];
  it.each(sparse)("%s equals dense restricted to the kept keys, which include sinks and the local window", (_name, options) => {
    const [hq, hkv, d, g] = [4, 2, 16, 2];
    const { cache, seqs, q } = setup("sparse/restricted", hq, hkv, d, LENGTHS);
    const got = blockSparseDecode(q, cache, seqs, options);
    const qs = q.dataSync() as Float32Array;
    const out = got.output.dataSync();
    const sinks = options.sinks ?? 4;
    const windowLength = options.localWindow ?? 8;
    let sparser = 0;
    seqs.forEach((seq, b) => {
      const len = LENGTHS[b]!;
      for (let h = 0; h < hq; h++) {
        const sel = got.selections[b * got.selectionHeads + (options.selectPer === "kv-group" ? Math.floor(h / g) : h)]!;
        expect(sel.blocks.length).toBe(got.topK[b]);
        // The reference's token set: chosen blocks, sinks, local window — built from the definitions, not from the ranges.
        const kept = new Set<number>();
        for (const blk of sel.blocks) for (let t = blk * 8; t < Math.min(blk * 8 + 8, len); t++) kept.add(t);
        for (let t = 0; t < Math.min(sinks, len); t++) kept.add(t);
        for (let t = Math.max(0, len - windowLength); t < len; t++) kept.add(t);
        const tokens = [...kept].sort((x, y) => x - y);
        expect(sel.tokens).toBe(tokens.length);
        if (tokens.length < len) sparser++;
        const ref = restrictedDense(cache, seq, Math.floor(h / g), qs.subarray((b * hq + h) * d, (b * hq + h + 1) * d), tokens);
        expect(maxAbsDiff(out.subarray((b * hq + h) * d, (b * hq + h + 1) * d), ref)).toBeLessThan(1e-5);
      }
    });
    expect(sparser).toBeGreaterThan(0);
    tf.dispose([q, got.output]);
  });
});

describe("blockSparseDecode, block-aligned regions", () => {
  it("keeps the sinks rounded up to a block end, the window rounded down to a block start, and whole chosen blocks; output = dense over them", () => {
    const [hq, hkv, d] = [4, 2, 16];
    const { cache, seqs, q } = setup("sparse/aligned", hq, hkv, d, LENGTHS);
    const options = { density: 0.25, sinks: 3, localWindow: 5, blockAligned: true, selectPer: "kv-group" as const };
    const got = blockSparseDecode(q, cache, seqs, options);
    const qs = q.dataSync() as Float32Array;
    const out = got.output.dataSync();
    seqs.forEach((seq, b) => {
      const len = LENGTHS[b]!;
      // Sinks 3 → [0, 8); window 5 → from ⌊(len − 5)/8⌋·8.
      const [sinkEnd, localStart] = [Math.min(len, 8), Math.max(0, Math.floor((len - 5) / 8) * 8)];
      expect(keptRegions(len, 8, 3, 5, true)).toEqual({ sinkEnd, localStart });
      for (let g = 0; g < hkv; g++) {
        const sel = got.selections[b * hkv + g]!;
        const kept = new Set<number>();
        for (let t = 0; t < len; t++) if (t < sinkEnd || t >= localStart || sel.blocks.includes(Math.floor(t / 8))) kept.add(t);
        sel.blocks.forEach((blk) => expect(blk * 8 >= sinkEnd && blk * 8 + 8 <= localStart).toBe(true));
        expect(sel.tokens).toBe(kept.size);
        for (const h of [2 * g, 2 * g + 1]) {
          const ref = restrictedDense(cache, seq, g, qs.subarray((b * hq + h) * d, (b * hq + h + 1) * d), [...kept].sort((x, y) => x - y));
          expect(maxAbsDiff(out.subarray((b * hq + h) * d, (b * hq + h + 1) * d), ref)).toBeLessThan(1e-5);
        }
      }
    });
    const arrays = new Float32Array(out.length);
    blockSparseDecodeArrays(qs, hq, cache, seqs, arrays, options);
    expect(Array.from(arrays)).toEqual(Array.from(out));
    tf.dispose([q, got.output]);
  });
});

describe("blockSparseDecode wasm-simd path", () => {
  it.each([
    ["density 1", { density: 1 }],
    ["density 1/4, minmax, per KV group", { density: 0.25, selectPer: "kv-group" as const, sinks: 2, localWindow: 5 }],
    ["topK 3, mean, per query head", { topK: 3, summary: "mean" as const }],
    ["density 1/8, minmax, per query head", { density: 1 / 8 }],
  ])("%s: same selection as the js path (wasm quest scores) and output within 1e-5", (_name, options) => {
    const lengths = [45, 13, 700]; // the long one spans several 64 KiB arenas
    const js = setup("sparse/wasm", 4, 2, 16, lengths);
    const wasm = setup("sparse/wasm", 4, 2, 16, lengths, true);
    const a = blockSparseDecode(js.q, js.cache, js.seqs, options);
    const b = blockSparseDecode(wasm.q, wasm.cache, wasm.seqs, options);
    expect([a.path, b.path]).toEqual(["js", "wasm-simd"]);
    expect(b.selections.map((s) => Array.from(s.blocks))).toEqual(a.selections.map((s) => Array.from(s.blocks)));
    expect(maxAbsDiff(a.output, b.output)).toBeLessThan(1e-5);
    tf.dispose([js.q, wasm.q, a.output, b.output]);
  });
});

describe("blockSparseDecode selection", () => {
  it("selectTopBlocks equals ranking every candidate by blockScore (ties to the lower index), for every k", () => {
    const { cache, seqs, q } = setup("sparse/topk", 4, 2, 8, [203]);
    const blocks = cache.blocks(seqs[0]!);
    const qs = q.dataSync() as Float32Array;
    const regions = { sinkEnd: 4, localStart: 195 };
    const cands = candidateBlocks(203, 8, regions);
    const scratch = new SelectionScratch();
    for (const summary of ["minmax", "mean"] as const) {
      for (const rows of [[1], [2, 3]]) {
        const head = Math.floor(rows[0]! / 2);
        const scores = cands.map((i) => blockScore(blocks[i]!, head, 8, qs, rows, summary));
        const ranked = cands.map((_, i) => i).sort((x, y) => scores[y]! - scores[x]! || x - y);
        for (let k = 0; k <= cands.length + 1; k++) {
          const want = ranked.slice(0, k).map((i) => cands[i]!).sort((x, y) => x - y);
          expect(Array.from(selectTopBlocks(blocks, cands, k, head, 8, qs, rows, summary, scratch))).toEqual(want);
        }
      }
    }
    q.dispose();
  });


  it("topBlocksFromScores keeps the k best with ties to the lower index and NaN ranked last, for every k", () => {
    const scratch = new SelectionScratch();
    const r = rng("sparse/ties");
    // Scores drawn from five values (many ties), with some NaN or without (the bucketed search); a spread of 300
    // values; candidates are block indices 3, 5, 7, ….
    const sets = [0.1, 0, -1].map((nan) =>
      Float64Array.from({ length: 300 }, () => (r.next() < nan ? NaN : nan < 0 ? r.normal() * 1e3 : Math.floor(r.next() * 5))),
    );
    for (const scores of sets) {
      const cands = Array.from({ length: scores.length }, (_, i) => 3 + 2 * i);
      const key = (i: number) => (Number.isNaN(scores[i]!) ? -Infinity : scores[i]!);
      const ranked = cands.map((_, i) => i).sort((x, y) => key(y) - key(x) || x - y);
      for (let k = 0; k <= cands.length + 1; k++) {
        const want = ranked.slice(0, k).map((i) => cands[i]!).sort((x, y) => x - y);
        expect(Array.from(topBlocksFromScores(scores, 0, cands, k, scratch))).toEqual(want);
      }
    }
  });

  it("keeps the k blocks with the highest Quest bound among the candidates", () => {
    const { cache, seqs, q } = setup("sparse/quest", 2, 1, 8, [64]);
    const got = blockSparseDecode(q, cache, seqs, { topK: 3, sinks: 0, localWindow: 0 });
    const qs = q.dataSync();
    for (let h = 0; h < 2; h++) {
      // Bound recomputed from the raw keys: Σ_i max(q_i · min_t k_ti, q_i · max_t k_ti).
      const bound = cache.blocks(seqs[0]!).map((_, blk) => {
        const [k, v] = [new Float32Array(64), new Float32Array(64)];
        readHead(cache, seqs[0]!, 0, blk * 8, blk * 8 + 8, k, v);
        let s = 0;
        for (let i = 0; i < 8; i++) {
          const col = Array.from({ length: 8 }, (_, t) => k[t * 8 + i]!);
          s += Math.max(qs[h * 8 + i]! * Math.min(...col), qs[h * 8 + i]! * Math.max(...col));
        }
        return s;
      });
      const best = bound.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 3).map(([, i]) => i).sort((a, b) => a - b);
      expect(Array.from(got.selections[h]!.blocks)).toEqual(best);
    }
    expect([got.topK[0], got.blocksScored[0]]).toEqual([3, 8]);
    tf.dispose([q, got.output]);
  });

  it("checks its arguments", () => {
    const { cache, seqs, q } = setup("sparse/args", 2, 1, 8, [10]);
    expect(() => blockSparseDecode(q, cache, seqs, { topK: 1, density: 0.5 })).toThrow(/blockSparseDecode requires topK or density, not both/);
    expect(() => blockSparseDecode(q, cache, seqs, { density: 0 })).toThrow("blockSparseDecode requires 0 < density <= 1, got 0");
    expect(() => blockSparseDecode(q, cache, [0, 0])).toThrow(/requires q of shape \[B, H_q, d\] with B = 2/);
    q.dispose();
  });
});
