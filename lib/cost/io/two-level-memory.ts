import { requireArg } from "../../core/errors.ts";

/**
 * An instrumented two-level memory: an unbounded *slow* memory (HBM) holding
 * named row-major float64 arrays, and a *fast* memory (SRAM, cache) of
 * `capacityWords` words where all arithmetic happens. Algorithms move tiles
 * between the two explicitly; every word moved is counted, and allocating past
 * the capacity throws, so a schedule that "cheats" on its cache cannot run.
 *
 * This is the red–blue pebble game's accounting (Hong & Kung 1981) as used by
 * Saha & Ye (2024): I/O = words read from slow memory + words written to it.
 *
 * @example
 * const mem = new TwoLevelMemory(1024);
 * mem.put("Q", q);                       // inputs start in slow memory, free of charge
 * const tile = mem.loadTile("Q", d, 0, 8, 0, d); // 8·d words read
 * mem.free(tile);
 * @see Saha & Ye 2024, "The I/O Complexity of Attention, or How Optimal is FlashAttention?", §2 (model)
 */
export class TwoLevelMemory {
  /** Words read from slow into fast memory. */
  wordsRead = 0;
  /** Words written from fast to slow memory. */
  wordsWritten = 0;
  /** Words currently allocated in fast memory. */
  usedWords = 0;
  /** Largest `usedWords` seen. */
  peakWords = 0;
  private readonly slow = new Map<string, Float64Array>();
  private readonly live = new WeakSet<Float64Array>();

  /** @param capacityWords - fast-memory size M in words (a positive integer) */
  constructor(readonly capacityWords: number) {
    requireArg("TwoLevelMemory", Number.isSafeInteger(capacityWords) && capacityWords > 0, "a positive integer capacity", capacityWords);
  }

  /** Total words moved (read + written). */
  get wordsMoved(): number {
    return this.wordsRead + this.wordsWritten;
  }

  /** Place an array in slow memory without charge (inputs, or zero-filled outputs). */
  put(name: string, data: Float64Array): void {
    this.slow.set(name, data);
  }

  /** Inspect a slow-memory array without charge (to read results after a run). */
  get(name: string): Float64Array {
    const a = this.slow.get(name);
    requireArg("TwoLevelMemory.get", a !== undefined, "an array placed with put()", name);
    return a;
  }

  /** Allocate a zero-filled fast buffer of `words` words (no I/O). */
  alloc(words: number): Float64Array {
    requireArg("TwoLevelMemory.alloc", Number.isSafeInteger(words) && words >= 0, "a non-negative integer size", words);
    const next = this.usedWords + words;
    requireArg(
      "TwoLevelMemory.alloc",
      next <= this.capacityWords,
      `fast memory to hold ${next} words (capacity ${this.capacityWords})`,
      `${words} more words with ${this.usedWords} in use`,
    );
    this.usedWords = next;
    if (next > this.peakWords) this.peakWords = next;
    const buf = new Float64Array(words);
    this.live.add(buf);
    return buf;
  }

  /** Release fast buffers. */
  free(...bufs: Float64Array[]): void {
    for (const b of bufs) {
      requireArg("TwoLevelMemory.free", this.live.has(b), "a live buffer from alloc/load", "a freed or foreign buffer");
      this.live.delete(b);
      this.usedWords -= b.length;
    }
  }

  /**
   * Load a `rows × cols` tile of the row-major slow array `name` (row length
   * `ld`) starting at (`r0`, `c0`) into a new fast buffer; counts rows·cols reads.
   */
  loadTile(name: string, ld: number, r0: number, rows: number, c0: number, cols: number): Float64Array {
    return this.loadInto(this.alloc(rows * cols), name, ld, r0, rows, c0, cols);
  }

  /**
   * Load a `rows × cols` tile into the first rows·cols words of an existing
   * fast buffer (a tile buffer allocated once and reused, as kernels do with
   * their SRAM); counts rows·cols reads.
   */
  loadInto(buf: Float64Array, name: string, ld: number, r0: number, rows: number, c0: number, cols: number): Float64Array {
    requireArg("TwoLevelMemory.loadInto", this.live.has(buf), "a live fast buffer", "a freed or foreign buffer");
    requireArg("TwoLevelMemory.loadInto", rows * cols <= buf.length, `a buffer of at least ${rows * cols} words`, buf.length);
    const src = this.get(name);
    for (let r = 0; r < rows; r++) {
      const from = (r0 + r) * ld + c0;
      buf.set(src.subarray(from, from + cols), r * cols);
    }
    this.wordsRead += rows * cols;
    return buf;
  }

  /** Write a fast `rows × cols` tile back to slow array `name` at (`r0`, `c0`); counts rows·cols writes. */
  storeTile(buf: Float64Array, name: string, ld: number, r0: number, rows: number, c0: number, cols: number): void {
    requireArg("TwoLevelMemory.storeTile", this.live.has(buf), "a live fast buffer", "a freed or foreign buffer");
    const dst = this.get(name);
    for (let r = 0; r < rows; r++) {
      dst.set(buf.subarray(r * cols, r * cols + cols), (r0 + r) * ld + c0);
    }
    this.wordsWritten += rows * cols;
  }
}
