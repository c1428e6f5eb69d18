import * as tf from "@tensorflow/tfjs";
import { attentionBias, checkAttention, type AttentionOptions } from "./attention-options.ts";

/** Attention output with its log-sum-exp, the pair that {@link mergeAttention} combines. */
// A type alias (not an interface) so that it is a tfjs TensorContainer and can leave tf.tidy.
export type AttentionResult = {
  /** [B, H_q, T_q, d] (decode kernels: [B, H_q, d]) */
  output: tf.Tensor;
  /** [B, H_q, T_q] (decode kernels: [B, H_q]): log Σ_j exp(scale · q·k_j) over the visible keys. */
  lse: tf.Tensor;
};

/**
 * Reference attention, softmax(scale · Q Kᵀ + mask) V, materialising the full
 * score matrix. Prefill: T_q = T_k with `causal: true`. Decode: T_q = 1 new
 * query per sequence against a cache of T_k keys (ragged caches: `kvLengths`).
 *
 * Head layouts: query head h reads KV head ⌊h / G⌋, G = H_q / H_kv, so MHA
 * (G = 1), GQA, MQA (H_kv = 1) and SQA (fewer query heads; see
 * {@link headLayout}) all run through the same code.
 *
 * @param q - [B, H_q, T_q, d] queries
 * @param k - [B, H_kv, T_k, d] keys
 * @param v - [B, H_kv, T_k, d] values
 * @param options - causal mask, scale (default 1/√d), per-sequence key counts
 * @returns [B, H_q, T_q, d]; the caller disposes it. No other tensor outlives the call.
 * @throws InvalidArgumentError on mismatched shapes, H_kv not dividing H_q, bad kvLengths
 * @see Vaswani et al. 2017, eq. 1
 */
export function denseAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, options: AttentionOptions = {}): tf.Tensor4D {
  const r = denseAttentionWithLse(q, k, v, options, "denseAttention");
  r.lse.dispose();
  return r.output as tf.Tensor4D;
}

/**
 * {@link denseAttention} that also returns the log-sum-exp of each query's
 * scaled scores, lse [B, H_q, T_q] — the reference for {@link tiledAttention}
 * and the suffix part of {@link sharedPrefixDecode}.
 *
 * @returns `{ output [B, H_q, T_q, d], lse [B, H_q, T_q] }`; the caller disposes both.
 */
export function denseAttentionWithLse(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  options: AttentionOptions = {},
  fn = "denseAttentionWithLse",
): AttentionResult {
  const s = checkAttention(fn, q, k, v, options);
  return tf.tidy(() => {
    // Consecutive query heads share a KV head, so [B, H_q, T_q, d] → [B, H_kv, G·T_q, d] groups them.
    const qg = tf.reshape(q, [s.batch, s.kvHeads, s.groupSize * s.queryLength, s.headDim]);
    let scores = tf.mul(tf.matMul(qg, k, false, true), s.scale); // [B, H_kv, G·T_q, T_k]
    const bias = attentionBias(s, options, 0, s.keyLength);
    if (bias !== undefined) scores = tf.add(scores, bias);
    const lse = tf.logSumExp(scores, -1, true); // [B, H_kv, G·T_q, 1]
    const out = tf.matMul(tf.exp(tf.sub(scores, lse)), v); // [B, H_kv, G·T_q, d]
    return {
      output: tf.reshape(out, [s.batch, s.queryHeads, s.queryLength, s.headDim]),
      lse: tf.reshape(lse, [s.batch, s.queryHeads, s.queryLength]),
    };
  });
}
