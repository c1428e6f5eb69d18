import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import { blockScore, candidateBlocks, keptRanges, type BlockSelection, type BlockSummary } from "./block-selection.ts";
import { groupSizeOf } from "./head-layout.ts";
import type { KvBlock, KvCache } from "./kv-cache.ts";

/** Options of {@link blockSparseDecode}. Give `topK` or `density`, not both. */
export interface BlockSparseDecodeOptions {
  /** Blocks chosen by score per selection head, besides sinks and the local window. */
  topK?: number;
  /** Fraction of the sequence's blocks to choose: k = ⌈density · ⌈T / blockSize⌉⌉. Default 1/8 (when topK is absent). */
  density?: number;
  /** Block summary: `"minmax"` (Quest's per-dimension bound, default) or `"mean"` (mean key). */
  summary?: BlockSummary;
  /** `"query-head"` (default): each query head picks its blocks; `"kv-group"`: the G heads sharing a KV head pick together (summed scores). */
  selectPer?: "query-head" | "kv-group";
  /** The most recent tokens, always kept. Default: the cache's block size. */
  localWindow?: number;
  /** The first tokens (attention sinks), always kept. Default 4. */
  sinks?: number;
  /** Score scale; default 1/√d. */
  scale?: number;
}

/** What {@link blockSparseDecode} returns. */
export interface BlockSparseDecodeResult {
  /** [B, H_q, d] attention output; the caller disposes it. */
  output: tf.Tensor3D;
  /** Selection heads per sequence: H_q (`"query-head"`) or H_kv (`"kv-group"`). */
  selectionHeads: number;
  /** Per sequence b and selection head s, at index b·selectionHeads + s: the kept blocks and token ranges. */
  selections: BlockSelection[];
  /** Blocks k chosen by score per selection head of each sequence, [B]. */
  topK: Int32Array;
  /** Blocks each sequence scored per selection head (candidates), [B]: the selection's summary reads. */
  blocksScored: Int32Array;
}

/**
 * Block top-k sparse decode (Quest / Kinetics): keys sit in the cache's blocks;
 * each block is scored by its summary against the query, the top k blocks
 * (per query head or per KV group) plus the `sinks` first tokens and the
 * `localWindow` newest tokens are kept, and attention is exact over the kept
 * keys. With density 1 (or k ≥ number of blocks) it equals dense attention.
 *
 * Plain typed-array loops (DESIGN.md §4): gathers from a tfjs tensor are slow
 * and buggy on wasm (STACK.md), so this kernel reads the cache's blocks
 * directly, on every backend; only q and the output are tensors.
 *
 * @param q - [B, H_q, d] one query per sequence (read with dataSync)
 * @param cache - the KV cache; H_kv = cache.kvHeads must divide H_q
 * @param seqs - B sequence ids in the cache, each with ≥ 1 token
 * @returns output [B, H_q, d] (the caller disposes it) and the selection, for cost accounting
 * @throws InvalidArgumentError on mismatched shapes or both/invalid topK and density
 * @see Tang et al. 2024 (Quest); Sadhukhan et al. 2025 (Kinetics), block top-k; Xiao et al. 2024 (StreamingLLM sinks)
 */
