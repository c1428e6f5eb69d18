import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import { dotAt } from "./dot.ts";
import { groupSizeOf } from "./head-layout.ts";
import type { KvBlock, KvCache, KvPlace } from "./kv-cache.ts";
import { decodePlan } from "./decode-threads.ts";
import { densePlan, ROWS_MAX_BLOCK, ROWS_MAX_QUERY_FLOATS } from "./wasm-decode-rows.ts";
import { SCRATCH, WasmKvStorage, type WasmArena } from "./wasm-kv.ts";

/**
 * Which loop ran a decode kernel:
 * - `"js"`: plain typed-array loops (any cache, any head dim);
 * - `"wasm-simd"`: the hand-assembled WebAssembly SIMD kernel ({@link WasmKvStorage}),
 *   for caches whose blocks live in a `WasmKvStorage`, head dims that are multiples of 4 (≤ 4096)
 *   and blocks of ≤ 8192 tokens.
 */
export type DecodePath = "js" | "wasm-simd";

/** Options of {@link denseDecode}. */
export interface DenseDecodeOptions {
  /** Score scale; default 1/√d. */
  scale?: number;
  /** Kernel to run; `"auto"` (default) picks `"wasm-simd"` when the cache allows it, else `"js"`. */
  path?: DecodePath | "auto";
  /** At most this many threads on the wasm-simd path (default: the storage's `threads`; see {@link DecodeThreads}). */
  threads?: number;
}

/** What {@link denseDecode} returns. */
export interface DenseDecodeResult {
  /** [B, H_q, d] attention output; the caller disposes it. */
  output: tf.Tensor3D;
  /** [B, H_q] log Σ_j exp(scale · q·k_j); the caller disposes it. */
  lse: tf.Tensor2D;
  /** The kernel that ran. */
  path: DecodePath;
}

/** The path `"auto"` resolves to for this cache and head dim. */
export function decodePathFor(cache: KvCache): DecodePath {
  // wasm-simd needs the blocks in WebAssembly memory and d, block size within the arena scratch layout
  const fits = cache.headDim % 4 === 0 && cache.headDim <= 4096 && cache.blockSize <= 8192;
  return cache.storage instanceof WasmKvStorage && fits ? "wasm-simd" : "js";
}

/**
 * Dense decode attention read straight from a {@link KvCache}: each of B
 * sequences brings one query per head and attends to all of its cached keys.
 * One pass over K and V with an online softmax (running max, rescaled sum and
 * accumulator per block), so each key and value is read exactly once; query
 * heads sharing a KV head (GQA/MQA) reuse the block while it is in cache.
 * The wasm-simd path goes block-major (all heads of a block, then the next
 * block: contiguous reads) when H_q·d ≤ 4096, and on a storage made with
 * `threads` ≥ 2 splits a large batch (≥ THREADED_MIN_WORK keys × heads) over
 * that many threads ({@link DecodeThreads}); every variant gives the same bytes.
 * Equal to {@link denseAttention} with `kvLengths` up to rounding.
 *
 * Hand-written (DESIGN.md §4): tfjs ops would first copy the cache into
 * tensors, and the wasm heap cannot hold batch 16 × 64k keys (STACK.md).
 *
 * @param q - [B, H_q, d] one query per sequence (read with dataSync)
 * @param cache - the KV cache; H_kv = cache.kvHeads must divide H_q
 * @param seqs - B sequence ids, each with ≥ 1 token
 * @param options - scale, path
 * @returns `{ output [B, H_q, d], lse [B, H_q], path }`; the caller disposes output and lse
 * @throws InvalidArgumentError on mismatched shapes, empty sequences, or a path the cache cannot run
 */
export function denseDecode(q: tf.Tensor, cache: KvCache, seqs: readonly number[], options: DenseDecodeOptions = {}): DenseDecodeResult {
  const fn = "denseDecode";
  requireArg(fn, q.rank === 3 && q.shape[0] === seqs.length && q.shape[2] === cache.headDim, `q of shape [B, H_q, d] with B = ${seqs.length}, d = ${cache.headDim}`, q.shape);
  const [batch, hq, d] = q.shape as [number, number, number];
  const out = new Float32Array(batch * hq * d);
  const lse = new Float32Array(batch * hq);
  const path = denseDecodeArrays(q.dataSync() as Float32Array, hq, cache, seqs, out, lse, options);
  return { output: tf.tensor3d(out, [batch, hq, d]), lse: tf.tensor2d(lse, [batch, hq]), path };
}

