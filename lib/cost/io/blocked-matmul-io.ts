import { requireArg } from "../../core/errors.ts";
import type { TwoLevelMemory } from "./two-level-memory.ts";

/** Operands of C = α·A·op(B) in slow memory, all row-major. */
export interface MatMulOperands {
  /** Slow-memory name of A, [m, k]. */
  a: string;
  /** Slow-memory name of B: [k, n], or [n, k] when `transposeB`. */
  b: string;
  /** Slow-memory name of C, [m, n] (overwritten). */
  c: string;
  m: number;
  n: number;
  k: number;
  /** Multiply B's transpose (C = A·Bᵀ), reading B by rows. */
  transposeB?: boolean;
  /** Scale applied to every product (α). Default 1. */
  alpha?: number;
}

/**
 * Square tile edge for a blocked matmul under a fast memory of M words: the
 * largest b with b_m·b_k + b_k·b_n + b_m·b_n ≤ M, each edge capped by its dimension.
 */
export function matMulTile(m: number, n: number, k: number, mWords: number): { bm: number; bn: number; bk: number } {
  const edges = (b: number) => ({ bm: Math.min(b, m), bn: Math.min(b, n), bk: Math.min(b, k) });
  const cost = (e: { bm: number; bn: number; bk: number }) => e.bm * e.bk + e.bk * e.bn + e.bm * e.bn;
  requireArg("matMulTile", cost(edges(1)) <= mWords, "M >= 3 words", mWords);
  let b = 1;
  while (b < Math.max(m, n, k) && cost(edges(b + 1)) <= mWords) b++;
  return edges(b);
}

/**
 * Blocked matrix multiplication on a {@link TwoLevelMemory}: each C tile stays in
 * fast memory while the matching A and B tiles stream through it, the schedule
 * that attains Hong & Kung's Θ(mnk/√M) I/O for matrix multiplication.
 *
 * @returns the tile edges used
 * @see Hong & Kung 1981, "I/O complexity: the red-blue pebble game", §4 (matrix multiplication)
 */
export function blockedMatMulIO(mem: TwoLevelMemory, op: MatMulOperands): { bm: number; bn: number; bk: number } {
  const { m, n, k } = op;
  const alpha = op.alpha ?? 1;
  const tile = matMulTile(m, n, k, mem.capacityWords);
  const { bm, bn, bk } = tile;
  const at = mem.alloc(bm * bk);
  const bt = mem.alloc(bk * bn);
  const ct = mem.alloc(bm * bn);
  for (let i0 = 0; i0 < m; i0 += bm) {
    const rows = Math.min(bm, m - i0);
    for (let j0 = 0; j0 < n; j0 += bn) {
      const cols = Math.min(bn, n - j0);
      ct.fill(0);
      for (let p0 = 0; p0 < k; p0 += bk) {
        const depth = Math.min(bk, k - p0);
        mem.loadInto(at, op.a, k, i0, rows, p0, depth);
        if (op.transposeB) {
          mem.loadInto(bt, op.b, k, j0, cols, p0, depth); // [cols, depth]
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < cols; c++) {
              let s = 0;
              for (let x = 0; x < depth; x++) s += (at[r * depth + x] as number) * (bt[c * depth + x] as number);
              ct[r * cols + c] = (ct[r * cols + c] as number) + alpha * s;
            }
          }
        } else {
          mem.loadInto(bt, op.b, n, p0, depth, j0, cols); // [depth, cols]
          for (let r = 0; r < rows; r++) {
            for (let x = 0; x < depth; x++) {
              const av = alpha * (at[r * depth + x] as number);
              for (let c = 0; c < cols; c++) ct[r * cols + c] = (ct[r * cols + c] as number) + av * (bt[x * cols + c] as number);
            }
          }
        }
      }
      mem.storeTile(ct, op.c, n, i0, rows, j0, cols);
    }
  }
  mem.free(at, bt, ct);
  return tile;
}
