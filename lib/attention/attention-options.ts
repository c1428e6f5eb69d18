import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import { groupSizeOf } from "./head-layout.ts";

/**
 * Additive score bias for keys a query may not see. Finite, so a row with no
 * visible key still has a finite log-sum-exp (≈ −1e30) and merges with weight 0.
 */
export const MASKED_SCORE = -1e30;

/** Options shared by {@link denseAttention} and {@link tiledAttention}. */
export interface AttentionOptions {
  /**
   * Causal mask, aligned bottom-right: with `L` visible keys and `T_q` queries,
   * query `i` sits at position `L − T_q + i` and sees keys `j ≤ L − T_q + i`
   * (prefill: T_q = L; decode of the last T_q tokens: the same rule). Default false.
   */
  causal?: boolean;
  /** Score scale; default 1/√d. */
  scale?: number;
  /**
   * Valid keys per sequence (ragged batches padded to T_k): keys `j ≥ kvLengths[b]`
   * are masked. Default: all T_k keys. A length of 0 gives lse ≈ −1e30.
   */
  kvLengths?: readonly number[];
}

/** Checked shapes of a q/k/v triple. */
export interface AttentionShapes {
  batch: number;
  queryHeads: number;
  kvHeads: number;
  groupSize: number;
  queryLength: number;
  keyLength: number;
  headDim: number;
  scale: number;
}

/**
 * Check q [B, H_q, T_q, d], k and v [B, H_kv, T_k, d] and the options.
 *
 * @throws InvalidArgumentError naming `fn` on any mismatch
 */
export function checkAttention(fn: string, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, options: AttentionOptions): AttentionShapes {
  requireArg(fn, q.rank === 4 && k.rank === 4, "rank-4 q [B, H_q, T_q, d] and k [B, H_kv, T_k, d]", { q: q.shape, k: k.shape });
  const [batch, queryHeads, queryLength, headDim] = q.shape as [number, number, number, number];
  const [kb, kvHeads, keyLength, kd] = k.shape as [number, number, number, number];
  requireArg(fn, kb === batch && kd === headDim, "k to match q in batch and head dim", { q: q.shape, k: k.shape });
  requireArg(fn, v.shape.join() === k.shape.join(), "v of the same shape as k", { k: k.shape, v: v.shape });
  requireArg(fn, keyLength >= 1 && queryLength >= 1, "at least one query and one key", { q: q.shape, k: k.shape });
  const groupSize = groupSizeOf(fn, queryHeads, kvHeads);
  const scale = options.scale ?? 1 / Math.sqrt(headDim);
  requireArg(fn, Number.isFinite(scale), "a finite scale", scale);
  const lens = options.kvLengths;
  if (lens !== undefined) {
    requireArg(fn, lens.length === batch, `kvLengths of length B = ${batch}`, lens.length);
    requireArg(fn, lens.every((n) => Number.isInteger(n) && n >= 0 && n <= keyLength), `kvLengths in [0, ${keyLength}]`, lens);
  }
  if (options.causal) {
    const minLen = lens === undefined ? keyLength : Math.min(...lens);
    requireArg(fn, queryLength <= minLen, "T_q <= visible keys for a causal mask", { queryLength, minLen });
  }
  return { batch, queryHeads, kvHeads, groupSize, queryLength, keyLength, headDim, scale };
}

/**
 * The additive mask for keys `[keyStart, keyEnd)` as a tensor
 * [B or 1, 1, G·T_q, keyEnd − keyStart] matching scores laid out
 * [B, H_kv, G·T_q, keys], or `undefined` when nothing there is masked.
 * The caller disposes it (kernels call this inside `tf.tidy`).
 */
export function attentionBias(s: AttentionShapes, options: AttentionOptions, keyStart: number, keyEnd: number): tf.Tensor4D | undefined {
  const lens = options.kvLengths;
  const n = keyEnd - keyStart;
  const rows = s.groupSize * s.queryLength;
  const bm = lens === undefined ? 1 : s.batch;
  const bias = new Float32Array(bm * rows * n);
  let any = false;
  for (let b = 0; b < bm; b++) {
    const len = lens?.[b] ?? s.keyLength;
    for (let r = 0; r < rows; r++) {
      const last = options.causal ? len - s.queryLength + (r % s.queryLength) : len - 1;
      const visibleEnd = Math.min(last + 1, len);
      const base = (b * rows + r) * n;
      for (let j = Math.max(visibleEnd, keyStart); j < keyEnd; j++) {
        bias[base + j - keyStart] = MASKED_SCORE;
        any = true;
      }
    }
  }
  return any ? tf.tensor4d(bias, [bm, 1, rows, n]) : undefined;
}
