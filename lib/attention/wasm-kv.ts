import { requireArg } from "../core/errors.ts";
import type { KvArrays, KvStorage } from "./kv-cache.ts";

/**
 * A hand-assembled WebAssembly SIMD kernel for decode attention, and a
 * {@link KvStorage} that places KV blocks in WebAssembly memory so the kernel
 * reads them in place (DESIGN.md §4: a hand-written kernel behind the same
 * signature; STACK.md: tfjs ops cannot stream a large cache fast on this CPU).
 *
 * The module has two functions over byte pointers into its memory:
 * - `scores(q, k, n, d, out) → max`: out[j] = q · k_j for n rows of d floats
 *   (f32x4 multiply-add), returning the largest score;
 * - `wsum(w, v, n, d, acc, alpha)`: acc ← alpha · acc + Σ_j w_j v_j.
 * - `expsum(w, n, m) → Σ`: w_j ← exp(w_j − m), vectorised (relative error < 2e-7);
 * - `quest(qp, qn, hi, lo, rows, d, g, out)`: block-selection scores from a block's summaries.
 * JavaScript keeps the per-block scalars (running max, rescale factor, sum).
 *
 * The bytes are written out below rather than compiled from a .wat file, so
 * the package needs no build step and no native toolchain.
 */

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// Instructions used by the kernel.
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const i32c = (n: number): number[] => (n < 64 ? [0x41, n] : [0x41, 0x80 | (n & 0x7f), n >> 7]); // non-negative constants < 8192 (signed LEB128)
const f32c = (x: number): number[] => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const MEM4 = [2, 0]; // memarg: align 2^2, offset 0
const [BLOCK, LOOP, END, BR, BR_IF] = [[0x02, 0x40], [0x03, 0x40], [0x0b], 0x0c, 0x0d];
const [I32_EQZ, I32_LT_U, I32_GT_U, I32_GE_U, I32_ADD, I32_SUB, I32_MUL, I32_DIV_U, I32_SHL] = [0x45, 0x49, 0x4b, 0x4f, 0x6a, 0x6b, 0x6c, 0x6e, 0x74];
const [F32_LOAD, F32_STORE, F32_ADD, F32_MAX] = [0x2a, 0x38, 0x92, 0x97];
const V128_LOAD = (): number[] => simd(0x00, ...MEM4);
const F32X4_SPLAT = (): number[] => simd(0x13);
const LANE = (l: number): number[] => simd(0x1f, l);
const F32X4_ADD = (): number[] => simd(0xe4);
const F32X4_MUL = (): number[] => simd(0xe6);

/** Four v128 zeros into locals `a`..`a+3`. */
const zero4 = (a: number): number[] => [0, 1, 2, 3].flatMap((t) => [...f32c(0), ...F32X4_SPLAT(), ...set(a + t)]);
/** Push the horizontal sum (l0 + l1) + (l2 + l3) of v128 local `a`. */
const hsum = (a: number): number[] => [...get(a), ...LANE(0), ...get(a), ...LANE(1), F32_ADD, ...get(a), ...LANE(2), ...get(a), ...LANE(3), F32_ADD, F32_ADD];
const mem = (offset: number): number[] => [2, ...uleb(offset)];

/**
 * scores(q 0, k 1, n 2, d 3, out 4) → f32. Keys four at a time (four
 * independent accumulators, the query chunk loaded once), then one at a time.
 * Locals: i 5, rowBytes 6, kp 7 (i32); a 8..11, qv 12, acc 13 (v128); s 14, m 15 (f32).
 */
