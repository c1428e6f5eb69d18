import { requireArg } from "../core/errors.ts";
import type { KvBlock, KvCache } from "./kv-cache.ts";
import { SCRATCH, type DecodeKernel, type WasmArena, type WasmKvStorage } from "./wasm-kv.ts";

/** Most floats of queries (H_q·d) one sequence may bring to {@link decodeSequenceWasm}: its scratch holds every head's query and accumulator. */
export const ROWS_MAX_QUERY_FLOATS = (SCRATCH.w - SCRATCH.q) / 4;
/** Most tokens per block {@link decodeSequenceWasm} can score at once. */
export const ROWS_MAX_BLOCK = (SCRATCH.acc - SCRATCH.w) / 4;

/**
 * Everything {@link decodeSequenceWasm} needs for one sequence, as plain
 * numbers and typed arrays (so a worker thread can be handed the same job).
 * Block `i` of the sequence is table entry `table + i`: its arena index and the
 * byte offsets of its K and V arrays ([H_kv, bs, d] each) in that arena.
 */
export interface SequenceJob {
  /** Kernel instance per arena (each bound to its arena's memory). */
  kernels: readonly DecodeKernel[];
  /** Per arena, a float view of this thread's scratch region (SCRATCH_BYTES / 4 floats, laid out as SCRATCH). */
  scratches: readonly Float32Array[];
  /** Byte offset of this thread's scratch region in every arena. */
  scratchBase: number;
  /** [.., H_q, d] queries; this sequence's start at `qOffset` (floats). */
  qs: Float32Array;
  qOffset: number;
  hq: number;
  /** Query heads per KV head (H_q / H_kv). */
  group: number;
  d: number;
  blockSize: number;
  /** Tokens in the sequence (≥ 1). */
  length: number;
  scale: number;
  arenaOfBlock: Int32Array;
  kOffset: Float64Array;
  vOffset: Float64Array;
  /** First table entry of this sequence. */
  table: number;
  /** [.., H_q, d] written at `outOffset` (floats). */
  out: Float32Array;
  outOffset: number;
  /** [.., H_q] log-sum-exp, written at `lseOffset`. */
  lse: Float32Array;
  lseOffset: number;
  /** Work arrays of ≥ H_q entries (running max and sum per head). */
  m: Float64Array;
  l: Float64Array;
}

/**
 * Dense decode attention of one sequence with the WebAssembly SIMD kernel,
 * block-major: every query head's scores, exponentials and weighted values for
 * a block before the next block, so a block's K (then V) is read as one
 * contiguous run of H_kv·bs·d floats instead of H_q runs scattered over the
 * whole cache. Each head keeps an online-softmax state (running max `m`, sum
 * `l`, accumulator in scratch); the arithmetic per head is the head-major
 * path's exactly, so the results are bit-identical to it.
 *
 * Self-contained on purpose — it uses nothing but its argument, no imports and
 * no inner functions — because the decode worker threads ({@link DecodeThreads})
 * run this function's own source text.
 *
 * @param job - the sequence, its queries and block table, where to write (see {@link SequenceJob})
 */
