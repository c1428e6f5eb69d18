import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import { candidateBlocks, keptRanges, type KeptRegions, scoreCandidatesWasm, SelectionScratch, selectTopBlocks, topBlocksFromScores, type BlockSelection, type BlockSummary } from "./block-selection.ts";
import { decodePathFor, RowState, segmentAttender, type DecodePath } from "./dense-decode.ts";
import { groupSizeOf } from "./head-layout.ts";
import type { KvBlock, KvCache } from "./kv-cache.ts";
import { decodePlan } from "./decode-threads.ts";
import { ROWS_MAX_BLOCK, ROWS_MAX_QUERY_FLOATS, SegmentPlanBuilder } from "./wasm-decode-rows.ts";
import { SCRATCH_BYTES, type WasmKvStorage } from "./wasm-kv.ts";

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
  /**
   * Round the always-kept regions out to whole blocks (default false): the
   * sinks up to the end of their last block, the local window down to the start
   * of its first block. Every candidate is then a whole block outside both, so
   * the kept tokens depend only on the length, not on which blocks won
   * ({@link keptRegions}; the count is `spanCounts` with
   * `kind: "block-aligned"` in `lib/cost`). Needs `localWindow >= 1` for that
   * (otherwise the newest, partly filled block is a candidate).
   */
  blockAligned?: boolean;
  /** Score scale; default 1/√d. */
  scale?: number;
  /** Attention kernel over the kept keys (as {@link denseDecode}); `"auto"` (default) picks `"wasm-simd"` when the cache allows it. */
  path?: DecodePath | "auto";
  /** At most this many threads on the wasm-simd path (default: the storage's `threads`; see {@link DecodeThreads}). */
  threads?: number;
}

/** What {@link blockSparseDecodeArrays} returns: the selection, for cost accounting. */
export interface BlockSparseSelection {
  /** Selection heads per sequence: H_q (`"query-head"`) or H_kv (`"kv-group"`). */
  selectionHeads: number;
  /** Per sequence b and selection head s, at index b·selectionHeads + s: the kept blocks and token ranges. */
  selections: BlockSelection[];
  /** Blocks k chosen by score per selection head of each sequence, [B]. */
  topK: Int32Array;
  /** Blocks each sequence scored per selection head (candidates), [B]: the selection's summary reads. */
  blocksScored: Int32Array;
  /** The attention kernel that ran. */
  path: DecodePath;
}

/** What {@link blockSparseDecode} returns. */
export interface BlockSparseDecodeResult extends BlockSparseSelection {
  /** [B, H_q, d] attention output; the caller disposes it. */
  output: tf.Tensor3D;
}

/**
 * Where the sinks end and the local window starts in a sequence of `length`
 * tokens. Plain: the first `sinks` and the last `localWindow` tokens. Block
 * aligned: the sinks rounded up to a block end, the window's start rounded down
 * to a block start (no window when `localWindow` is 0).
 *
 * @example
 * keptRegions(37, 8, 4, 8, true); // { sinkEnd: 8, localStart: 24 }
 */
export function keptRegions(length: number, blockSize: number, sinks: number, localWindow: number, aligned: boolean): KeptRegions {
  if (!aligned) return { sinkEnd: Math.min(sinks, length), localStart: Math.max(0, length - localWindow) };
  const sinkEnd = Math.min(length, Math.ceil(sinks / blockSize) * blockSize);
  const localStart = localWindow === 0 ? length : Math.max(0, Math.floor((length - localWindow) / blockSize) * blockSize);
  return { sinkEnd, localStart };
}

/**
 * Block top-k sparse decode (Quest / Kinetics): keys sit in the cache's blocks;
 * each block is scored by its summary against the query, the top k blocks
 * (per query head or per KV group) plus the `sinks` first tokens and the
 * `localWindow` newest tokens are kept, and attention is exact over the kept
 * keys. With density 1 (or k ≥ number of blocks) it equals dense attention.
 *
 * Hand-written (DESIGN.md §4): gathers from a tfjs tensor are slow and buggy
 * on wasm (STACK.md), so this kernel reads the cache's blocks directly, on
 * every backend; only q and the output are tensors. Selection scores every
 * candidate block in one loop (on the wasm-simd path, many blocks per kernel
 * call) and keeps the top k by a threshold search, no sort
 * ({@link selectTopBlocks}); attention over the kept keys is the one-pass
 * online softmax of {@link denseDecode}, in plain JS or WebAssembly SIMD (the
 * kept segments round-major, read several heads at a time; decision 13).
 *
 * @param q - [B, H_q, d] one query per sequence (read with dataSync)
 * @param cache - the KV cache; H_kv = cache.kvHeads must divide H_q
 * @param seqs - B sequence ids in the cache, each with ≥ 1 token
 * @returns output [B, H_q, d] (the caller disposes it) and the selection, for cost accounting
 * @throws InvalidArgumentError on mismatched shapes or both/invalid topK and density
 * @see Tang et al. 2024 (Quest); Sadhukhan et al. 2025 (Kinetics), block top-k; Xiao et al. 2024 (StreamingLLM sinks)
 */
