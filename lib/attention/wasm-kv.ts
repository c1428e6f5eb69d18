import { requireArg } from "../core/errors.ts";
import type { KvArrays, KvStorage } from "./kv-cache.ts";

/**
 * A hand-assembled WebAssembly SIMD kernel for decode attention, and a
 * {@link KvStorage} that places KV blocks in WebAssembly memory so the kernel
 * reads them in place (DESIGN.md §4: a hand-written kernel behind the same
 * signature; STACK.md: tfjs ops cannot stream a large cache fast on this CPU).
 *
 * The module's functions work on byte pointers into its memory:
 * - `scores(q, k, n, d, out) → max`: out[j] = q · k_j for n rows of d floats
 *   (f32x4 multiply-add), returning the largest score;
 * - `wsum(w, v, n, d, acc, alpha)`: acc ← alpha · acc + Σ_j w_j v_j.
 * - `expsum(w, n, m) → Σ`: w_j ← exp(w_j − m), vectorised (relative error < 2e-7);
 * - `questBlocks(qp, qn, ptrs, count, loDelta, rows, d, g, out)`: block-selection scores of many blocks from their summaries;
 * - `scores4`, `wsum4`: `scores` and `wsum` for four segments at once, read in lockstep.
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
const [I32_EQZ, I32_LT_U, I32_GT_U, I32_GE_U, I32_ADD, I32_SUB, I32_MUL, I32_DIV_U, I32_SHL, I32_SHR_U] = [0x45, 0x49, 0x4b, 0x4f, 0x6a, 0x6b, 0x6c, 0x6e, 0x74, 0x76];
const [F32_GT, SELECT] = [0x5e, 0x1b];
const [I32_LOAD, F32_LOAD, F32_STORE, F32_ADD, F32_MAX] = [0x28, 0x2a, 0x38, 0x92, 0x97];
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
  const code = [
    ...get(0), ...get(1), ...i32c(2), I32_SHL, I32_ADD, ...set(3),
    ...expLoop({ w: 0, end: 3, m: 2, x: 4, t: 5, r: 6, p: 7, sum: 8 }),
    ...hsum(8),
    ...END,
  ];
  const locals = vec([[1, I32], [5, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/**
 * The body of `expsum` over locals: w[j] ← exp(w[j] − m) from byte pointer `w`
 * (advanced) up to `end`, the v128 `sum` of the results left in its local.
 */
function expLoop(l: { w: number; end: number; m: number; x: number; t: number; r: number; p: number; sum: number }): number[] {
  const splat = (c: number): number[] => [...f32c(c), ...F32X4_SPLAT()];
  const horner = [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1].flatMap((c) => [...get(l.p), ...get(l.r), ...F32X4_MUL(), ...splat(c), ...F32X4_ADD(), ...set(l.p)]);
  return [
    ...splat(0), ...set(l.sum),
    ...BLOCK, ...LOOP,
    ...get(l.w), ...get(l.end), I32_GE_U, BR_IF, 1,
    ...get(l.w), ...V128_LOAD(), ...get(l.m), ...F32X4_SPLAT(), ...simd(0xe5), ...splat(-87), ...simd(0xe9), ...set(l.x),
    ...get(l.x), ...splat(Math.LOG2E), ...F32X4_MUL(), ...simd(0x6a), ...set(l.t),
    ...get(l.x), ...get(l.t), ...splat(0.693145751953125), ...F32X4_MUL(), ...simd(0xe5),
    ...get(l.t), ...splat(1.428606765330187e-6), ...F32X4_MUL(), ...simd(0xe5), ...set(l.r),
    ...splat(1 / 720), ...set(l.p),
    ...horner,
    // 2^t: (int(t) + 127) << 23 as float bits
    ...get(l.t), ...simd(0xf8), ...i32c(127), ...simd(0x11), ...simd(0xae), ...i32c(23), ...simd(0xab),
    ...get(l.p), ...F32X4_MUL(), ...set(l.x),
    ...get(l.w), ...get(l.x), ...simd(0x0b, ...MEM4),
    ...get(l.sum), ...get(l.x), ...F32X4_ADD(), ...set(l.sum),
    ...get(l.w), ...i32c(16), I32_ADD, ...set(l.w),
    BR, 0,
    ...END, ...END,
  ];
}

