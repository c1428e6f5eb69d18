/** Head counts of one attention layer, as {@link decodeAttention} needs them. */
export interface DecodeAttentionShape {
  /** Query heads H. */
  heads: number;
  /** KV heads H_kv (dividing H; consecutive query heads share one). */
  kvHeads: number;
  /** Head dimension d. */
  headDim: number;
}

/**
 * One decode step of causal attention over per-sequence KV caches, in plain
 * typed-array loops: for each active sequence b, write this step's keys and
 * values at `positions[b]`, then for each query head attend over cache rows
 * 0 … positions[b] and write the head's output into `out`.
 *
 * The arithmetic is fixed, so results are reproducible to the bit: a score is
 * Σ_i q_i·k_i accumulated in float64 in index order, times 1/√d; weights are
 * exp(s_j − max)/Σ exp(s − max) in float64; each output lane accumulates
 * w_j·v_j in float32, keys in order. Eight keys share one pass over the query
 * (eight independent sums, each in the same order) and eight output lanes
 * accumulate at a time in local variables, which is what makes this faster
 * than the plain loop without changing a bit of the result.
 *
 * @param qkv - [B, H·d + 2·H_kv·d] row-major: queries, then keys, then values of this step
 * @param positions - [B] cache rows already filled per sequence (this step writes row `positions[b]`); not advanced here
 * @param k - [B·H_kv] key caches, entry b·H_kv + g of `maxLen·d` floats (row-major [maxLen, d]); written in place
 * @param v - [B·H_kv] value caches, laid out like `k`; written in place
 * @param out - [B, H·d] head outputs; rows of inactive sequences are left as they are
 * @param active - rows to process (default all)
 * @example
 * // one sequence, one head, d 2, first token: the output is its own value
 * const k = [new Float32Array(8)], v = [new Float32Array(8)], out = new Float32Array(2);
 * decodeAttention(Float32Array.of(1, 0, 1, 0, 5, 6), Int32Array.of(0), k, v, { heads: 1, kvHeads: 1, headDim: 2 }, out);
 * // out = [5, 6]
 * @see KvDecoder, whose step calls this once per layer
 */
export function decodeAttention(
  qkv: Float32Array,
  positions: Int32Array,
  k: readonly Float32Array[],
  v: readonly Float32Array[],
  shape: DecodeAttentionShape,
  out: Float32Array,
  active?: ArrayLike<boolean>,
): void {
  const { heads, kvHeads, headDim: hd } = shape;
  const dModel = heads * hd;
  const group = heads / kvHeads;
  const width = dModel + 2 * kvHeads * hd;
  const scale = 1 / Math.sqrt(hd);
  const q = new Float64Array(hd);
  const acc = new Float32Array(hd);
  let scores = new Float64Array(0);
  for (let b = 0; b < positions.length; b++) {
    if (active !== undefined && !active[b]) continue;
    const pos = positions[b] as number;
    const row = b * width;
    for (let g = 0; g < kvHeads; g++) {
      const kc = k[b * kvHeads + g] as Float32Array;
      const vc = v[b * kvHeads + g] as Float32Array;
      const k0 = row + dModel + g * hd, v0 = row + dModel + (kvHeads + g) * hd, c0 = pos * hd;
      for (let i = 0; i < hd; i++) {
        kc[c0 + i] = qkv[k0 + i] as number;
        vc[c0 + i] = qkv[v0 + i] as number;
      }
    }
    const n = pos + 1;
    if (scores.length < n) scores = new Float64Array(2 * n);
    for (let h = 0; h < heads; h++) {
      const g = (h / group) | 0;
      for (let i = 0; i < hd; i++) q[i] = qkv[row + h * hd + i] as number;
      softmaxWeights(scores, n, keyScores(q, k[b * kvHeads + g] as Float32Array, n, scale, scores));
      weightedValues(scores, v[b * kvHeads + g] as Float32Array, n, acc);
      out.set(acc, b * dModel + h * hd);
    }
  }
}

/**
 * scores[j] = (Σ_i q_i·k_{j,i})·scale for j < n, in float64, each sum in index
 * order (eight keys per pass, independent sums); part of {@link decodeAttention}.
 *
 * @param q - [d] query
 * @param kc - [≥ n, d] keys, row-major
 * @returns the largest score
 */
