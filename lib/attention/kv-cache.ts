import { requireArg } from "../core/errors.ts";

/** Options of {@link KvCache}. */
export interface KvCacheOptions {
  /** KV heads H_kv. */
  kvHeads: number;
  /** Head dimension d. */
  headDim: number;
  /** Tokens per block (the unit of sharing and of block-sparse selection). Default 16. */
  blockSize?: number;
  /**
   * Where block keys and values live. Default: plain `Float32Array`s. Pass a
   * {@link WasmKvStorage} to put them in WebAssembly memory, where the SIMD
   * decode kernels ({@link denseDecode} `path: "wasm-simd"`) can read them.
   */
  storage?: KvStorage;
}

/** The arrays of one block: keys and values [H_kv, blockSize, d], key summaries [H_kv, d]. */
export interface KvArrays {
  k: Float32Array;
  v: Float32Array;
  keySum: Float32Array;
  keyMin: Float32Array;
  keyMax: Float32Array;
  /** Where the arrays lie in WebAssembly memory, when the storage puts them there ({@link KvPlace}). */
  place?: KvPlace;
}

/**
 * Where a block's arrays lie in a `WasmKvStorage`: arena indices and byte
 * offsets, so the wasm kernels' callers can address a block without reading
 * typed-array properties (each `byteOffset` read costs ≈ 20 ns; selection and
 * plan building read them for every block of every sequence per decode step).
 */
export interface KvPlace {
  /** Index of the arena holding k and v, and their byte offsets. */
  readonly kvArena: number;
  readonly k: number;
  readonly v: number;
  /** Index of the arena holding the summaries, and their byte offsets. */
  readonly summaryArena: number;
  readonly keySum: number;
  readonly keyMin: number;
  readonly keyMax: number;
}

/** Allocates a block's arrays (all in one memory); released sets may be reused. */
export interface KvStorage {
  /** Zero-filled keys and values of `floats` floats each and three summaries of `summaryFloats` each. */
  alloc(floats: number, summaryFloats: number): KvArrays;
  /** Give back arrays from {@link KvStorage.alloc} that no block uses any more. */
  release(arrays: KvArrays): void;
}

/** The default storage: fresh `Float32Array`s, left to the garbage collector. */
export const plainKvStorage: KvStorage = {
  alloc: (floats, summaryFloats) => ({
    k: new Float32Array(floats),
    v: new Float32Array(floats),
    keySum: new Float32Array(summaryFloats),
    keyMin: new Float32Array(summaryFloats),
    keyMax: new Float32Array(summaryFloats),
  }),
  release: () => undefined,
};

/** One block of `blockSize` token slots for every KV head, with its key summaries. */
export interface KvBlock {
  /** Unique id within its cache. */
  readonly id: number;
  /** [H_kv, blockSize, d] keys, head-major: one head's rows are contiguous. */
  readonly k: Float32Array;
  /** [H_kv, blockSize, d] values. */
  readonly v: Float32Array;
  /** [H_kv, d] sum of the keys written so far (mean = keySum / length). */
  readonly keySum: Float32Array;
  /** [H_kv, d] per-dimension minimum of the keys written (Quest's lower bound). */
  readonly keyMin: Float32Array;
  /** [H_kv, d] per-dimension maximum (Quest's upper bound). */
  readonly keyMax: Float32Array;
  /** Where the arrays lie in WebAssembly memory, for a storage that places them there. */
  readonly place?: KvPlace;
  /** Tokens written, 0..blockSize. */
  length: number;
  /** Sequences whose block table holds this block. */
  refs: number;
}

/**
 * A paged KV cache on plain `Float32Array`s. Each sequence is a block table
 * (a list of {@link KvBlock}s); {@link KvCache.fork} copies the table, so
 * forks share their parent's blocks and the tables form a tree of blocks
 * (PagedAttention). A shared, partly filled block is copied on the first write
 * (copy-on-write); full blocks are never copied.
 *
 * Layout choices for this CPU (STACK.md): blocks are head-major, so one head's
 * keys in a block are `blockSize·d` contiguous floats, and per-block key
 * summaries (sum, min, max) are updated as tokens are written — a decode step
 * never splits or summarises a large buffer.
 *
 * @see Kwon et al. 2023 (PagedAttention); Tang et al. 2024 (Quest) for min/max summaries
 */
export class KvCache {
  readonly kvHeads: number;
  readonly headDim: number;
  readonly blockSize: number;
  /** Where block keys and values are allocated. */
  readonly storage: KvStorage;
  private readonly tables = new Map<number, KvBlock[]>();
  private readonly lengths = new Map<number, number>();
  private nextSeq = 0;
  private nextBlock = 0;
  private live = 0;

  constructor(options: KvCacheOptions) {
    const { kvHeads, headDim, blockSize = 16, storage = plainKvStorage } = options;
    const ok = [kvHeads, headDim, blockSize].every((x) => Number.isSafeInteger(x) && x >= 1);
    requireArg("KvCache", ok, "positive integer kvHeads, headDim, blockSize", options);
    [this.kvHeads, this.headDim, this.blockSize, this.storage] = [kvHeads, headDim, blockSize, storage];
  }