/**
 * scoresN for N = `streams` (4 or 8): scoresN(q0, k0, o0, … q(N−1), k(N−1),
 * o(N−1), n, d, mx), one online-softmax step for N segments (of distinct
 * heads) at once. Stream t writes the scores o_t[j] = q_t · k_t,j for j < n,
 * takes their maximum b_t and the new running maximum m'_t = b_t > m_t ? b_t :
 * m_t from the old one m_t (read as f32 at mx + 4t), pads o_t to a multiple of
 * 4 with −∞, turns the scores into exp(o_t[j] − m'_t) and writes m'_t at
 * mx + 4t and Σ_j exp(·) at mx + 4N + 4t. The N key runs are read in lockstep,
 * one 16-byte chunk of each in turn, so N misses are in flight where `scores`
 * has one (decision 13: scattered 8 KiB runs read one at a time came at about
 * half a contiguous stream's bandwidth on the dev machine). Every number is
 * computed as `scores` then `expsum` compute it (same chunks, order and
 * instructions), so the results are bit-identical to those calls.
 * Locals after the 3N + 3 parameters: i, rowBytes, j, w, end (i32); acc × N,
 * x, t, r, p, sum (v128); s, b × N, m (f32).
 */
function scoresNBody(streams: number): number[] {
  const ts = Array.from({ length: streams }, (_, t) => t);
  // Parameters q_t 3t, k_t 3t+1, o_t 3t+2, then n, d, mx; locals after them.
  const [n, d, mx] = [3 * streams, 3 * streams + 1, 3 * streams + 2];
  const [i, rowBytes, j, w, end] = [n + 3, n + 4, n + 5, n + 6, n + 7];
  const acc = (t: number): number => n + 8 + t;
  const [x, tt, r, p, sum] = [n + 8 + streams, n + 9 + streams, n + 10 + streams, n + 11 + streams, n + 12 + streams];
  const sc = n + 13 + streams;
  const b = (t: number): number => sc + 1 + t;
  const m = sc + 1 + streams;
  const code = [
    ...get(d), ...i32c(2), I32_SHL, ...set(rowBytes),
    ...ts.flatMap((t) => [...f32c(-Infinity), ...set(b(t))]),
    ...get(n), ...set(j),
    ...BLOCK, ...LOOP,
    ...get(j), I32_EQZ, BR_IF, 1,
    ...ts.flatMap((t) => [...f32c(0), ...F32X4_SPLAT(), ...set(acc(t))]),
    ...i32c(0), ...set(i),
    ...LOOP,
    ...ts.flatMap((t) => [
      ...get(acc(t)), ...get(3 * t), ...get(i), I32_ADD, ...V128_LOAD(), ...get(3 * t + 1), ...get(i), I32_ADD, ...V128_LOAD(), ...F32X4_MUL(), ...F32X4_ADD(), ...set(acc(t)),
    ]),
    ...get(i), ...i32c(16), I32_ADD, ...set(i),
    ...get(i), ...get(rowBytes), I32_LT_U, BR_IF, 0,
    ...END,
    ...ts.flatMap((t) => [
      ...hsum(acc(t)), ...set(sc),
      ...get(3 * t + 2), ...get(sc), F32_STORE, ...MEM4,
      ...get(b(t)), ...get(sc), F32_MAX, ...set(b(t)),
      ...get(3 * t + 2), ...i32c(4), I32_ADD, ...set(3 * t + 2),
      ...get(3 * t + 1), ...get(rowBytes), I32_ADD, ...set(3 * t + 1),
    ]),
    ...get(j), ...i32c(1), I32_SUB, ...set(j),
    BR, 0,
    ...END, ...END,
    // Per stream: the new maximum, the −∞ padding, exp and sum (o_t now points just past its n scores).
    ...ts.flatMap((t) => [
      ...get(b(t)), ...get(mx), F32_LOAD, ...mem(4 * t), ...get(b(t)), ...get(mx), F32_LOAD, ...mem(4 * t), F32_GT, SELECT, ...set(m),
      ...get(mx), ...get(m), F32_STORE, ...mem(4 * t),
      ...get(3 * t + 2), ...get(n), ...i32c(2), I32_SHL, I32_SUB, ...set(w),
      ...get(w), ...get(n), ...i32c(3), I32_ADD, ...i32c(2), I32_SHR_U, ...i32c(4), I32_SHL, I32_ADD, ...set(end),
      ...BLOCK, ...LOOP,
      ...get(3 * t + 2), ...get(end), I32_GE_U, BR_IF, 1,
      ...get(3 * t + 2), ...f32c(-Infinity), F32_STORE, ...MEM4,
      ...get(3 * t + 2), ...i32c(4), I32_ADD, ...set(3 * t + 2),
      BR, 0,
      ...END, ...END,
      ...expLoop({ w, end, m, x, t: tt, r, p, sum }),
      ...get(mx), ...hsum(sum), F32_STORE, ...mem(4 * streams + 4 * t),
    ]),
    ...END,
  ];
  const locals = vec([[5, I32], [streams + 5, V128], [streams + 2, F32]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/**
 * wsumN for N = `streams` (4 or 8): wsumN(w0, v0, acc0, alpha0, … , n, d),
 * `wsum` for N segments whose accumulators are distinct, their value runs read
 * in lockstep (as {@link scoresNBody}); acc_t ← alpha_t·acc_t + Σ_j w_t,j v_t,j,
 * every lane rounded exactly as `wsum` rounds it (bit-identical).
 * Locals after the 4N + 2 parameters: i, j, rowBytes, wp, p × N (i32); a × N (v128).
 */
function wsumNBody(streams: number): number[] {
  const ts = Array.from({ length: streams }, (_, t) => t);
  // Parameters w_t 4t, v_t 4t+1, acc_t 4t+2, alpha_t 4t+3, then n, d; locals after them.
  const [n, d] = [4 * streams, 4 * streams + 1];
  const [i, j, rowBytes, wp] = [n + 2, n + 3, n + 4, n + 5];
  const p = (t: number): number => n + 6 + t;
  const a = (t: number): number => n + 6 + streams + t;
  const code = [
    ...get(d), ...i32c(2), I32_SHL, ...set(rowBytes),
    ...i32c(0), ...set(i),
    ...BLOCK, ...LOOP,
    ...get(i), ...get(rowBytes), I32_GE_U, BR_IF, 1,
    ...ts.flatMap((t) => [
      ...get(4 * t + 2), ...get(i), I32_ADD, ...V128_LOAD(), ...get(4 * t + 3), ...F32X4_SPLAT(), ...F32X4_MUL(), ...set(a(t)),
      ...get(4 * t + 1), ...get(i), I32_ADD, ...set(p(t)),
    ]),
    ...i32c(0), ...set(wp),
    ...get(n), ...set(j),
    ...BLOCK, ...LOOP,
    ...get(j), I32_EQZ, BR_IF, 1,
    ...ts.flatMap((t) => [
      ...get(a(t)), ...get(4 * t), ...get(wp), I32_ADD, F32_LOAD, ...MEM4, ...F32X4_SPLAT(), ...get(p(t)), ...V128_LOAD(), ...F32X4_MUL(), ...F32X4_ADD(), ...set(a(t)),
      ...get(p(t)), ...get(rowBytes), I32_ADD, ...set(p(t)),
    ]),
    ...get(wp), ...i32c(4), I32_ADD, ...set(wp),
    ...get(j), ...i32c(1), I32_SUB, ...set(j),
    BR, 0,
    ...END, ...END,
    ...ts.flatMap((t) => [...get(4 * t + 2), ...get(i), I32_ADD, ...get(a(t)), ...simd(0x0b, ...MEM4)]),
    ...get(i), ...i32c(16), I32_ADD, ...set(i),
    BR, 0,
    ...END, ...END,
    ...END,
  ];
  const locals = vec([[4 + streams, I32], [streams, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/**
 * questBlocks(qp 0, qn 1, ptrs 2, count 3, loDelta 4, rows 5, d 6, g 7, out 8):
 * Quest's selection scores of `count` blocks in one call. Block c's per-head
 * key maxima ([H_kv, d]) start at the byte offset ptrs[c] (an i32 table), its
 * minima `loDelta` bytes before them; for each query row r, out[r·count + c] =
 * qp_r · hi_h + qn_r · lo_h with h = ⌊r / g⌋ — the bound Σ_i max(q_i·min_i,
 * q_i·max_i) when qp, qn are the query's positive and negative parts. Blocks go
 * four at a time, their summaries read in lockstep (as `scores4`), then one at
 * a time; each score is summed in the same order either way.
 * Locals: c 9, r 10, i 11, rowBytes 12, hoff 13, qoff 14, hi 15..18, lo 19..22 (i32); acc 23..26, qpv 27, qnv 28 (v128).
 */
function questBlocksBody(): number[] {
  const blockLoop = (ways: number): number[] => {
    const ts = Array.from({ length: ways }, (_, t) => t);
    return [
      ...BLOCK, ...LOOP,
      ...get(9), ...i32c(ways), I32_ADD, ...get(3), I32_GT_U, BR_IF, 1,
      ...ts.flatMap((t) => [
        ...get(2), ...get(9), ...i32c(2), I32_SHL, I32_ADD, I32_LOAD, ...mem(4 * t), ...set(15 + t),
        ...get(15 + t), ...get(4), I32_SUB, ...set(19 + t),
      ]),
      ...i32c(0), ...set(10),
      ...BLOCK, ...LOOP,
      ...get(10), ...get(5), I32_GE_U, BR_IF, 1,
      ...get(10), ...get(7), I32_DIV_U, ...get(12), I32_MUL, ...set(13),
      ...get(10), ...get(12), I32_MUL, ...set(14),
      ...ts.flatMap((t) => [...f32c(0), ...F32X4_SPLAT(), ...set(23 + t)]),
      ...i32c(0), ...set(11),
      ...LOOP,
      ...get(0), ...get(14), I32_ADD, ...get(11), I32_ADD, ...V128_LOAD(), ...set(27),
      ...get(1), ...get(14), I32_ADD, ...get(11), I32_ADD, ...V128_LOAD(), ...set(28),
      ...ts.flatMap((t) => [
        ...get(23 + t), ...get(27), ...get(15 + t), ...get(13), I32_ADD, ...get(11), I32_ADD, ...V128_LOAD(), ...F32X4_MUL(), ...F32X4_ADD(), ...set(23 + t),
        ...get(23 + t), ...get(28), ...get(19 + t), ...get(13), I32_ADD, ...get(11), I32_ADD, ...V128_LOAD(), ...F32X4_MUL(), ...F32X4_ADD(), ...set(23 + t),
      ]),
      ...get(11), ...i32c(16), I32_ADD, ...set(11),
      ...get(11), ...get(12), I32_LT_U, BR_IF, 0,
      ...END,
      // out[r·count + c + t]
      ...ts.flatMap((t) => [
        ...get(8), ...get(10), ...get(3), I32_MUL, ...get(9), I32_ADD, ...i32c(t), I32_ADD, ...i32c(2), I32_SHL, I32_ADD, ...hsum(23 + t), F32_STORE, ...MEM4,
      ]),
      ...get(10), ...i32c(1), I32_ADD, ...set(10),
      BR, 0,
      ...END, ...END,
      ...get(9), ...i32c(ways), I32_ADD, ...set(9),
      BR, 0,
      ...END, ...END,
    ];
  };
  const code = [...get(6), ...i32c(2), I32_SHL, ...set(12), ...i32c(0), ...set(9), ...blockLoop(4), ...blockLoop(1), ...END];
  const locals = vec([[14, I32], [6, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/** The module's bytes; it imports its memory as `env.mem` (shared when `shared`). */
export function decodeKernelBytes(shared = false): Uint8Array<ArrayBuffer> {
  const types = vec([
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), ...vec([[F32]])],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F32]]), ...vec([])],
    [0x60, ...vec([[I32], [I32], [F32]]), ...vec([[F32]])],
    [0x60, ...vec(Array.from({ length: 9 }, () => [I32])), ...vec([])],
    ...[4, 8].flatMap((st) => [
      [0x60, ...vec(Array.from({ length: 3 * st + 3 }, () => [I32])), ...vec([])],
      [0x60, ...vec(Array.from({ length: st }, () => [[I32], [I32], [I32], [F32]]).flat().concat([[I32], [I32]])), ...vec([])],
    ]),
  ]);
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...str("env"), ...str("mem"), 0x02, ...limits]]);
  const funcs = vec([[0], [1], [2], [3], [4], [5], [6], [7]]);
  const exports = vec([
    [...str("scores"), 0x00, 0],
    [...str("wsum"), 0x00, 1],
    [...str("expsum"), 0x00, 2],
    [...str("questBlocks"), 0x00, 3],
    [...str("scores4"), 0x00, 4],
    [...str("wsum4"), 0x00, 5],
    [...str("scores8"), 0x00, 6],
    [...str("wsum8"), 0x00, 7],
  ]);
  const code = vec([scoresBody(), wsumBody(), expsumBody(), questBlocksBody(), scoresNBody(4), wsumNBody(4), scoresNBody(8), wsumNBody(8)]);
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
  /** For c < count, hi = i32 at ptrs + 4c, lo = hi − loDelta: out[r·count + c] = qp_r·hi_{⌊r/g⌋} + qn_r·lo_{⌊r/g⌋}, rows of d floats. Byte pointers. */
  questBlocks(qp: number, qn: number, ptrs: number, count: number, loDelta: number, rows: number, d: number, g: number, out: number): void;
  /**
   * One online-softmax step for four segments (q_t, k_t, o_t) of n keys each, read in lockstep: o_t ← exp(scores − m'_t)
   * (padded with −∞ to a multiple of 4 first), with the old maxima m_t read from and the new ones m'_t written to
   * mx … mx + 15 (f32), the sums to mx + 16 … mx + 31. Byte pointers.
   */
  scores4(q0: number, k0: number, o0: number, q1: number, k1: number, o1: number, q2: number, k2: number, o2: number, q3: number, k3: number, o3: number, n: number, d: number, mx: number): void;
  /** `wsum` for four segments with distinct accumulators, n keys each, read in lockstep. Byte pointers. */
  wsum4(w0: number, v0: number, acc0: number, alpha0: number, w1: number, v1: number, acc1: number, alpha1: number, w2: number, v2: number, acc2: number, alpha2: number, w3: number, v3: number, acc3: number, alpha3: number, n: number, d: number): void;
  /** `scores4` for eight segments: maxima at mx … mx + 31, sums at mx + 32 … mx + 63. */
  scores8(...args: number[]): void;
  /** `wsum4` for eight segments: (w_t, v_t, acc_t, alpha_t) for t < 8, then n, d. */
  wsum8(...args: number[]): void;
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
 * Selection: a table of block pointers (in the query region), the queries' positive and negative parts ([H_q, d]
 * each, inside the weights region) and the scores of each block and query row.
 */
export const SCRATCH = { q: 0, w: 16384, acc: 49152, blockPtrs: 0, qPos: 16384, qNeg: 32768, rowScores: 49152 } as const;

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
      place: { kvArena: kv.index, k: at, v: at + bytes, summaryArena: sum.index, keySum: st, keyMin: st + sBytes, keyMax: st + 2 * sBytes },
    };
  }

  /** `arena` if it has `bytes` free, else a new arena. */
  private room(arena: WasmArena | undefined, bytes: number): WasmArena {
    return arena !== undefined && arena.top + bytes <= this.arenaBytes ? arena : this.newArena();
  }

  release(arrays: KvArrays): void {
    const key = `${arrays.k.length}/${arrays.keySum.length}`;
    const list = this.freeSets.get(key) ?? [];
    list.push({ k: arrays.k, v: arrays.v, keySum: arrays.keySum, keyMin: arrays.keyMin, keyMax: arrays.keyMax, place: arrays.place });
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
