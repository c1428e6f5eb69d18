import { requireArg } from "../core/errors.ts";
import type { KvBlock, KvCache, KvPlace } from "./kv-cache.ts";
import { SCRATCH, type DecodeKernel, type WasmKvStorage } from "./wasm-kv.ts";

/** Most floats of queries (H_q·d) one sequence may bring to {@link decodeSequenceWasm}: its scratch holds every head's query and accumulator. */
export const ROWS_MAX_QUERY_FLOATS = (SCRATCH.w - SCRATCH.q) / 4;
/** Most tokens per block {@link decodeSequenceWasm} can score at once. */
export const ROWS_MAX_BLOCK = (SCRATCH.acc - SCRATCH.w) / 4;

/**
 * What the wasm decode kernels read, for a whole batch: a block table (arena
 * and byte offsets of each block's K and V, [H_kv, bs, d] each) and, per
 * sequence, its attention work as segments — quads `[entry, query head,
 * first slot, n]`: query head h attends to slots [slot, slot + n) of table
 * entry `entry`. Within a sequence one head's segments are in token order;
 * otherwise the order is the plan's choice and sets how memory is read: dense
 * plans are block-major (by block, then head: a block's K and V stream front to
 * back), block-sparse plans round-major (every head's first segment, then every
 * head's second, …: consecutive segments of different heads, read together by
 * the multi-stream kernels).
 */
export interface SegmentPlan {
  arenaOfBlock: Int32Array;
  kOffset: Float64Array;
  vOffset: Float64Array;
  segments: Int32Array;
  /** B + 1 quad indices: sequence b's segments are quads segStart[b] .. segStart[b + 1] − 1. */
  segStart: Int32Array;
  /** Σ n over all segments: keys × query heads attended. */
  work: number;
}

/**
 * Everything {@link decodeSequenceWasm} needs for one sequence, as plain
 * numbers and typed arrays (so a worker thread can be handed the same job).
 */
export interface SequenceJob {
  /** Kernel instance per arena (each bound to its arena's memory). */
  kernels: readonly DecodeKernel[];
  /** Per arena, a float view of this thread's scratch region (SCRATCH_BYTES / 4 floats, laid out as SCRATCH). */
  scratches: readonly Float32Array[];
  /** Byte offset of this thread's scratch region in every arena. */
  scratchBase: number;
  plan: SegmentPlan;
  /** The sequence's index b in the batch: queries at qs[b·H_q·d …], outputs likewise, segments from plan.segStart[b]. */
  row: number;
  /** [B, H_q, d] queries. */
  qs: Float32Array;
  hq: number;
  /** Query heads per KV head (H_q / H_kv). */
  group: number;
  d: number;
  blockSize: number;
  scale: number;
  /** [B, H_q, d] written. */
  out: Float32Array;
  /** [B, H_q] log-sum-exp, written. */
  lse: Float32Array;
  /** Work arrays of ≥ H_q entries (running max and sum per head). */
  m: Float64Array;
  l: Float64Array;
}

/**
 * Decode attention of one sequence with the WebAssembly SIMD kernels over its
 * segments ({@link SegmentPlan}), in plan order and in runs of consecutive
 * segments: every segment's scores and exponentials (reading K), then every
 * segment's weighted values (reading V), then the next run; eight or four
 * segments of distinct heads at a time go through the multi-stream kernels,
 * which read their scattered K or V runs in lockstep. Each head keeps an
 * online-softmax state (running max `m`, sum `l`, accumulator in scratch) and
 * sees its keys in token order, so the results are bit-identical to attending
 * head by head.
 *
 * Self-contained on purpose — it uses nothing but its argument and its own
 * inner functions, no imports — because the decode worker threads
 * ({@link DecodeThreads}) run this function's own source text.
 *
 * @param job - the sequence, its queries and segments, where to write (see {@link SequenceJob})
 */