function scoresBody(): number[] {
  const store = (t: number): number[] => [...get(4), ...hsum(8 + t), ...set(14), ...get(14), F32_STORE, ...mem(4 * t), ...get(15), ...get(14), F32_MAX, ...set(15)];
  const code = [
    ...get(3), ...i32c(2), I32_SHL, ...set(6),
    ...f32c(-Infinity), ...set(15),
    // four keys per iteration
    ...BLOCK, ...LOOP,
    ...get(2), ...i32c(4), I32_LT_U, BR_IF, 1,
    ...zero4(8),
    ...i32c(0), ...set(5),
    ...LOOP,
    ...get(0), ...get(5), I32_ADD, ...V128_LOAD(), ...set(12),
    ...get(1), ...get(5), I32_ADD, ...set(7),
    ...[0, 1, 2, 3].flatMap((t) => [
      ...get(8 + t), ...get(12), ...get(7), ...V128_LOAD(), ...F32X4_MUL(), ...F32X4_ADD(), ...set(8 + t),
      ...get(7), ...get(6), I32_ADD, ...set(7),
    ]),
    ...get(5), ...i32c(16), I32_ADD, ...set(5),
    ...get(5), ...get(6), I32_LT_U, BR_IF, 0,
    ...END,
    ...store(0), ...store(1), ...store(2), ...store(3),
    ...get(4), ...i32c(16), I32_ADD, ...set(4),
    ...get(1), ...get(6), ...i32c(2), I32_SHL, I32_ADD, ...set(1),
    ...get(2), ...i32c(4), I32_SUB, ...set(2),
    BR, 0,
    ...END, ...END,
    // the remaining keys, one at a time
    ...BLOCK, ...LOOP,
    ...get(2), I32_EQZ, BR_IF, 1,
    ...f32c(0), ...F32X4_SPLAT(), ...set(13),
    ...i32c(0), ...set(5),
    ...LOOP,
    ...get(13),
    ...get(0), ...get(5), I32_ADD, ...V128_LOAD(),
    ...get(1), ...get(5), I32_ADD, ...V128_LOAD(),
    ...F32X4_MUL(), ...F32X4_ADD(), ...set(13),
    ...get(5), ...i32c(16), I32_ADD, ...set(5),
    ...get(5), ...get(6), I32_LT_U, BR_IF, 0,
    ...END,
    ...get(4), ...hsum(13), ...set(14), ...get(14), F32_STORE, ...MEM4,
    ...get(15), ...get(14), F32_MAX, ...set(15),
    ...get(4), ...i32c(4), I32_ADD, ...set(4),
    ...get(1), ...get(6), I32_ADD, ...set(1),
    ...get(2), ...i32c(1), I32_SUB, ...set(2),
    BR, 0,
    ...END, ...END,
    ...get(15),
    ...END,
  ];
  const locals = vec([[3, I32], [6, V128], [2, F32]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/**
 * wsum(w 0, v 1, n 2, d 3, acc 4, alpha 5: f32). Sixteen dims at a time (four
 * independent accumulators, each weight splatted once), then four at a time.
 * Locals: i 6, j 7, p 8, wp 9, rowBytes 10 (i32); a 11..14, wv 15 (v128).
 */
function wsumBody(): number[] {
  const keyLoop = (chunks: number): number[] => [
    ...get(1), ...get(6), I32_ADD, ...set(8),
    ...get(0), ...set(9),
    ...get(2), ...set(7),
    ...BLOCK, ...LOOP,
    ...get(7), I32_EQZ, BR_IF, 1,
    ...get(9), F32_LOAD, ...MEM4, ...F32X4_SPLAT(), ...set(15),
    ...Array.from({ length: chunks }, (_, t) => [...get(11 + t), ...get(15), ...get(8), ...simd(0x00, ...mem(16 * t)), ...F32X4_MUL(), ...F32X4_ADD(), ...set(11 + t)]).flat(),
    ...get(8), ...get(10), I32_ADD, ...set(8),
    ...get(9), ...i32c(4), I32_ADD, ...set(9),
    ...get(7), ...i32c(1), I32_SUB, ...set(7),
    BR, 0,
    ...END, ...END,
  ];
  const loadAcc = (chunks: number): number[] => Array.from({ length: chunks }, (_, t) => [...get(4), ...get(6), I32_ADD, ...simd(0x00, ...mem(16 * t)), ...get(5), ...F32X4_SPLAT(), ...F32X4_MUL(), ...set(11 + t)]).flat();
  const storeAcc = (chunks: number): number[] => Array.from({ length: chunks }, (_, t) => [...get(4), ...get(6), I32_ADD, ...get(11 + t), ...simd(0x0b, ...mem(16 * t))]).flat();
  const code = [
    ...get(3), ...i32c(2), I32_SHL, ...set(10),
    ...i32c(0), ...set(6),
    ...BLOCK, ...LOOP,
    ...get(6), ...i32c(64), I32_ADD, ...get(10), I32_GT_U, BR_IF, 1,
    ...loadAcc(4), ...keyLoop(4), ...storeAcc(4),
    ...get(6), ...i32c(64), I32_ADD, ...set(6),
    BR, 0,
    ...END, ...END,
    ...BLOCK, ...LOOP,
    ...get(6), ...get(10), I32_GE_U, BR_IF, 1,
    ...loadAcc(1), ...keyLoop(1), ...storeAcc(1),
    ...get(6), ...i32c(16), I32_ADD, ...set(6),
    BR, 0,
    ...END, ...END,
    ...END,
  ];
  const locals = vec([[5, I32], [5, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/**
 * expsum(w 0, n 1, m 2: f32) → f32: w[j] ← exp(w[j] − m) for j < n (n a
 * multiple of 4, w[j] ≤ m), returning Σ_j w[j]. exp(x) = 2^t · e^r with
 * t = round(x·log₂e), r = x − t·ln 2 (two-part ln 2), e^r by its degree-6
 * Taylor polynomial (|r| ≤ ln2/2, relative error < 2e-7); x is clamped at −87
 * so 2^t stays a normal float. Locals: end 3 (i32); x 4, t 5, r 6, p 7, sum 8 (v128).
 */
function expsumBody(): number[] {
  const splat = (c: number): number[] => [...f32c(c), ...F32X4_SPLAT()];
  const horner = [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1].flatMap((c) => [...get(7), ...get(6), ...F32X4_MUL(), ...splat(c), ...F32X4_ADD(), ...set(7)]);
  const code = [
    ...get(0), ...get(1), ...i32c(2), I32_SHL, I32_ADD, ...set(3),
    ...splat(0), ...set(8),
    ...BLOCK, ...LOOP,
    ...get(0), ...get(3), I32_GE_U, BR_IF, 1,
    ...get(0), ...V128_LOAD(), ...get(2), ...F32X4_SPLAT(), ...simd(0xe5), ...splat(-87), ...simd(0xe9), ...set(4),
    ...get(4), ...splat(Math.LOG2E), ...F32X4_MUL(), ...simd(0x6a), ...set(5),
    ...get(4), ...get(5), ...splat(0.693145751953125), ...F32X4_MUL(), ...simd(0xe5),
    ...get(5), ...splat(1.428606765330187e-6), ...F32X4_MUL(), ...simd(0xe5), ...set(6),
    ...splat(1 / 720), ...set(7),
    ...horner,
    // 2^t: (int(t) + 127) << 23 as float bits
    ...get(5), ...simd(0xf8), ...i32c(127), ...simd(0x11), ...simd(0xae), ...i32c(23), ...simd(0xab),
    ...get(7), ...F32X4_MUL(), ...set(4),
    ...get(0), ...get(4), ...simd(0x0b, ...MEM4),
    ...get(8), ...get(4), ...F32X4_ADD(), ...set(8),
    ...get(0), ...i32c(16), I32_ADD, ...set(0),
    BR, 0,
    ...END, ...END,
    ...hsum(8),
    ...END,
  ];
  const locals = vec([[1, I32], [5, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/**
 * quest(qp 0, qn 1, hi 2, lo 3, rows 4, d 5, g 6, out 7): for each query row r,
 * out[r] = qp_r · hi_h + qn_r · lo_h with h = ⌊r / g⌋ — Quest's bound when qp,
 * qn are the positive and negative parts of the query and hi, lo a block's
 * per-head key max and min ([H_kv, d]). Locals: r 8, i 9, rowBytes 10, hoff 11,
 * qoff 12 (i32); acc 13 (v128).
 */
function questBody(): number[] {
  const term = (q: number, s: number, off: number): number[] => [
    ...get(13), ...get(q), ...get(12), I32_ADD, ...get(9), I32_ADD, ...V128_LOAD(),
    ...get(s), ...get(off), I32_ADD, ...get(9), I32_ADD, ...V128_LOAD(), ...F32X4_MUL(), ...F32X4_ADD(), ...set(13),
  ];
  const code = [
    ...get(5), ...i32c(2), I32_SHL, ...set(10),
    ...i32c(0), ...set(8),
    ...BLOCK, ...LOOP,
    ...get(8), ...get(4), I32_GE_U, BR_IF, 1,
    ...get(8), ...get(6), I32_DIV_U, ...get(10), I32_MUL, ...set(11),
    ...get(8), ...get(10), I32_MUL, ...set(12),
    ...f32c(0), ...F32X4_SPLAT(), ...set(13),
    ...i32c(0), ...set(9),
    ...LOOP,
    ...term(0, 2, 11), ...term(1, 3, 11),
    ...get(9), ...i32c(16), I32_ADD, ...set(9),
    ...get(9), ...get(10), I32_LT_U, BR_IF, 0,
    ...END,
    ...get(7), ...get(8), ...i32c(2), I32_SHL, I32_ADD, ...hsum(13), F32_STORE, ...MEM4,
    ...get(8), ...i32c(1), I32_ADD, ...set(8),
    BR, 0,
    ...END, ...END,
    ...END,
  ];
  const locals = vec([[5, I32], [1, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/** The module's bytes; it imports its memory as `env.mem` (shared when `shared`). */
export function decodeKernelBytes(shared = false): Uint8Array<ArrayBuffer> {
  const types = vec([
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), ...vec([[F32]])],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F32]]), ...vec([])],
    [0x60, ...vec([[I32], [I32], [F32]]), ...vec([[F32]])],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])],
  ]);
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...str("env"), ...str("mem"), 0x02, ...limits]]);
  const funcs = vec([[0], [1], [2], [3]]);
  const exports = vec([
    [...str("scores"), 0x00, 0],
    [...str("wsum"), 0x00, 1],
    [...str("expsum"), 0x00, 2],
    [...str("quest"), 0x00, 3],
  ]);
  const code = vec([scoresBody(), wsumBody(), expsumBody(), questBody()]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, code),
  ]);
}

/** The kernel's exports, bound to one memory. */
export interface DecodeKernel {
  /** out[j] = q·k_j for j < n, rows of d floats (d a multiple of 4); returns max_j out[j]. Byte pointers. */
  scores(q: number, k: number, n: number, d: number, out: number): number;
  /** acc ← alpha·acc + Σ_{j<n} w_j v_j over d floats. Byte pointers. */
  wsum(w: number, v: number, n: number, d: number, acc: number, alpha: number): void;
  /** w[j] ← exp(w[j] − m) for j < n (n a multiple of 4, w[j] ≤ m), returning the sum. Byte pointer. */
  expsum(w: number, n: number, m: number): number;
  /** out[r] = qp_r·hi_{⌊r/g⌋} + qn_r·lo_{⌊r/g⌋} for r < rows, rows of d floats. Byte pointers. */
  quest(qp: number, qn: number, hi: number, lo: number, rows: number, d: number, g: number, out: number): void;
}

const compiled: (WebAssembly.Module | null | undefined)[] = [undefined, undefined];

/** The compiled module (importing a shared memory when `shared`), or null where WebAssembly SIMD (and threads, if shared) is unavailable. */
export function decodeKernelModule(shared = false): WebAssembly.Module | null {
  const i = shared ? 1 : 0;
  if (compiled[i] === undefined) {
    const bytes = decodeKernelBytes(shared);
    compiled[i] = typeof WebAssembly !== "undefined" && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled[i] as WebAssembly.Module | null;
}

/** Whether the wasm-simd decode path can run here. */
export function wasmSimdAvailable(): boolean {
  return decodeKernelModule() !== null;
}

/** Bytes of one thread's kernel scratch (query, weights, accumulator); thread 0's is at the start of every arena. */
export const SCRATCH_BYTES = 65536;
/** Most threads a {@link WasmKvStorage} may run decode kernels on (each has its own scratch in every arena). */
export const MAX_DECODE_THREADS = 8;
/**
 * Scratch layout, byte offsets. Decode: the query row, the block's scores/weights, the accumulator.
 * Selection: the queries' positive and negative parts ([H_q, d] each, inside the weights region) and the row scores.
 */
export const SCRATCH = { q: 0, w: 16384, acc: 49152, qPos: 16384, qNeg: 32768, rowScores: 49152 } as const;

/** One WebAssembly memory with its kernel instance and a bump allocator. */
export interface WasmArena {
  /** Position in {@link WasmKvStorage.arenas}. */
  readonly index: number;
  readonly memory: WebAssembly.Memory;
  readonly kernel: DecodeKernel;
  /** Float view of thread 0's scratch region (SCRATCH_BYTES / 4 floats at byte 0). */
  readonly scratch: Float32Array;
  /** Next free byte. */
  top: number;
}

/** Options of {@link WasmKvStorage}. */
export interface WasmKvStorageOptions {
  /** Bytes per WebAssembly memory (a multiple of 64 KiB, at most 4 GiB − 64 KiB). Default 512 MiB. */
  arenaBytes?: number;
  /**
   * Threads that may decode from this storage at once (default 1). Above 1 the
   * arenas are shared memories (`SharedArrayBuffer`) and {@link denseDecode}
   * splits the batch over this thread and `threads − 1` worker threads
   * ({@link DecodeThreads}); each thread has a SCRATCH_BYTES scratch at the start of every arena.
   */
  threads?: number;
}

/**
 * Block storage in WebAssembly memories ("arenas" of fixed size, never grown,
 * so views stay valid). A block's keys and values lie in one arena and its key
 * summaries in another (summaries of consecutive blocks are adjacent); each
 * array is in the same memory as the kernel instance that reads it. Released
 * sets are reused for blocks of the same size. Memory is
 * reserved lazily by the OS, so an arena costs only the pages written.
 *
 * @throws InvalidArgumentError when WebAssembly SIMD is unavailable or arenaBytes is bad
 */
export class WasmKvStorage implements KvStorage {
  readonly arenaBytes: number;
  /** Threads that may read it at once (scratch regions per arena). */
  readonly threads: number;
  /** Bytes reserved at the start of every arena: SCRATCH_BYTES per thread. */
  readonly reservedBytes: number;
  readonly arenas: WasmArena[] = [];
  /** The worker threads decoding from this storage, once started ({@link DecodeThreads.of}); stopped by {@link WasmKvStorage.close}. */
  threadPool: { dispose(): void } | undefined;
  private readonly byBuffer = new Map<ArrayBufferLike, WasmArena>();
  private readonly freeSets = new Map<string, KvArrays[]>();
  private kvArena: WasmArena | undefined;
  private summaryArena: WasmArena | undefined;

  constructor(options: WasmKvStorageOptions = {}) {
    const { arenaBytes = 512 * 2 ** 20, threads = 1 } = options;
    requireArg("WasmKvStorage", Number.isSafeInteger(threads) && threads >= 1 && threads <= MAX_DECODE_THREADS, `threads an integer in 1..${MAX_DECODE_THREADS}`, threads);
    requireArg("WasmKvStorage", decodeKernelModule(threads > 1) !== null, threads > 1 ? "WebAssembly SIMD and threads (shared memory) in this runtime" : "WebAssembly SIMD in this runtime", typeof WebAssembly);
    const reserved = SCRATCH_BYTES * threads;
    requireArg("WasmKvStorage", arenaBytes % 65536 === 0 && arenaBytes > reserved && arenaBytes <= 2 ** 32 - 65536, `arenaBytes a multiple of 64 KiB in (${reserved / 1024} KiB, 4 GiB)`, arenaBytes);
    [this.arenaBytes, this.threads, this.reservedBytes] = [arenaBytes, threads, reserved];
  }

  alloc(floats: number, summaryFloats: number): KvArrays {
    const key = `${floats}/${summaryFloats}`;
    const reuse = this.freeSets.get(key)?.pop();
    if (reuse !== undefined) {
      for (const a of [reuse.k, reuse.v, reuse.keySum, reuse.keyMin, reuse.keyMax]) a.fill(0);
      return reuse;
    }
    // Every array starts 16-byte aligned, so rows of 4-float multiples are too.
    const bytes = 16 * Math.ceil((floats * 4) / 16);
    const sBytes = 16 * Math.ceil((summaryFloats * 4) / 16);
    requireArg("WasmKvStorage.alloc", 2 * bytes + 3 * sBytes <= this.arenaBytes - this.reservedBytes, "a block that fits in one arena", floats);
    // Keys and values in one arena, summaries in another: a sequence's summaries then lie side by side,
    // so block selection streams them instead of touching one scattered page per block.
    const kv = (this.kvArena = this.room(this.kvArena, 2 * bytes));
    const sum = (this.summaryArena = this.room(this.summaryArena, 3 * sBytes));
    const [at, st] = [kv.top, sum.top];
    kv.top += 2 * bytes;
    sum.top += 3 * sBytes;
    const [kb, sb] = [kv.memory.buffer, sum.memory.buffer];
    return {
      k: new Float32Array(kb, at, floats),
      v: new Float32Array(kb, at + bytes, floats),
      keySum: new Float32Array(sb, st, summaryFloats),
      keyMin: new Float32Array(sb, st + sBytes, summaryFloats),
      keyMax: new Float32Array(sb, st + 2 * sBytes, summaryFloats),
    };
  }

  /** `arena` if it has `bytes` free, else a new arena. */
  private room(arena: WasmArena | undefined, bytes: number): WasmArena {
    return arena !== undefined && arena.top + bytes <= this.arenaBytes ? arena : this.newArena();
  }

  release(arrays: KvArrays): void {
    const key = `${arrays.k.length}/${arrays.keySum.length}`;
    const list = this.freeSets.get(key) ?? [];
    list.push({ k: arrays.k, v: arrays.v, keySum: arrays.keySum, keyMin: arrays.keyMin, keyMax: arrays.keyMax });
    this.freeSets.set(key, list);
  }

  /** Stop this storage's decode worker threads, if any ran (blocks stay readable; a later threaded decode starts new workers). */
  close(): void {
    this.threadPool?.dispose();
    this.threadPool = undefined;
  }

  /** The arena holding `array`, or undefined when it is not in this storage. */
  arenaOf(array: Float32Array): WasmArena | undefined {
    return this.byBuffer.get(array.buffer);
  }

  private newArena(): WasmArena {
    const pages = this.arenaBytes / 65536;
    const shared = this.threads > 1;
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
    const instance = new WebAssembly.Instance(decodeKernelModule(shared) as WebAssembly.Module, { env: { mem: memory } });
    const arena: WasmArena = {
      index: this.arenas.length,
      memory,
      kernel: instance.exports as unknown as DecodeKernel,
      scratch: new Float32Array(memory.buffer, 0, SCRATCH_BYTES / 4),
      top: this.reservedBytes,
    };
    this.arenas.push(arena);
    this.byBuffer.set(memory.buffer, arena);
    return arena;
  }
}
