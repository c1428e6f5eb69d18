/**
 * The two decode paths the reproduction compares, on one attention layer, and
 * the inputs they need. Both attend one new query per sequence to the shared
 * prefix plus the sequence's own suffix.
 */
import * as tf from "@tensorflow/tfjs";
import { denseAttentionWithLse } from "../../lib/attention/dense-attention.ts";
import type { PrefixKv } from "../../lib/attention/kv-tensors.ts";
import { sharedPrefixDecode } from "../../lib/attention/shared-prefix-decode.ts";
import type { Rng } from "../../lib/core/rng.ts";

/** Inputs of one (B, P) configuration; `dispose()` frees every tensor. */
export interface DecodeInputs {
  batch: number;
  prefix: number;
  /** [B, H_q, d] queries. */
  q: tf.Tensor3D;
  /** Shared path: the prefix once per KV head, and the batch's suffixes [B, H_kv, S, d]. */
  prefixKv: PrefixKv;
  suffixK: tf.Tensor4D;
  suffixV: tf.Tensor4D;
  /** Naive path: per sequence and KV head its own copy of prefix + suffix, kT [d, P+S] and v [P+S, d], and its G query rows [G, d]. */
  ownKT: tf.Tensor2D[][];
  ownV: tf.Tensor2D[][];
  ownQ: tf.Tensor2D[][];
  /** Reference inputs: full K and V [B, H_kv, P+S, d]. */
  fullK: tf.Tensor4D;
  fullV: tf.Tensor4D;
  dispose(): void;
}

/**
 * Draw Q, the prefix K/V and each sequence's suffix K/V ~ N(0, 1) from `r`, and
 * lay them out for both paths (outside any timing).
 */
export function makeInputs(r: Rng, batch: number, prefix: number, suffix: number, hq: number, hkv: number, d: number): DecodeInputs {
  const g = hq / hkv;
  const total = prefix + suffix;
  const draw = (n: number) => Float32Array.from({ length: n }, () => r.normal());
  const q = draw(batch * hq * d);
  const pk = draw(hkv * prefix * d); // [H_kv, P, d]
  const pv = draw(hkv * prefix * d);
  const sk = draw(batch * hkv * suffix * d); // [B, H_kv, S, d]
  const sv = draw(batch * hkv * suffix * d);
  const fullK = new Float32Array(batch * hkv * total * d);
  const fullV = new Float32Array(fullK.length);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < hkv; h++) {
      const dst = (b * hkv + h) * total * d;
      fullK.set(pk.subarray(h * prefix * d, (h + 1) * prefix * d), dst);
      fullV.set(pv.subarray(h * prefix * d, (h + 1) * prefix * d), dst);
      fullK.set(sk.subarray((b * hkv + h) * suffix * d, (b * hkv + h + 1) * suffix * d), dst + prefix * d);
      fullV.set(sv.subarray((b * hkv + h) * suffix * d, (b * hkv + h + 1) * suffix * d), dst + prefix * d);
    }
  }
  const transpose = (m: Float32Array, rows: number) => {
    const t = new Float32Array(m.length);
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) t[j * rows + i] = m[i * d + j] as number;
    return t;
  };
  const prefixKv: PrefixKv = { kT: [], v: [] };
  for (let h = 0; h < hkv; h++) {
    prefixKv.kT.push(tf.tensor2d(transpose(pk.subarray(h * prefix * d, (h + 1) * prefix * d), prefix), [d, prefix]));
    prefixKv.v.push(tf.tensor2d(pv.slice(h * prefix * d, (h + 1) * prefix * d), [prefix, d]));
  }
  const ownKT: tf.Tensor2D[][] = [];
  const ownV: tf.Tensor2D[][] = [];
  const ownQ: tf.Tensor2D[][] = [];
  for (let b = 0; b < batch; b++) {
    const kts: tf.Tensor2D[] = [];
    const vs: tf.Tensor2D[] = [];
    const qs: tf.Tensor2D[] = [];
    for (let h = 0; h < hkv; h++) {
      const off = (b * hkv + h) * total * d;
      kts.push(tf.tensor2d(transpose(fullK.subarray(off, off + total * d), total), [d, total]));
      vs.push(tf.tensor2d(fullV.slice(off, off + total * d), [total, d]));
      qs.push(tf.tensor2d(q.slice((b * hq + h * g) * d, (b * hq + (h + 1) * g) * d), [g, d]));
    }
    ownKT.push(kts);
    ownV.push(vs);
    ownQ.push(qs);
  }
  const inputs: DecodeInputs = {
    batch,
    prefix,
    q: tf.tensor3d(q, [batch, hq, d]),
    prefixKv,
    suffixK: tf.tensor4d(sk, [batch, hkv, suffix, d]),
    suffixV: tf.tensor4d(sv, [batch, hkv, suffix, d]),
    ownKT,
    ownV,
    ownQ,
    fullK: tf.tensor4d(fullK, [batch, hkv, total, d]),
    fullV: tf.tensor4d(fullV, [batch, hkv, total, d]),
    dispose() {
      tf.dispose([inputs.q, ...prefixKv.kT, ...prefixKv.v, inputs.suffixK, inputs.suffixV, ...ownKT.flat(), ...ownV.flat(), ...ownQ.flat(), inputs.fullK, inputs.fullV]);
    },
  };
  return inputs;
}

/**
 * Naive decode: every sequence attends to its own copy of prefix + suffix,
 * one 2-D matMul pair per sequence and KV head (the fast wasm path; B
 * matrix–vector products per head, the prefix read B times).
 *
 * @returns [B, H_q, d]; the caller disposes it
 */
export function naiveDecode(x: DecodeInputs): tf.Tensor3D {
  return tf.tidy(() => {
    const d = x.q.shape[2];
    const scale = 1 / Math.sqrt(d);
    const rows = x.ownQ.map((qs, b) =>
      tf.concat(
        qs.map((qh, h) => {
          const scores = tf.mul(tf.matMul(qh, x.ownKT[b]![h]!), scale); // [G, P+S]
          return tf.matMul(tf.softmax(scores), x.ownV[b]![h]!); // [G, d]
        }),
      ),
    );
    return tf.stack(rows) as tf.Tensor3D; // [B, H_q, d]
  });
}

/**
 * Hydragen decode: {@link sharedPrefixDecode} over the prefix once per KV head
 * for the whole batch, plus each sequence's suffix, merged by log-sum-exp.
 *
 * @returns [B, H_q, d]; the caller disposes it
 */
export function sharedDecode(x: DecodeInputs): tf.Tensor3D {
  const r = sharedPrefixDecode(x.q, x.prefixKv, { k: x.suffixK, v: x.suffixV });
  r.lse.dispose();
  return r.output as tf.Tensor3D;
}

/**
 * The reference: dense attention over the concatenated prefix + suffix.
 *
 * @returns [B, H_q, d]; the caller disposes it
 */
export function referenceDecode(x: DecodeInputs): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, hq, d] = x.q.shape;
    const r = denseAttentionWithLse(tf.reshape(x.q, [b, hq, 1, d]), x.fullK, x.fullV);
    return tf.reshape(r.output, [b, hq, d]) as tf.Tensor3D;
  });
}
