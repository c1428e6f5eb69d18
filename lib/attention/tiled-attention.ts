import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import { attentionBias, checkAttention, type AttentionOptions } from "./attention-options.ts";
import type { AttentionResult } from "./dense-attention.ts";

/** Options of {@link tiledAttention}. */
export interface TiledAttentionOptions extends AttentionOptions {
  /** Keys per tile B_c (the last tile may be shorter). Default 64. */
  tileSize?: number;
}

/**
 * FlashAttention-style attention: key/value tiles stream past all queries while
 * a running max m, running sum l and unnormalised output acc are rescaled by
 * exp(m_old − m_new) (online softmax). Only one tile of scores
 * [B, H_kv, G·T_q, B_c] is ever live, so memory grows linearly in T_k, never
 * as T_q × T_k. Equal to {@link denseAttention} up to rounding.
 *
 * @param q - [B, H_q, T_q, d] queries
 * @param k - [B, H_kv, T_k, d] keys
 * @param v - [B, H_kv, T_k, d] values
 * @param options - tile size (default 64), causal mask, scale (default 1/√d), kvLengths
 * @returns `{ output [B, H_q, T_q, d], lse [B, H_q, T_q] }` (lse = m + log l); the caller
 *   disposes both; every intermediate is freed before returning.
 * @throws InvalidArgumentError on bad shapes or a tile size that is not a positive integer
 * @see Dao et al. 2022 (FlashAttention), Alg. 1; Milakov & Gimelshein 2018 (online softmax);
 *   FORMULAS.md "Online softmax merge"
 */
export function tiledAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, options: TiledAttentionOptions = {}): AttentionResult {
  const s = checkAttention("tiledAttention", q, k, v, options);
  const tile = options.tileSize ?? 64;
  requireArg("tiledAttention", Number.isSafeInteger(tile) && tile >= 1, "a positive integer tileSize", tile);
  const rows = s.groupSize * s.queryLength;
  const qg = tf.reshape(q, [s.batch, s.kvHeads, rows, s.headDim]);
  let m: tf.Tensor = tf.fill([s.batch, s.kvHeads, rows, 1], -Infinity);
  let l: tf.Tensor = tf.zeros([s.batch, s.kvHeads, rows, 1]);
  let acc: tf.Tensor = tf.zeros([s.batch, s.kvHeads, rows, s.headDim]);
  for (let start = 0; start < s.keyLength; start += tile) {
    const n = Math.min(tile, s.keyLength - start);
    const next = tf.tidy(() => {
      const kt = tf.slice(k, [0, 0, start, 0], [s.batch, s.kvHeads, n, s.headDim]);
      const vt = tf.slice(v, [0, 0, start, 0], [s.batch, s.kvHeads, n, s.headDim]);
      let scores = tf.mul(tf.matMul(qg, kt, false, true), s.scale); // [B, H_kv, G·T_q, n]
      const bias = attentionBias(s, options, start, start + n);
      if (bias !== undefined) scores = tf.add(scores, bias);
      const mNew = tf.maximum(m, tf.max(scores, -1, true));
      const correction = tf.exp(tf.sub(m, mNew)); // 0 on the first tile (m = −∞)
      const p = tf.exp(tf.sub(scores, mNew));
      return [
        mNew,
        tf.add(tf.mul(l, correction), tf.sum(p, -1, true)),
        tf.add(tf.mul(acc, correction), tf.matMul(p, vt)),
      ] as const;
    });
    tf.dispose([m, l, acc]);
    [m, l, acc] = next;
  }
  const result = tf.tidy(() => ({
    output: tf.reshape(tf.div(acc, l), [s.batch, s.queryHeads, s.queryLength, s.headDim]),
    lse: tf.reshape(tf.add(m, tf.log(l)), [s.batch, s.queryHeads, s.queryLength]),
  }));
  tf.dispose([qg, m, l, acc]);
  return result;
}