export function decodeSequenceWasm(job: SequenceJob): void {
  const { kernels, scratches, plan, qs, hq, d, blockSize: bs, m, l } = job;
  const { segments: seg, arenaOfBlock, kOffset, vOffset } = plan;
  const hd = hq * d;
  const base = job.row * hd;
  // SCRATCH's offsets, written out: this body may not refer to anything outside it.
  const [qPtr, wPtr, accPtr] = [job.scratchBase, job.scratchBase + 16384, job.scratchBase + 49152];
  const [wF, accF] = [4096, 12288];
  m.fill(-Infinity, 0, hq);
  l.fill(0, 0, hq);
  let cur = -1;
  let s = scratches[0] as Float32Array;
  const end = 4 * (plan.segStart[job.row + 1] as number);
  // Segments run in two passes over runs of consecutive segments in one arena — every segment's scores and weights
  // (reading K), then every segment's weighted values (reading V) — each with its own weights in scratch, at most
  // `maxRun` per run. Eight (or four) consecutive segments of equal length and distinct heads go through the
  // multi-stream kernels together (scores8 / scores4, wsum8 / wsum4), so that many scattered runs are read at once
  // (decision 13). A head's segments keep their order, so each head's arithmetic is the same as attending head by head.
  const stride = (bs + 3) & ~3;
  const maxRun = Math.max(1, Math.floor((8192 - 16) / stride));
  // scores4 / scores8 read and write their running maxima and sums in the last 64 bytes of the weights region.
  const [mxPtr, mxF] = [wPtr + 32768 - 64, wF + 8192 - 16];
  const alphas = new Float64Array(maxRun);
  // Per segment of a run that starts a multi-stream group, the group's size (1, 4 or 8), set in the K pass for the V pass.
  const groups = new Uint8Array(maxRun);
  // Per segment of a run: byte addresses of its first key and value row.
  const kAt = new Float64Array(maxRun);
  const vAt = new Float64Array(maxRun);
  const [group, rowBytes, wStride] = [job.group, d * 4, stride * 4];
  // Byte addresses of the query and the accumulator of the head of segment t after quad index u.
  const qAt = (u: number, t: number): number => qPtr + (seg[u + 4 * t + 1] as number) * rowBytes;
  const accAt = (u: number, t: number): number => accPtr + (seg[u + 4 * t + 1] as number) * rowBytes;
  // How many segments from quad index u go through one multi-stream kernel call: 8 or 4 when that many have the
  // same length and distinct heads, else 1 (`stamp` marks the heads seen in the group being checked).
  const stamp = new Int32Array(hq);
  let stampId = 0;
  const groupAt = (u: number, stop: number): number => {
    for (let size = 8; size >= 4; size -= 4) {
      if (u + 4 * size > stop) continue;
      const n = seg[u + 3] as number;
      stampId++;
      let t = 0;
      for (; t < size; t++) {
        const h = seg[u + 4 * t + 1] as number;
        if (seg[u + 4 * t + 3] !== n || stamp[h] === stampId) break;
        stamp[h] = stampId;
      }
      if (t === size) return size;
    }
    return 1;
  };
  for (let i = 4 * (plan.segStart[job.row] as number); i < end; ) {
    const a = arenaOfBlock[seg[i] as number] as number;
    if (a !== cur) {
      // Queries and accumulators live in the scratch of the arena being read; move them along.
      const ns = scratches[a] as Float32Array;
      for (let j = 0; j < hd; j++) {
        ns[j] = cur < 0 ? (qs[base + j] as number) * job.scale : (s[j] as number);
        ns[accF + j] = cur < 0 ? 0 : (s[accF + j] as number);
      }
      cur = a;
      s = ns;
    }
    const kernel = kernels[a] as DecodeKernel;
    let stop = i;
    for (let r = 0; stop < end && arenaOfBlock[seg[stop] as number] === a && r < maxRun; stop += 4, r++) {
      const e = seg[stop] as number;
      const off = (((seg[stop + 1] as number) / group | 0) * bs + (seg[stop + 2] as number)) * rowBytes;
      kAt[r] = (kOffset[e] as number) + off;
      vAt[r] = (vOffset[e] as number) + off;
    }
    for (let u = i, r = 0; u < stop; ) {
      const n = seg[u + 3] as number;
      const size = (groups[r] = groupAt(u, stop));
      if (size > 1) {
        for (let t = 0; t < size; t++) s[mxF + t] = m[seg[u + 4 * t + 1] as number] as number;
        const w = wPtr + r * wStride;
        if (size === 8) {
          kernel.scores8(
            qAt(u, 0), kAt[r] as number, w, qAt(u, 1), kAt[r + 1] as number, w + wStride,
            qAt(u, 2), kAt[r + 2] as number, w + 2 * wStride, qAt(u, 3), kAt[r + 3] as number, w + 3 * wStride,
            qAt(u, 4), kAt[r + 4] as number, w + 4 * wStride, qAt(u, 5), kAt[r + 5] as number, w + 5 * wStride,
            qAt(u, 6), kAt[r + 6] as number, w + 6 * wStride, qAt(u, 7), kAt[r + 7] as number, w + 7 * wStride,
            n, d, mxPtr,
          );
        } else {
          kernel.scores4(
            qAt(u, 0), kAt[r] as number, w, qAt(u, 1), kAt[r + 1] as number, w + wStride,
            qAt(u, 2), kAt[r + 2] as number, w + 2 * wStride, qAt(u, 3), kAt[r + 3] as number, w + 3 * wStride,
            n, d, mxPtr,
          );
        }
        for (let t = 0; t < size; t++, u += 4, r++) {
          const h = seg[u + 1] as number;
          const mNew = s[mxF + t] as number;
          const alpha = Math.exp((m[h] as number) - mNew);
          l[h] = (l[h] as number) * alpha + (s[mxF + size + t] as number);
          m[h] = mNew;
          alphas[r] = alpha;
        }
        continue;
      }
      const h = seg[u + 1] as number;
      const mh = m[h] as number;
      const bm = kernel.scores(qPtr + h * rowBytes, kAt[r] as number, n, d, wPtr + r * wStride);
      const mNew = bm > mh ? bm : mh;
      const alpha = Math.exp(mh - mNew);
      // Pad to a multiple of 4 with −∞: those weights come out ≈ 1e-38 (x clamped at −87) and wsum never reads them.
      const n4 = (n + 3) & ~3;
      for (let j = n; j < n4; j++) s[wF + r * stride + j] = -Infinity;
      const sum = kernel.expsum(wPtr + r * wStride, n4, mNew);
      l[h] = (l[h] as number) * alpha + sum;
      m[h] = mNew;
      alphas[r] = alpha;
      u += 4;
      r++;
    }
    for (let u = i, r = 0; u < stop; ) {
      const n = seg[u + 3] as number;
      const size = groups[r] as number;
      const w = wPtr + r * wStride;
      if (size === 8) {
        kernel.wsum8(
          w, vAt[r] as number, accAt(u, 0), alphas[r] as number, w + wStride, vAt[r + 1] as number, accAt(u, 1), alphas[r + 1] as number,
          w + 2 * wStride, vAt[r + 2] as number, accAt(u, 2), alphas[r + 2] as number, w + 3 * wStride, vAt[r + 3] as number, accAt(u, 3), alphas[r + 3] as number,
          w + 4 * wStride, vAt[r + 4] as number, accAt(u, 4), alphas[r + 4] as number, w + 5 * wStride, vAt[r + 5] as number, accAt(u, 5), alphas[r + 5] as number,
          w + 6 * wStride, vAt[r + 6] as number, accAt(u, 6), alphas[r + 6] as number, w + 7 * wStride, vAt[r + 7] as number, accAt(u, 7), alphas[r + 7] as number,
          n, d,
        );
      } else if (size === 4) {
        kernel.wsum4(
          w, vAt[r] as number, accAt(u, 0), alphas[r] as number, w + wStride, vAt[r + 1] as number, accAt(u, 1), alphas[r + 1] as number,
          w + 2 * wStride, vAt[r + 2] as number, accAt(u, 2), alphas[r + 2] as number, w + 3 * wStride, vAt[r + 3] as number, accAt(u, 3), alphas[r + 3] as number,
          n, d,
        );
      } else {
        kernel.wsum(w, vAt[r] as number, n, d, accAt(u, 0), alphas[r] as number);
      }
      u += 4 * size;
      r += size;
    }
    i = stop;
  }
  for (let h = 0; h < hq; h++) {
    const inv = 1 / (l[h] as number);
    for (let i = 0, o = base + h * d; i < d; i++) job.out[o + i] = (cur < 0 ? 0 : (s[accF + h * d + i] as number)) * inv;
    job.lse[job.row * hq + h] = (m[h] as number) + Math.log(l[h] as number);
  }
}