/**
 * {@link denseDecode} on typed arrays, for callers that keep queries and
 * outputs outside tfjs (benchmarks, other kernels).
 *
 * @param qs - [B, H_q, d] queries
 * @param out - [B, H_q, d] written
 * @param lse - [B, H_q] written
 * @returns the path that ran
 */
export function denseDecodeArrays(
  qs: Float32Array,
  hq: number,
  cache: KvCache,
  seqs: readonly number[],
  out: Float32Array,
  lse: Float32Array,
  options: DenseDecodeOptions = {},
): DecodePath {
  const fn = "denseDecode";
  const d = cache.headDim;
  const g = groupSizeOf(fn, hq, cache.kvHeads);
  requireArg(fn, qs.length === seqs.length * hq * d && out.length === qs.length && lse.length === seqs.length * hq, "q and out of length B·H_q·d and lse of B·H_q", [qs.length, out.length, lse.length]);
  const scale = options.scale ?? 1 / Math.sqrt(d);
  requireArg(fn, Number.isFinite(scale), "a finite scale", scale);
  const auto = decodePathFor(cache);
  const path = options.path === undefined || options.path === "auto" ? auto : options.path;
  requireArg(fn, path === "js" || auto === "wasm-simd", "path wasm-simd only for a cache in WasmKvStorage with d a multiple of 4", path);
  if (path === "wasm-simd" && hq * d <= ROWS_MAX_QUERY_FLOATS && cache.blockSize <= ROWS_MAX_BLOCK) {
    const storage = cache.storage as WasmKvStorage;
    const plan = densePlan(cache, storage, seqs, hq, storage.threads > 1);
    decodePlan(storage, plan, { hq, group: g, d, blockSize: cache.blockSize, scale }, qs, out, lse, options.threads);
    return path;
  }
  const state = new RowState(d, cache.blockSize);
  const attender = segmentAttender(path, cache);
  const bs = cache.blockSize;
  for (let b = 0; b < seqs.length; b++) {
    const seq = seqs[b] as number;
    const length = cache.length(seq);
    requireArg(fn, length >= 1, "sequences with at least one token", { seq, length });
    const blocks = cache.blocks(seq);
    for (let h = 0; h < hq; h++) {
      const row = b * hq + h;
      state.reset(qs, row * d, scale);
      const head = Math.floor(h / g);
      attender.begin(state);
      for (let bi = 0, start = 0; start < length; bi++, start += bs) attender.add(state, blocks[bi] as KvBlock, head, 0, Math.min(bs, length - start));
      attender.end(state);
      lse[row] = state.finish(out, row * d);
    }
  }
  return path;
}

/** Online-softmax state of one query row. */
export class RowState {
  /** The query times the scale. */
  readonly q: Float64Array;
  readonly acc: Float64Array;
  /** One block's scores, then weights. */
  readonly w: Float64Array;
  m = -Infinity;
  l = 0;

  constructor(readonly d: number, blockSize: number) {
    this.q = new Float64Array(d);
    this.acc = new Float64Array(d);
    this.w = new Float64Array(Math.max(1, blockSize));
  }

  reset(qs: Float32Array, offset: number, scale: number): void {
    for (let i = 0; i < this.d; i++) this.q[i] = (qs[offset + i] as number) * scale;
    this.acc.fill(0);
    this.m = -Infinity;
    this.l = 0;
  }

  /** Write acc / l at `offset`; returns the log-sum-exp m + log l. */
  finish(out: Float32Array, offset: number): number {
    const inv = 1 / this.l;
    for (let i = 0; i < this.d; i++) out[offset + i] = (this.acc[i] as number) * inv;
    return this.m + Math.log(this.l);
  }
}

/**
 * Feeds runs of consecutive keys of one KV head to a {@link RowState}: `begin`,
 * any number of `add(block, firstSlot, n)` (n ≤ block size − firstSlot), `end`.
 */
export interface SegmentAttender {
  begin(st: RowState): void;
  add(st: RowState, block: KvBlock, head: number, slot: number, n: number): void;
  end(st: RowState): void;
}

/** Keys and values laid out as [heads, rows, d], as in a block (head-major). */
export type HeadMajorKv = Pick<KvBlock, "k" | "v">;

/** The attender for a decode path. */
export function segmentAttender(path: DecodePath, cache: KvCache): SegmentAttender {
  return path === "js" ? new JsAttender(cache.blockSize, cache.headDim) : new WasmAttender(cache.storage as WasmKvStorage, cache.blockSize, cache.headDim);
}

