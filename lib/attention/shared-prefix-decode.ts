import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import type { AttentionResult } from "./dense-attention.ts";
import { JsAttender, RowState } from "./dense-decode.ts";
import { groupSizeOf } from "./head-layout.ts";
import type { PrefixKv } from "./kv-tensors.ts";

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
 * (as {@link mergeAttention}). Equal to dense attention over prefix + suffix.
 *
 * The suffix part is a plain typed-array loop (DESIGN.md §4): the online
 * softmax starts from the prefix part (m = lse_prefix, l = 1, acc = o_prefix)
 * and streams each sequence's own keys, which merges as it goes. Batched or
 * transposed matMuls are slow on wasm (STACK.md), and per-sequence tensors
 * would cost one op dispatch per sequence and head.
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
  const prefixPart = tf.tidy((): AttentionResult => {
    // [B, H_q, d] → [H_kv, B·G, d]: the rows of one KV head's matrix product; the scale is folded into q (small).
    const qh = tf.unstack(tf.reshape(tf.transpose(tf.reshape(tf.mul(q, scale), [batch, kvHeads, g, d]), [1, 0, 2, 3]), [kvHeads, batch * g, d]));
    const outs: tf.Tensor[] = [];
    const lses: tf.Tensor[] = [];
    qh.forEach((qj, h) => {
      // Four passes over the [B·G, P] scores besides the two matMuls: max, subtract, exp, sum.
      const scores = tf.matMul(qj, prefix.kT[h] as tf.Tensor2D); // [B·G, P]
      const m = tf.max(scores, 1, true); // [B·G, 1]
      const e = tf.exp(tf.sub(scores, m));
      const l = tf.sum(e, 1, true); // [B·G, 1]
      outs.push(tf.div(tf.matMul(e, prefix.v[h] as tf.Tensor2D), l)); // [B·G, d]
      lses.push(tf.add(m, tf.log(l)));
    });
    return {
      output: tf.reshape(tf.transpose(tf.reshape(tf.stack(outs), [kvHeads, batch, g, d]), [1, 0, 2, 3]), [batch, queryHeads, d]),
      lse: tf.reshape(tf.transpose(tf.reshape(tf.stack(lses), [kvHeads, batch, g]), [1, 0, 2]), [batch, queryHeads]),
    };
  });
  if (suffix === undefined) return prefixPart;
  const sLen = suffix.k.shape[2] as number;
  const lengths = suffix.lengths ?? new Array<number>(batch).fill(sLen);
  requireArg(fn, lengths.length === batch && lengths.every((n) => Number.isInteger(n) && n >= 0 && n <= sLen), `suffix lengths: B = ${batch} integers in [0, ${sLen}]`, lengths);
  const out = (prefixPart.output.dataSync() as Float32Array).slice();
  const lse = (prefixPart.lse.dataSync() as Float32Array).slice();
  tf.dispose([prefixPart.output, prefixPart.lse]);
  const qs = q.dataSync() as Float32Array;
  const kv = { k: suffix.k.dataSync() as Float32Array, v: suffix.v.dataSync() as Float32Array }; // [B·H_kv, S, d], head-major
  const st = new RowState(d, sLen);
  const attender = new JsAttender(sLen, d);
  for (let b = 0; b < batch; b++) {
    const n = lengths[b] as number;
    if (n === 0) continue;
    for (let h = 0; h < queryHeads; h++) {
      const row = b * queryHeads + h;
      st.reset(qs, row * d, scale);
      // Start from the prefix part: weight e^{lse_p − m} with m = lse_p, so l = 1 and acc = o_p.
      for (let i = 0; i < d; i++) st.acc[i] = out[row * d + i] as number;
      st.m = lse[row] as number;
      st.l = 1;
      attender.add(st, kv, b * kvHeads + Math.floor(h / g), 0, n);
      lse[row] = st.finish(out, row * d);
    }
  }
  return { output: tf.tensor3d(out, [batch, queryHeads, d]), lse: tf.tensor2d(lse, [batch, queryHeads]) };
}