/**
 * Builds a {@link SegmentPlan} sequence by sequence: {@link SegmentPlanBuilder.sequence}
 * starts a sequence, then {@link SegmentPlanBuilder.add} gives its segments in
 * the plan's order (one head's in token order; see {@link SegmentPlan}). Only
 * blocks that some segment reads enter the table.
 */
export class SegmentPlanBuilder {
  // Growable typed arrays: the block table (arena, K and V byte offsets per entry) and the segment quads.
  private arena = new Int32Array(256);
  private k = new Float64Array(256);
  private v = new Float64Array(256);
  private entryCount = 0;
  private seg = new Int32Array(1024);
  private segLength = 0;
  private readonly starts: number[] = [];
  private work = 0;
  private blocks: readonly KvBlock[] = [];
  /** Table entry of each block of the current sequence, −1 while none. */
  private entries = new Int32Array(0);

  constructor(private readonly storage: WasmKvStorage) {}

  /** Start the next sequence, whose block table is `blocks`. */
  sequence(blocks: readonly KvBlock[]): void {
    this.starts.push(this.segLength / 4);
    this.blocks = blocks;
    if (this.entries.length < blocks.length) this.entries = new Int32Array(2 * blocks.length);
    this.entries.fill(-1, 0, blocks.length);
  }