export function blockSparseDecode(q: tf.Tensor, cache: KvCache, seqs: readonly number[], options: BlockSparseDecodeOptions = {}): BlockSparseDecodeResult {
  requireArg("blockSparseDecode", q.rank === 3 && q.shape[0] === seqs.length && q.shape[2] === cache.headDim, `q of shape [B, H_q, d] with B = ${seqs.length}, d = ${cache.headDim}`, q.shape);
  const [batch, hq, d] = q.shape as [number, number, number];
  const out = new Float32Array(batch * hq * d);
  const selection = blockSparseDecodeArrays(q.dataSync() as Float32Array, hq, cache, seqs, out, options);
  return { output: tf.tensor3d(out, [batch, hq, d]), ...selection };
}

/**
 * {@link blockSparseDecode} on typed arrays, for callers that keep queries and
 * outputs outside tfjs (the tiny model's KV decoder, benchmarks).
 *
 * @param qs - [B, H_q, d] queries, B = seqs.length
 * @param hq - query heads H_q
 * @param out - [B, H_q, d] written
 * @returns the selection per sequence and head, and the path that ran
 * @throws InvalidArgumentError as {@link blockSparseDecode}, or on array lengths that do not match
 */
export function blockSparseDecodeArrays(
  qs: Float32Array,
  hq: number,
  cache: KvCache,
  seqs: readonly number[],
  out: Float32Array,
  options: BlockSparseDecodeOptions = {},
): BlockSparseSelection {
  const fn = "blockSparseDecode";
  const [batch, d] = [seqs.length, cache.headDim];
  requireArg(fn, qs.length === batch * hq * d && out.length === qs.length, "q and out of length B·H_q·d", [qs.length, out.length]);
  const g = groupSizeOf(fn, hq, cache.kvHeads);
  const { topK, density, summary = "minmax", selectPer = "query-head", localWindow = cache.blockSize, sinks = 4, blockAligned = false } = options;
  requireArg(fn, topK === undefined || density === undefined, "topK or density, not both", options);
  requireArg(fn, topK === undefined || (Number.isSafeInteger(topK) && topK >= 0), "an integer topK >= 0", topK);
  requireArg(fn, density === undefined || (density > 0 && density <= 1), "0 < density <= 1", density);
  requireArg(fn, Number.isSafeInteger(localWindow) && localWindow >= 0 && Number.isSafeInteger(sinks) && sinks >= 0, "integer localWindow, sinks >= 0", { localWindow, sinks });
  const scale = options.scale ?? 1 / Math.sqrt(d);
  const auto = decodePathFor(cache);
  const path = options.path === undefined || options.path === "auto" ? auto : options.path;
  requireArg(fn, path === "js" || auto === "wasm-simd", "path wasm-simd only for a cache in WasmKvStorage with d a multiple of 4", path);
  const bs = cache.blockSize;
  const selHeads = selectPer === "kv-group" ? cache.kvHeads : hq;
  const result = { selectionHeads: selHeads, selections: [] as BlockSelection[], topK: new Int32Array(batch), blocksScored: new Int32Array(batch), path };
  const scratch = new SelectionScratch();
  const state = new RowState(d, bs);
  const attender = segmentAttender(path, cache);
  // Selection on the wasm kernel when the summaries live in wasm memory and the queries fit the scratch.
  const wasmSelect = path === "wasm-simd" && 2 * hq * d * 4 <= SCRATCH_BYTES / 2 && hq <= 4096;
  let table = new Float64Array(0);
  // wasm-simd attention goes round-major over the kept segments of all heads (decodeSequenceWasm), after all selections.
  const storage = path === "wasm-simd" ? (cache.storage as WasmKvStorage) : undefined;
  const builder = storage !== undefined && hq * d <= ROWS_MAX_QUERY_FLOATS && bs <= ROWS_MAX_BLOCK ? new SegmentPlanBuilder(storage) : undefined;
  // One sequence's selection per query head, for the builder.
  const headSel: BlockSelection[] = new Array(hq);
  const groupRows = Array.from({ length: selHeads }, (_, s) => (selectPer === "kv-group" ? Array.from({ length: g }, (_, i) => s * g + i) : [s]));
  seqs.forEach((seq, b) => {
    const length = cache.length(seq);
    requireArg(fn, length >= 1, "sequences with at least one token", { seq, length });
    const blocks = cache.blocks(seq);
    const regions = keptRegions(length, bs, sinks, localWindow, blockAligned);
    const cands = candidateBlocks(length, bs, regions);
    const k = Math.min(cands.length, topK ?? Math.ceil((density ?? 1 / 8) * blocks.length));
    [result.topK[b], result.blocksScored[b]] = [k, cands.length];
    const qb = qs.subarray(b * hq * d, (b + 1) * hq * d);
    builder?.sequence(blocks);
    const scoreAll = wasmSelect && k > 0 && k < cands.length;
    if (scoreAll) {
      if (table.length < selHeads * cands.length) table = new Float64Array(selHeads * cands.length);
      scoreCandidatesWasm(cache.storage as WasmKvStorage, blocks, cands, qb, hq, g, d, groupRows, summary, table);
    }
    for (let s = 0; s < selHeads; s++) {
      const rows = groupRows[s] as number[];
      const head = selectPer === "kv-group" ? s : Math.floor(s / g);
      const kept = scoreAll ? topBlocksFromScores(table, s * cands.length, cands, k, scratch) : selectTopBlocks(blocks, cands, k, head, d, qb, rows, summary, scratch);
      const sel = keptRanges(length, bs, regions, kept);
      result.selections.push(sel);
      for (const r of rows) {
        if (builder !== undefined) {
          headSel[r] = sel;
          continue;
        }
        state.reset(qs, (b * hq + r) * d, scale);
        attender.begin(state);
        forEachSegment(sel, bs, (block, slot, n) => attender.add(state, blocks[block] as KvBlock, head, slot, n));
        attender.end(state);
        state.finish(out, (b * hq + r) * d);
      }
    }
    if (builder !== undefined) addRoundMajor(builder, headSel, bs);
  });
  if (builder !== undefined && storage !== undefined) {
    const plan = builder.finish(storage.threads > 1);
    decodePlan(storage, plan, { hq, group: g, d, blockSize: bs, scale }, qs, out, new Float32Array(batch * hq), options.threads);
  }
  return result;
}

