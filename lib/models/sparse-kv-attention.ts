import { blockSparseDecodeArrays, type BlockSparseDecodeOptions } from "../attention/block-sparse-decode.ts";
import { denseDecodeArrays } from "../attention/dense-decode.ts";
import { KvCache } from "../attention/kv-cache.ts";
import { WasmKvStorage, wasmSimdAvailable } from "../attention/wasm-kv.ts";
import { requireArg } from "../core/errors.ts";
import type { ResolvedBlockTopK } from "./decoder-attention.ts";

/** Head counts and depth of the model a {@link SparseKvAttention} serves. */
export interface SparseKvShape {
  layers: number;
  /** Query heads H. */
  heads: number;
  /** KV heads H_kv (dividing H). */
  kvHeads: number;
  /** Head dimension d. */
  headDim: number;
}

/**
 * The KV cache and attention of {@link KvDecoder} when it decodes with block
 * top-k attention: one paged {@link KvCache} per layer (blocks of the
 * selection's size, with the Quest min/max key summaries kept up to date as
 * tokens arrive; in WebAssembly memory when SIMD is available, so the kernels
 * take their `"wasm-simd"` path), one cache sequence per batch row, and per step
 * `blockSparseDecodeArrays` (block-aligned sinks and window, selection per KV
 * group) for the rows that decode sparsely and `denseDecodeArrays` for the
 * others (prompt tokens, as a prefill would). No tensors: the caller passes
 * the projections as a typed array.
 *
 * @see blockSparseDecode for the kernel; decoderAttentionSpan for its cost
 */
export class SparseKvAttention {
  /** Keys attended at the latest step, per row: the mean over layers and query heads. */
  readonly attended: Float64Array;
  private readonly caches: KvCache[];
  private readonly seqs: number[][];
  private readonly options: BlockSparseDecodeOptions;

  /**
   * @param batch - rows B
   * @param attention - the resolved block top-k setting
   */
  constructor(
    private readonly shape: SparseKvShape,
    readonly batch: number,
    attention: ResolvedBlockTopK,
  ) {
    this.attended = new Float64Array(batch);
    // Blocks in WebAssembly memory where SIMD runs (the kernels' fast path; fewer objects for the GC), else plain arrays.
    const storage = wasmSimdAvailable() && shape.headDim % 4 === 0 ? new WasmKvStorage({ arenaBytes: 64 * 2 ** 20 }) : undefined;
    this.caches = Array.from({ length: shape.layers }, () => new KvCache({ kvHeads: shape.kvHeads, headDim: shape.headDim, blockSize: attention.blockSize, ...(storage ? { storage } : {}) }));
    this.seqs = this.caches.map((c) => Array.from({ length: batch }, () => c.createSequence()));
    const k = attention.topK === undefined ? { density: attention.density as number } : { topK: attention.topK };
    this.options = { ...k, summary: attention.summary, selectPer: "kv-group", sinks: attention.sinks, localWindow: attention.window, blockAligned: true };
  }

  /** Empty a row's caches so it can start a new sequence. */
  reset(row: number): void {
    this.caches.forEach((c, l) => {
      const seqs = this.seqs[l] as number[];
      c.free(seqs[row] as number);
      seqs[row] = c.createSequence();
    });
  }

  /**
   * Append this step's keys and values of every active row to layer `l`'s
   * cache, then attend: sparsely for rows in `sparse` (default all), densely
   * for the rest.
   *
   * @param qkv - [B, H·d + 2·H_kv·d] queries, keys, values of this step (row-major)
   * @param positions - [B] tokens each row had cached before this step (checked against the cache)
   * @param out - [B, H·d] head outputs, written for active rows
   * @param active - rows to process (default all)
   * @param sparse - rows that may attend sparsely (default all active rows)
   * @throws InvalidArgumentError when a row's cache length differs from its position (a reset was missed)
   */
  attend(l: number, qkv: Float32Array, positions: Int32Array, out: Float32Array, active?: ArrayLike<boolean>, sparse?: ArrayLike<boolean>): void {
    const { heads, kvHeads, headDim: d, layers } = this.shape;
    const dModel = heads * d;
    const width = dModel + 2 * kvHeads * d;
    const cache = this.caches[l] as KvCache;
    const seqs = this.seqs[l] as number[];
    const groups: [number[], number[]] = [[], []]; // dense rows, sparse rows
    for (let b = 0; b < this.batch; b++) {
      if (active !== undefined && !active[b]) continue;
      const seq = seqs[b] as number;
      requireArg("KvDecoder.step", cache.length(seq) === positions[b], "a row's cache to hold its position's tokens", { row: b, cached: cache.length(seq), position: positions[b] });
      const row = b * width;
      cache.append(seq, qkv.subarray(row + dModel, row + dModel + kvHeads * d), qkv.subarray(row + dModel + kvHeads * d, row + width));
      groups[sparse === undefined || sparse[b] ? 1 : 0].push(b);
    }
    groups.forEach((rows, isSparse) => {
      if (rows.length === 0) return;
      const qs = new Float32Array(rows.length * dModel);
      rows.forEach((b, i) => qs.set(qkv.subarray(b * width, b * width + dModel), i * dModel));
      const o = new Float32Array(qs.length);
      const ids = rows.map((b) => seqs[b] as number);
      if (isSparse === 1) {
        const sel = blockSparseDecodeArrays(qs, heads, cache, ids, o, this.options);
        rows.forEach((b, i) => {
          let kept = 0;
          for (let s = 0; s < sel.selectionHeads; s++) kept += (sel.selections[i * sel.selectionHeads + s] as { tokens: number }).tokens;
          this.count(b, l, kept / sel.selectionHeads, layers);
        });
      } else {
        denseDecodeArrays(qs, heads, cache, ids, o, new Float32Array(rows.length * heads));
        rows.forEach((b) => this.count(b, l, cache.length(seqs[b] as number), layers));
      }
      rows.forEach((b, i) => out.set(o.subarray(i * dModel, (i + 1) * dModel), b * dModel));
    });
  }

  /** Add one layer's keys to a row's per-step mean (reset at layer 0). */
  private count(row: number, layer: number, keys: number, layers: number): void {
    this.attended[row] = (layer === 0 ? 0 : (this.attended[row] as number)) + keys / layers;
  }
}