export function blockSparseDecode(q: tf.Tensor, cache: KvCache, seqs: readonly number[], options: BlockSparseDecodeOptions = {}): BlockSparseDecodeResult {
  const fn = "blockSparseDecode";
  requireArg(fn, q.rank === 3 && q.shape[0] === seqs.length && q.shape[2] === cache.headDim, `q of shape [B, H_q, d] with B = ${seqs.length}, d = ${cache.headDim}`, q.shape);
  const [batch, hq, d] = q.shape as [number, number, number];
  const g = groupSizeOf(fn, hq, cache.kvHeads);
  const { topK, density, summary = "minmax", selectPer = "query-head", localWindow = cache.blockSize, sinks = 4 } = options;
  requireArg(fn, topK === undefined || density === undefined, "topK or density, not both", options);
  requireArg(fn, topK === undefined || (Number.isSafeInteger(topK) && topK >= 0), "an integer topK >= 0", topK);
  requireArg(fn, density === undefined || (density > 0 && density <= 1), "0 < density <= 1", density);
  requireArg(fn, Number.isSafeInteger(localWindow) && localWindow >= 0 && Number.isSafeInteger(sinks) && sinks >= 0, "integer localWindow, sinks >= 0", { localWindow, sinks });
  const scale = options.scale ?? 1 / Math.sqrt(d);
  const bs = cache.blockSize;
  const qs = q.dataSync() as Float32Array;
  const out = new Float32Array(batch * hq * d);
  const selHeads = selectPer === "kv-group" ? cache.kvHeads : hq;
  const result = { selectionHeads: selHeads, selections: [] as BlockSelection[], topK: new Int32Array(batch), blocksScored: new Int32Array(batch) };
  let scores = new Float64Array(0);
  const acc = new Float64Array(d);
  seqs.forEach((seq, b) => {
    const length = cache.length(seq);
    requireArg(fn, length >= 1, "sequences with at least one token", { seq, length });
    const blocks = cache.blocks(seq);
    const regions = { sinkEnd: Math.min(sinks, length), localStart: Math.max(0, length - localWindow) };
    const cands = candidateBlocks(length, bs, regions);
    const k = Math.min(cands.length, topK ?? Math.ceil((density ?? 1 / 8) * blocks.length));
    [result.topK[b], result.blocksScored[b]] = [k, cands.length];
    const qb = qs.subarray(b * hq * d, (b + 1) * hq * d);
    for (let s = 0; s < selHeads; s++) {
      const rows = selectPer === "kv-group" ? Array.from({ length: g }, (_, i) => s * g + i) : [s];
      const head = selectPer === "kv-group" ? s : Math.floor(s / g);
      const blockScores = cands.map((i) => blockScore(blocks[i] as KvBlock, head, d, qb, rows, summary));
      const order = cands.map((_, i) => i).sort((x, y) => (blockScores[y] as number) - (blockScores[x] as number) || x - y);
      const kept = Int32Array.from(order.slice(0, k), (i) => cands[i] as number).sort();
      const sel = keptRanges(length, bs, regions, kept);
      result.selections.push(sel);
      if (scores.length < sel.tokens) scores = new Float64Array(sel.tokens);
      for (const r of rows) {
        const qo = r * d;
        // Pass 1: scores over the kept keys, and their max.
        let n = 0;
        let m = -Infinity;
        for (let ri = 0; ri < sel.starts.length; ri++) {
          for (let t = sel.starts[ri] as number, e = sel.ends[ri] as number; t < e; ) {
            const slot = t % bs;
            const kb = (blocks[(t - slot) / bs] as KvBlock).k;
            const rowsHere = Math.min(bs - slot, e - t);
            for (let j = 0, ko = (head * bs + slot) * d; j < rowsHere; j++, ko += d) {
              const sc = dot(qb, qo, kb, ko, d) * scale;
              scores[n++] = sc;
              if (sc > m) m = sc;
            }
            t += rowsHere;
          }
        }
        // Pass 2: softmax weights times values, in the same order.
        acc.fill(0);
        let l = 0;
        n = 0;
        for (let ri = 0; ri < sel.starts.length; ri++) {
          for (let t = sel.starts[ri] as number, e = sel.ends[ri] as number; t < e; ) {
            const slot = t % bs;
            const vb = (blocks[(t - slot) / bs] as KvBlock).v;
            const rowsHere = Math.min(bs - slot, e - t);
            for (let j = 0, vo = (head * bs + slot) * d; j < rowsHere; j++, vo += d) {
              const w = Math.exp((scores[n++] as number) - m);
              l += w;
              axpy(w, vb, vo, acc, d);
            }
            t += rowsHere;
          }
        }
        const oo = (b * hq + r) * d;
        for (let i = 0; i < d; i++) out[oo + i] = (acc[i] as number) / l;
      }
    }
  });
  return { output: tf.tensor3d(out, [batch, hq, d]), ...result };
}

/** x[xo .. xo+d) · y[yo .. yo+d), four partial sums (lets V8 overlap the multiply-adds). */
function dot(x: Float32Array, xo: number, y: Float32Array, yo: number, d: number): number {
  let [s0, s1, s2, s3] = [0, 0, 0, 0];
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += (x[xo + i] as number) * (y[yo + i] as number);
    s1 += (x[xo + i + 1] as number) * (y[yo + i + 1] as number);
    s2 += (x[xo + i + 2] as number) * (y[yo + i + 2] as number);
    s3 += (x[xo + i + 3] as number) * (y[yo + i + 3] as number);
  }
  for (; i < d; i++) s0 += (x[xo + i] as number) * (y[yo + i] as number);
  return s0 + s1 + (s2 + s3);
}

/** acc[0 .. d) += w · y[yo .. yo+d), unrolled by four. */
function axpy(w: number, y: Float32Array, yo: number, acc: Float64Array, d: number): void {
  let i = 0;
  for (; i + 3 < d; i += 4) {
    acc[i] = (acc[i] as number) + w * (y[yo + i] as number);
    acc[i + 1] = (acc[i + 1] as number) + w * (y[yo + i + 1] as number);
    acc[i + 2] = (acc[i + 2] as number) + w * (y[yo + i + 2] as number);
    acc[i + 3] = (acc[i + 3] as number) + w * (y[yo + i + 3] as number);
  }
  for (; i < d; i++) acc[i] = (acc[i] as number) + w * (y[yo + i] as number);
}