/** Call `visit(block, slot, n)` for every run of a selection's kept tokens within one block, in token order. */
function forEachSegment(sel: BlockSelection, bs: number, visit: (block: number, slot: number, n: number) => void): void {
  for (let ri = 0; ri < sel.starts.length; ri++) {
    for (let t = sel.starts[ri] as number, e = sel.ends[ri] as number; t < e; ) {
      const slot = t % bs;
      const n = Math.min(bs - slot, e - t);
      visit((t - slot) / bs, slot, n);
      t += n;
    }
  }
}

/**
 * Give `builder` every head's kept segments (per-block runs, as
 * {@link forEachSegment}) round-major: every head's first segment, then every
 * head's second, and so on. Consecutive segments then belong to different heads
 * and mostly have the same length, which is what the multi-stream kernels of
 * {@link decodeSequenceWasm} read together; each head's segments stay in token order.
 */
function addRoundMajor(builder: SegmentPlanBuilder, headSel: readonly BlockSelection[], bs: number): void {
  const hq = headSel.length;
  // Per head: the range being cut into segments and the next token in it.
  const range = new Int32Array(hq);
  const next = Int32Array.from(headSel, (sel) => (sel.starts.length > 0 ? (sel.starts[0] as number) : 0));
  for (let more = true; more; ) {
    more = false;
    for (let h = 0; h < hq; h++) {
      const sel = headSel[h] as BlockSelection;
      const ri = range[h] as number;
      if (ri >= sel.starts.length) continue;
      const t = next[h] as number;
      const e = sel.ends[ri] as number;
      const slot = t % bs;
      const n = Math.min(bs - slot, e - t);
      builder.add((t - slot) / bs, h, slot, n);
      range[h] = t + n < e ? ri : ri + 1;
      next[h] = t + n < e ? t + n : ri + 1 < sel.starts.length ? (sel.starts[ri + 1] as number) : 0;
      more = true;
    }
  }
}