export function decodeSequenceWasm(job: SequenceJob): void {
  const { kernels, scratches, qs, hq, d, blockSize: bs, length, m, l } = job;
  const hd = hq * d;
  // SCRATCH's offsets, written out: this body may not refer to anything outside it.
  const [qPtr, wPtr, accPtr] = [job.scratchBase, job.scratchBase + 16384, job.scratchBase + 49152];
  const [wF, accF] = [4096, 12288];
  m.fill(-Infinity, 0, hq);
  l.fill(0, 0, hq);
  let cur = -1;
  let s = scratches[0] as Float32Array;
  const blocks = Math.ceil(length / bs);
  for (let bi = 0; bi < blocks; bi++) {
    const a = job.arenaOfBlock[job.table + bi] as number;
    if (a !== cur) {
      // Queries and accumulators live in the scratch of the arena being read; move them along.
      const ns = scratches[a] as Float32Array;
      for (let i = 0; i < hd; i++) {
        ns[i] = cur < 0 ? (qs[job.qOffset + i] as number) * job.scale : (s[i] as number);
        ns[accF + i] = cur < 0 ? 0 : (s[accF + i] as number);
      }
      cur = a;
      s = ns;
    }
    const kernel = kernels[a] as DecodeKernel;
    const n = Math.min(bs, length - bi * bs);
    const n4 = (n + 3) & ~3;
    const [kb, vb] = [job.kOffset[job.table + bi] as number, job.vOffset[job.table + bi] as number];
    for (let h = 0; h < hq; h++) {
      const off = Math.floor(h / job.group) * bs * d * 4;
      const mh = m[h] as number;
      const bm = kernel.scores(qPtr + h * d * 4, kb + off, n, d, wPtr);
      const mNew = bm > mh ? bm : mh;
      const alpha = Math.exp(mh - mNew);
      // Pad to a multiple of 4 with −∞: those weights come out ≈ 1e-38 (x clamped at −87) and wsum never reads them.
      for (let j = n; j < n4; j++) s[wF + j] = -Infinity;
      const sum = kernel.expsum(wPtr, n4, mNew);
      l[h] = (l[h] as number) * alpha + sum;
      m[h] = mNew;
      kernel.wsum(wPtr, vb + off, n, d, accPtr + h * d * 4, alpha);
    }
  }
  for (let h = 0; h < hq; h++) {
    const inv = 1 / (l[h] as number);
    for (let i = 0, o = job.outOffset + h * d; i < d; i++) job.out[o + i] = (s[accF + h * d + i] as number) * inv;
    job.lse[job.lseOffset + h] = (m[h] as number) + Math.log(l[h] as number);
  }
}

/** Block tables of a batch in {@link SequenceJob}'s form: entry `tables[b] + i` is block i of sequence b. */
export interface BatchTables {
  arenaOfBlock: Int32Array;
  kOffset: Float64Array;
  vOffset: Float64Array;
  /** First entry of each sequence. */
  tables: Int32Array;
  lengths: Int32Array;
}

/**
 * The block tables of `seqs` in a cache whose blocks live in `storage`
 * (on SharedArrayBuffers when `shared`, for worker threads to read).
 *
 * @throws InvalidArgumentError for an empty sequence
 */
export function batchTables(cache: KvCache, storage: WasmKvStorage, seqs: readonly number[], shared = false): BatchTables {
  const lengths = Int32Array.from(seqs, (s) => cache.length(s));
  const tables = new Int32Array(seqs.length);
  let total = 0;
  lengths.forEach((len, b) => {
    requireArg("denseDecode", len >= 1, "sequences with at least one token", { seq: seqs[b], length: len });
    tables[b] = total;
    total += Math.ceil(len / cache.blockSize);
  });
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const t: BatchTables = {
    arenaOfBlock: new Int32Array(buffer(4 * total)),
    kOffset: new Float64Array(buffer(8 * total)),
    vOffset: new Float64Array(buffer(8 * total)),
    tables: shared ? new Int32Array(new SharedArrayBuffer(4 * seqs.length)) : tables,
    lengths: shared ? new Int32Array(new SharedArrayBuffer(4 * seqs.length)) : lengths,
  };
  if (shared) {
    t.tables.set(tables);
    t.lengths.set(lengths);
  }
  seqs.forEach((s, b) => {
    const blocks = cache.blocks(s);
    const count = Math.ceil((lengths[b] as number) / cache.blockSize);
    for (let i = 0, e = tables[b] as number; i < count; i++, e++) {
      const block = blocks[i] as KvBlock;
      t.arenaOfBlock[e] = (storage.arenaOf(block.k) as WasmArena).index;
      t.kOffset[e] = block.k.byteOffset;
      t.vOffset[e] = block.v.byteOffset;
    }
  });
  return t;
}