export function keyScores(q: Float64Array, kc: Float32Array, n: number, scale: number, scores: Float64Array): number {
  const hd = q.length;
  let max = -Infinity;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
    const r0 = j * hd;
    for (let i = 0; i < hd; i++) {
      const qi = q[i] as number;
      const r = r0 + i;
      d0 += qi * (kc[r] as number);
      d1 += qi * (kc[r + hd] as number);
      d2 += qi * (kc[r + 2 * hd] as number);
      d3 += qi * (kc[r + 3 * hd] as number);
      d4 += qi * (kc[r + 4 * hd] as number);
      d5 += qi * (kc[r + 5 * hd] as number);
      d6 += qi * (kc[r + 6 * hd] as number);
      d7 += qi * (kc[r + 7 * hd] as number);
    }
    d0 *= scale;
    d1 *= scale;
    d2 *= scale;
    d3 *= scale;
    d4 *= scale;
    d5 *= scale;
    d6 *= scale;
    d7 *= scale;
    scores[j] = d0;
    scores[j + 1] = d1;
    scores[j + 2] = d2;
    scores[j + 3] = d3;
    scores[j + 4] = d4;
    scores[j + 5] = d5;
    scores[j + 6] = d6;
    scores[j + 7] = d7;
    if (d0 > max) max = d0;
    if (d1 > max) max = d1;
    if (d2 > max) max = d2;
    if (d3 > max) max = d3;
    if (d4 > max) max = d4;
    if (d5 > max) max = d5;
    if (d6 > max) max = d6;
    if (d7 > max) max = d7;
  }
  for (; j < n; j++) {
    let dot = 0;
    for (let i = 0, r = j * hd; i < hd; i++) dot += (q[i] as number) * (kc[r + i] as number);
    dot *= scale;
    scores[j] = dot;
    if (dot > max) max = dot;
  }
  return max;
}

/**
 * In place, for j < n: w[j] = exp(w[j] − max) / Σ_j' exp(w[j'] − max), in
 * float64, the sum in index order; part of {@link decodeAttention}.
 *
 * @param w - [≥ n] scores in, weights out
 * @param max - the largest of w[0 … n)
 */
export function softmaxWeights(w: Float64Array, n: number, max: number): void {
  let z = 0;
  for (let j = 0; j < n; j++) z += w[j] = Math.exp((w[j] as number) - max);
  for (let j = 0; j < n; j++) w[j] = (w[j] as number) / z;
}

/**
 * acc[i] = Σ_j w_j·v_{j,i} for j < n, accumulated in float32 (rounded after
 * every term), keys in order; part of {@link decodeAttention}. Eight output
 * lanes run at a time in local variables (`Math.fround` after each term is the
 * same rounding as storing into a Float32Array), then four, then one — so each
 * lane sees exactly the additions of the plain loop, without a store and
 * reload per term.
 *
 * @param w - [≥ n] weights
 * @param vc - [≥ n, d] values, row-major
 * @param acc - [d] output, overwritten
 */
export function weightedValues(w: Float64Array, vc: Float32Array, n: number, acc: Float32Array): void {
  const hd = acc.length;
  const fr = Math.fround;
  let i = 0;
  for (; i + 8 <= hd; i += 8) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (let j = 0, r = i; j < n; j++, r += hd) {
      const wj = w[j] as number;
      a0 = fr(a0 + wj * (vc[r] as number));
      a1 = fr(a1 + wj * (vc[r + 1] as number));
      a2 = fr(a2 + wj * (vc[r + 2] as number));
      a3 = fr(a3 + wj * (vc[r + 3] as number));
      a4 = fr(a4 + wj * (vc[r + 4] as number));
      a5 = fr(a5 + wj * (vc[r + 5] as number));
      a6 = fr(a6 + wj * (vc[r + 6] as number));
      a7 = fr(a7 + wj * (vc[r + 7] as number));
    }
    acc[i] = a0;
    acc[i + 1] = a1;
    acc[i + 2] = a2;
    acc[i + 3] = a3;
    acc[i + 4] = a4;
    acc[i + 5] = a5;
    acc[i + 6] = a6;
    acc[i + 7] = a7;
  }
  for (; i + 4 <= hd; i += 4) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let j = 0, r = i; j < n; j++, r += hd) {
      const wj = w[j] as number;
      a0 = fr(a0 + wj * (vc[r] as number));
      a1 = fr(a1 + wj * (vc[r + 1] as number));
      a2 = fr(a2 + wj * (vc[r + 2] as number));
      a3 = fr(a3 + wj * (vc[r + 3] as number));
    }
    acc[i] = a0;
    acc[i + 1] = a1;
    acc[i + 2] = a2;
    acc[i + 3] = a3;
  }
  for (; i < hd; i++) {
    let a = 0;
    for (let j = 0, r = i; j < n; j++, r += hd) a = fr(a + (w[j] as number) * (vc[r] as number));
    acc[i] = a;
  }
}