  /** Start an empty sequence; returns its id. */
  createSequence(): number {
    const id = this.nextSeq++;
    this.tables.set(id, []);
    this.lengths.set(id, 0);
    return id;
  }

  /**
   * Append `tokens` tokens to a sequence.
   *
   * @param k - [tokens, H_kv, d] keys, token-major (a projection's output rows)
   * @param v - [tokens, H_kv, d] values
   * @throws InvalidArgumentError on an unknown sequence or wrong lengths
   */
  append(seq: number, k: ArrayLike<number>, v: ArrayLike<number>, tokens = 1): void {
    const table = this.table("KvCache.append", seq);
    const [h, d, bs] = [this.kvHeads, this.headDim, this.blockSize];
    requireArg("KvCache.append", k.length === tokens * h * d && v.length === k.length, `k and v of length tokens·H_kv·d = ${tokens * h * d}`, [k.length, v.length]);
    let len = this.lengths.get(seq) as number;
    for (let t = 0; t < tokens; t++, len++) {
      const slot = len % bs;
      if (slot === 0) table.push(this.newBlock());
      let block = table[table.length - 1] as KvBlock;
      if (block.refs > 1) block = table[table.length - 1] = this.copyBlock(block);
      for (let hh = 0; hh < h; hh++) {
        const src = (t * h + hh) * d;
        const dst = (hh * bs + slot) * d;
        for (let i = 0; i < d; i++) {
          const x = k[src + i] as number;
          block.k[dst + i] = x;
          block.v[dst + i] = v[src + i] as number;
          const s = hh * d + i;
          block.keySum[s] = (block.keySum[s] as number) + x;
          if (x < (block.keyMin[s] as number)) block.keyMin[s] = x;
          if (x > (block.keyMax[s] as number)) block.keyMax[s] = x;
        }
      }
      block.length = slot + 1;
    }
    this.lengths.set(seq, len);
  }

  /** A new sequence sharing every block of `seq` (nothing is copied until a shared partial block is written). */
  fork(seq: number): number {
    const table = this.table("KvCache.fork", seq);
    const id = this.nextSeq++;
    for (const b of table) b.refs++;
    this.tables.set(id, table.slice());
    this.lengths.set(id, this.lengths.get(seq) as number);
    return id;
  }

  /** Release a sequence; blocks no other sequence holds are dropped. */
  free(seq: number): void {
    for (const b of this.table("KvCache.free", seq)) {
      if (--b.refs > 0) continue;
      this.live--;
      this.storage.release(b);
    }
    this.tables.delete(seq);
    this.lengths.delete(seq);
  }

  /** Tokens in a sequence. */
  length(seq: number): number {
    this.table("KvCache.length", seq);
    return this.lengths.get(seq) as number;
  }

  /** A sequence's block table, oldest first (read-only view; do not write into the blocks). */
  blocks(seq: number): readonly KvBlock[] {
    return this.table("KvCache.blocks", seq);
  }

  /** Tokens at the start of every listed sequence stored in the same (shared) blocks. */
  sharedPrefixLength(seqs: readonly number[]): number {
    requireArg("KvCache.sharedPrefixLength", seqs.length >= 1, "at least one sequence", seqs);
    const tables = seqs.map((s) => this.table("KvCache.sharedPrefixLength", s));
    let n = 0;
    for (let i = 0; ; i++) {
      const b = tables[0]?.[i];
      if (b === undefined || !tables.every((t) => t[i] === b)) return n;
      n += b.length;
      if (b.length < this.blockSize) return n;
    }
  }

  /** Distinct blocks alive, and their bytes (K + V + summaries, fp32): what sharing saves. */
  memory(): { blocks: number; bytes: number } {
    const perBlock = 4 * this.kvHeads * this.headDim * (2 * this.blockSize + 3);
    return { blocks: this.live, bytes: this.live * perBlock };
  }

  private table(fn: string, seq: number): KvBlock[] {
    const t = this.tables.get(seq);
    requireArg(fn, t !== undefined, "a live sequence id", seq);
    return t;
  }

  private newBlock(): KvBlock {
    const n = this.kvHeads * this.blockSize * this.headDim;
    const hd = this.kvHeads * this.headDim;
    this.live++;
    const arrays = this.storage.alloc(n, hd);
    arrays.keyMin.fill(Infinity);
    arrays.keyMax.fill(-Infinity);
    return {
      id: this.nextBlock++,
      k: arrays.k,
      v: arrays.v,
      keySum: arrays.keySum,
      keyMin: arrays.keyMin,
      keyMax: arrays.keyMax,
      place: arrays.place,
      length: 0,
      refs: 1,
    };
  }

  private copyBlock(b: KvBlock): KvBlock {
    b.refs--;
    const c = this.newBlock();
    c.k.set(b.k);
    c.v.set(b.v);
    c.keySum.set(b.keySum);
    c.keyMin.set(b.keyMin);
    c.keyMax.set(b.keyMax);
    c.length = b.length;
    return c;
  }
}
