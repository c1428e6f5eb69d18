import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import type { AttentionResult } from "./dense-attention.ts";

/**
 * Merge attention computed over disjoint key sets into attention over their
 * union, exactly: m = max_i lse_i, w_i = exp(lse_i − m),
 * o = Σ w_i o_i / Σ w_i, lse = m + log Σ w_i.
 *
 * A part whose keys were all masked (lse ≈ −1e30) gets weight 0. At least one
 * part per query must have a visible key.
 *
 * @param parts - each `{ output [..., d], lse [...] }` with the same leading
 *   shape (e.g. output [B, H_q, d] with lse [B, H_q], or [B, H_q, T_q, d] with [B, H_q, T_q])
 * @returns `{ output [..., d], lse [...] }`; the caller disposes both. The parts
 *   are not disposed (they stay the caller's).
 * @throws InvalidArgumentError on no parts or mismatched shapes
 * @see FORMULAS.md "Online softmax merge"; Juravsky et al. 2024 (Hydragen), §3 eq. 3–4
 */
export function mergeAttention(parts: readonly AttentionResult[]): AttentionResult {
  requireArg("mergeAttention", parts.length >= 1, "at least one part", parts.length);
  const first = parts[0] as AttentionResult;
  for (const p of parts) {
    const ok =
      p.output.shape.join() === first.output.shape.join() &&
      p.lse.shape.join() === first.output.shape.slice(0, -1).join();
    requireArg("mergeAttention", ok, "parts with output [..., d] and lse [...] of one shape", {
      output: p.output.shape,
      lse: p.lse.shape,
    });
  }
  if (parts.length === 1) return tf.tidy(() => ({ output: tf.clone(first.output), lse: tf.clone(first.lse) }));
  return tf.tidy(() => {
    const lses = tf.stack(parts.map((p) => p.lse)); // [n, ...]
    const m = tf.max(lses, 0); // [...]
    const w = tf.exp(tf.sub(lses, m)); // [n, ...]
    const total = tf.sum(w, 0); // [...]
    const weighted = tf.sum(tf.mul(tf.stack(parts.map((p) => p.output)), tf.expandDims(w, -1)), 0); // [..., d]
    return { output: tf.div(weighted, tf.expandDims(total, -1)), lse: tf.add(m, tf.log(total)) };
  });
}
