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
 * w_j·v_j in float32, keys in order. Four keys share one pass over the query
 * (four independent sums, each in the same order) and output lanes run four at
 * a time, which is what makes this faster than the plain loop without changing
 * a bit of the result.
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
 * order (four keys per pass, independent sums); part of {@link decodeAttention}.
 *
 * @param q - [d] query
 * @param kc - [≥ n, d] keys, row-major
 * @returns the largest score
 */
export function keyScores(q: Float64Array, kc: Float32Array, n: number, scale: number, scores: Float64Array): number {
  const hd = q.length;
  let max = -Infinity;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    const r0 = j * hd, r1 = r0 + hd, r2 = r1 + hd, r3 = r2 + hd;
    for (let i = 0; i < hd; i++) {
      const qi = q[i] as number;
      d0 += qi * (kc[r0 + i] as number);
      d1 += qi * (kc[r1 + i] as number);
      d2 += qi * (kc[r2 + i] as number);
      d3 += qi * (kc[r3 + i] as number);
    }
    d0 *= scale;
    d1 *= scale;
    d2 *= scale;
    d3 *= scale;
    scores[j] = d0;
    scores[j + 1] = d1;
    scores[j + 2] = d2;
    scores[j + 3] = d3;
    if (d0 > max) max = d0;
    if (d1 > max) max = d1;
    if (d2 > max) max = d2;
    if (d3 > max) max = d3;
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
 * acc[i] = Σ_j w_j·v_{j,i} for j < n, accumulated in float32 (acc's own
 * rounding after every term), keys in order, four lanes per pass; part of
 * {@link decodeAttention}.
 *
 * @param w - [≥ n] weights
 * @param vc - [≥ n, d] values, row-major
 * @param acc - [d] output, overwritten
 */
export function weightedValues(w: Float64Array, vc: Float32Array, n: number, acc: Float32Array): void {
  const hd = acc.length;
  acc.fill(0);
  const wide = hd - (hd % 4);
  for (let j = 0; j < n; j++) {
    const wj = w[j] as number;
    const r = j * hd;
    let i = 0;
    for (; i < wide; i += 4) {
      acc[i]! += wj * (vc[r + i] as number);
      acc[i + 1]! += wj * (vc[r + i + 1] as number);
      acc[i + 2]! += wj * (vc[r + i + 2] as number);
      acc[i + 3]! += wj * (vc[r + i + 3] as number);
    }
    for (; i < hd; i++) acc[i]! += wj * (vc[r + i] as number);
  }
}
