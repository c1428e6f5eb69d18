import { requireArg } from "../../core/errors.ts";

/**
 * Dense attention O = softmax(QKᵀ/√d)·V in float64 with no memory model — the
 * reference the instrumented schedules are checked against.
 *
 * @param q - [N, d] row-major; @param k - [N, d]; @param v - [N, d]
 * @returns [N, d] row-major output
 */
export function attentionReference(q: Float64Array, k: Float64Array, v: Float64Array, n: number, d: number): Float64Array {
  requireArg("attentionReference", q.length === n * d && k.length === n * d && v.length === n * d, `q, k, v of length N·d = ${n * d}`, [q.length, k.length, v.length]);
  const out = new Float64Array(n * d);
  const s = new Float64Array(n);
  const scale = 1 / Math.sqrt(d);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let x = 0; x < d; x++) dot += (q[i * d + x] as number) * (k[j * d + x] as number);
      s[j] = dot * scale;
      mx = Math.max(mx, dot * scale);
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const p = Math.exp((s[j] as number) - mx);
      s[j] = p;
      sum += p;
    }
    for (let j = 0; j < n; j++) {
      const p = (s[j] as number) / sum;
      for (let x = 0; x < d; x++) out[i * d + x] = (out[i * d + x] as number) + p * (v[j * d + x] as number);
    }
  }
  return out;
}

/**
 * The reference curves of Saha & Ye (2024), up to constant factors, in words:
 * `large` = N²d²/M (FlashAttention, optimal for M ≥ d²), `small` = N²d/√M
 * (optimal for M < d²), `floor` = 4Nd (read Q, K, V and write O once).
 *
 * @see Saha & Ye 2024, abstract and §1 (the two regimes and the output floor)
 */
export function attentionIOBounds(n: number, d: number, m: number): { large: number; small: number; floor: number } {
  return { large: (n * n * d * d) / m, small: (n * n * d) / Math.sqrt(m), floor: 4 * n * d };
}
