import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import { denseAttentionWithLse, type AttentionResult } from "./dense-attention.ts";
import { groupSizeOf } from "./head-layout.ts";
import type { PrefixKv } from "./kv-tensors.ts";
import { mergeAttention } from "./merge-attention.ts";

/** Each sequence's own keys after the shared prefix, zero-padded to one length. */
export interface SuffixKv {
  /** [B, H_kv, S, d] keys (S ≥ 1; pad with zeros). */
  k: tf.Tensor;
  /** [B, H_kv, S, d] values. */
  v: tf.Tensor;
  /** Valid suffix tokens per sequence, each in [0, S]; default S for all. */
  lengths?: readonly number[];
}

/** Options of {@link sharedPrefixDecode}. */
export interface SharedPrefixDecodeOptions {
  /** Score scale; default 1/√d. */
  scale?: number;
}

/**
 * Hydragen decode: B sequences that share a prefix of P tokens each bring one
 * new query. For each KV head the B·G queries of the batch meet the prefix in
 * one matrix–matrix product ([B·G, d] × [d, P], 2-D and non-transposed: the
 * prefix is read once for the whole batch), each sequence's suffix is attended
 * separately, and the two parts are merged exactly by log-sum-exp
 * ({@link mergeAttention}). Equal to dense attention over prefix + suffix.
 *
 * @param q - [B, H_q, d] one query per sequence and query head
 * @param prefix - the shared prefix, per KV head (build once with {@link prefixKv})
 * @param suffix - per-sequence keys after the prefix, or undefined when there are none
 * @param options - scale (default 1/√d)
 * @returns `{ output [B, H_q, d], lse [B, H_q] }`; the caller disposes both. The
 *   inputs stay the caller's; no other tensor outlives the call.
 * @throws InvalidArgumentError on mismatched heads, dims or lengths
 * @see Juravsky et al. 2024 (Hydragen), §3; FORMULAS.md "Hydragen"
 */
export function sharedPrefixDecode(q: tf.Tensor, prefix: PrefixKv, suffix?: SuffixKv, options: SharedPrefixDecodeOptions = {}): AttentionResult {
  const fn = "sharedPrefixDecode";
  requireArg(fn, q.rank === 3, "q of shape [B, H_q, d]", q.shape);
  const [batch, queryHeads, d] = q.shape as [number, number, number];
  const kvHeads = prefix.kT.length;
  const g = groupSizeOf(fn, queryHeads, kvHeads);
  requireArg(fn, prefix.v.length === kvHeads, "as many prefix value heads as key heads", [kvHeads, prefix.v.length]);
  const p = prefix.kT[0]?.shape[1] ?? 0;
  for (let h = 0; h < kvHeads; h++) {
    const ok = prefix.kT[h]?.shape.join() === `${d},${p}` && prefix.v[h]?.shape.join() === `${p},${d}`;
    requireArg(fn, ok, `prefix heads of kT [d, P] = [${d}, ${p}] and v [P, d]`, { head: h });
  }
  if (suffix !== undefined) {
    const ok = suffix.k.rank === 4 && suffix.k.shape[0] === batch && suffix.k.shape[1] === kvHeads && suffix.k.shape[3] === d;
    requireArg(fn, ok, `suffix k of shape [B, H_kv, S, d] = [${batch}, ${kvHeads}, S, ${d}]`, suffix.k.shape);
  }
  const scale = options.scale ?? 1 / Math.sqrt(d);
  return tf.tidy(() => {
    // [B, H_q, d] → [H_kv, B·G, d]: the rows of one KV head's matrix product.
    const qh = tf.unstack(tf.reshape(tf.transpose(tf.reshape(q, [batch, kvHeads, g, d]), [1, 0, 2, 3]), [kvHeads, batch * g, d]));
    const outs: tf.Tensor[] = [];
    const lses: tf.Tensor[] = [];
    qh.forEach((qj, h) => {
      const scores = tf.mul(tf.matMul(qj, prefix.kT[h] as tf.Tensor2D), scale); // [B·G, P]
      const lse = tf.logSumExp(scores, 1, true); // [B·G, 1]
      outs.push(tf.matMul(tf.exp(tf.sub(scores, lse)), prefix.v[h] as tf.Tensor2D)); // [B·G, d]
      lses.push(lse);
    });
    const prefixPart: AttentionResult = {
      output: tf.reshape(tf.transpose(tf.reshape(tf.stack(outs), [kvHeads, batch, g, d]), [1, 0, 2, 3]), [batch, queryHeads, d]),
      lse: tf.reshape(tf.transpose(tf.reshape(tf.stack(lses), [kvHeads, batch, g]), [1, 0, 2]), [batch, queryHeads]),
    };
    if (suffix === undefined) return prefixPart;
    const opts = suffix.lengths === undefined ? { scale } : { scale, kvLengths: suffix.lengths };
    const s = denseAttentionWithLse(tf.reshape(q, [batch, queryHeads, 1, d]), suffix.k, suffix.v, opts, fn);
    const suffixPart: AttentionResult = { output: tf.reshape(s.output, [batch, queryHeads, d]), lse: tf.reshape(s.lse, [batch, queryHeads]) };
    return mergeAttention([prefixPart, suffixPart]);
  });
}