/**
 * Plain-JS segments: scores, block max, one rescale per segment, weighted
 * values four rows at a time. `bs` is the rows per head of the arrays it is
 * given (a cache block, or any [heads, bs, d] pair).
 */
export class JsAttender implements SegmentAttender {
  constructor(readonly bs: number, readonly d: number) {}

  begin(): void {}

  end(): void {}

  add(st: RowState, block: HeadMajorKv, head: number, slot: number, n: number): void {
    const { q, acc, w } = st;
    const d = this.d;
    const base = (head * this.bs + slot) * d;
    const k = block.k;
    let bm = -Infinity;
    for (let j = 0, ko = base; j < n; j++, ko += d) {
      const s = dotAt(q, 0, k, ko, d);
      w[j] = s;
      if (s > bm) bm = s;
    }
    const m = bm > st.m ? bm : st.m;
    const alpha = Math.exp(st.m - m);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const x = Math.exp((w[j] as number) - m);
      w[j] = x;
      sum += x;
    }
    st.l = st.l * alpha + sum;
    st.m = m;
    const v = block.v;
    let j = 0;
    // Values four rows at a time: acc is loaded and stored once per four keys.
    for (; j + 3 < n; j += 4) {
      const [w0, w1, w2, w3] = [w[j] as number, w[j + 1] as number, w[j + 2] as number, w[j + 3] as number];
      const o0 = base + j * d;
      const a = j === 0 ? alpha : 1;
      for (let i = 0; i < d; i++) {
        const o = o0 + i;
        acc[i] = (acc[i] as number) * a + w0 * (v[o] as number) + w1 * (v[o + d] as number) + w2 * (v[o + 2 * d] as number) + w3 * (v[o + 3 * d] as number);
      }
    }
    if (j === 0 && alpha !== 1) for (let i = 0; i < d; i++) acc[i] = (acc[i] as number) * alpha;
    for (; j < n; j++) {
      const x = w[j] as number;
      const o0 = base + j * d;
      for (let i = 0; i < d; i++) acc[i] = (acc[i] as number) + x * (v[o0 + i] as number);
    }
  }
}

/**
 * WebAssembly SIMD segments: `scores`, `expsum`, `wsum` calls; JS only
 * updates the running max, sum and rescale factor. The running accumulator lives in the scratch of the arena holding the
 * current block and moves with the query when the arena changes.
 */
class WasmAttender implements SegmentAttender {
  private arena: WasmArena | undefined;
  private scratch: Float32Array = new Float32Array(0);

  constructor(readonly storage: WasmKvStorage, readonly bs: number, readonly d: number) {}

  begin(): void {
    this.arena = undefined;
  }

  add(st: RowState, block: KvBlock, head: number, slot: number, n: number): void {
    const d = this.d;
    // Every block of a WasmKvStorage carries its place (arena and byte offsets).
    const place = block.place as KvPlace;
    const a = this.storage.arenas[place.kvArena] as WasmArena;
    const accOff = SCRATCH.acc >> 2;
    if (a !== this.arena) {
      this.end(st);
      this.arena = a;
      const s = (this.scratch = a.scratch);
      for (let i = 0; i < d; i++) {
        s[i] = st.q[i] as number;
        s[accOff + i] = st.acc[i] as number;
      }
    }
    const s = this.scratch;
    const off = (head * this.bs + slot) * d * 4;
    const bm = a.kernel.scores(SCRATCH.q, place.k + off, n, d, SCRATCH.w);
    const m = bm > st.m ? bm : st.m;
    const alpha = Math.exp(st.m - m);
    // Pad to a multiple of 4 with −∞: those weights come out ≈ 1e-38 (x clamped at −87) and wsum never reads them.
    const n4 = (n + 3) & ~3;
    for (let j = n, o = (SCRATCH.w >> 2) + n; j < n4; j++, o++) s[o] = -Infinity;
    const sum = a.kernel.expsum(SCRATCH.w, n4, m);
    st.l = st.l * alpha + sum;
    st.m = m;
    a.kernel.wsum(SCRATCH.w, place.v + off, n, d, SCRATCH.acc, alpha);
  }

  /** Copy the accumulator out of the current arena's scratch. */
  end(st: RowState): void {
    if (this.arena === undefined) return;
    const accOff = SCRATCH.acc >> 2;
    for (let i = 0; i < this.d; i++) st.acc[i] = this.scratch[accOff + i] as number;
    this.arena = undefined;
  }
}