  /** Query head `h` of the current sequence attends to slots [slot, slot + n) of its block `block`. */
  add(block: number, h: number, slot: number, n: number): void {
    let entry = this.entries[block] as number;
    if (entry < 0) {
      const b = this.blocks[block] as KvBlock;
      entry = this.entries[block] = this.entryCount++;
      if (entry === this.arena.length) {
        this.arena = grow(this.arena, new Int32Array(2 * entry));
        this.k = grow(this.k, new Float64Array(2 * entry));
        this.v = grow(this.v, new Float64Array(2 * entry));
      }
      // Every block of a WasmKvStorage carries its place.
      const place = b.place as KvPlace;
      this.arena[entry] = place.kvArena;
      this.k[entry] = place.k;
      this.v[entry] = place.v;
    }
    const at = this.segLength;
    if (at + 4 > this.seg.length) this.seg = grow(this.seg, new Int32Array(2 * this.seg.length));
    const seg = this.seg;
    seg[at] = entry;
    seg[at + 1] = h;
    seg[at + 2] = slot;
    seg[at + 3] = n;
    this.segLength = at + 4;
    this.work += n;
  }

  /** The plan, on SharedArrayBuffers when `shared` (for worker threads); the builder is done with after this. */
  finish(shared: boolean): SegmentPlan {
    const out = <T extends Int32Array | Float64Array>(xs: T, length: number, C: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number }): T => {
      if (!shared) return xs.subarray(0, length) as T;
      const t = new C(new SharedArrayBuffer(C.BYTES_PER_ELEMENT * length));
      t.set(xs.subarray(0, length));
      return t;
    };
    const n = this.entryCount;
    const starts = Int32Array.from([...this.starts, this.segLength / 4]);
    return {
      arenaOfBlock: out(this.arena, n, Int32Array),
      kOffset: out(this.k, n, Float64Array),
      vOffset: out(this.v, n, Float64Array),
      segments: out(this.seg, this.segLength, Int32Array),
      segStart: out(starts, starts.length, Int32Array),
      work: this.work,
    };
  }
}

/** `into` with `from` copied to its start (for growing typed arrays). */
function grow<T extends Int32Array | Float64Array>(from: T, into: T): T {
  into.set(from);
  return into;
}

/**
 * The dense plan of `seqs`: every query head attends to every token, block by block.
 *
 * @throws InvalidArgumentError for an empty sequence
 */
export function densePlan(cache: KvCache, storage: WasmKvStorage, seqs: readonly number[], hq: number, shared = false): SegmentPlan {
  const builder = new SegmentPlanBuilder(storage);
  const bs = cache.blockSize;
  for (const seq of seqs) {
    const length = cache.length(seq);
    requireArg("denseDecode", length >= 1, "sequences with at least one token", { seq, length });
    builder.sequence(cache.blocks(seq));
    for (let i = 0, count = Math.ceil(length / bs); i < count; i++) for (let h = 0; h < hq; h++) builder.add(i, h, 0, Math.min(bs, length - i * bs));
  }
  return builder.finish(shared);
}
