/**
 * The keys and values a decoder computed for consecutive positions of one
 * sequence: what a prefix cache stores and what {@link KvDecoder.writeKv}
 * starts a row from. `k[l][g]` is layer l, KV head g: `length·headDim` floats,
 * position-major ([length, headDim]); `v` is laid out the same way. The
 * arrays belong to whoever holds the span; readers copy out of them.
 */
export interface KvSpan {
  /** Positions covered. */
  readonly length: number;
  /** [layers][kvHeads] arrays of `length·headDim` keys. */
  readonly k: readonly (readonly Float32Array[])[];
  /** [layers][kvHeads] arrays of `length·headDim` values. */
  readonly v: readonly (readonly Float32Array[])[];
  /** One float per position for the span's owner (a reward model keeps its logit contrast here), or absent. */
  readonly values?: Float32Array;
}

/**
 * The first `length` positions of a token sequence as spans laid end to end
 * (the spans may cover more; only `length` positions are used): what a
 * prefix-cache lookup returns and what `SequenceOptions.cache` takes.
 */
export interface KvPrefix {
  /** Positions the spans supply (0 = nothing cached). */
  readonly length: number;
  readonly spans: readonly KvSpan[];
}

/** A prefix of nothing. */
export const EMPTY_KV_PREFIX: KvPrefix = { length: 0, spans: [] };

/**
 * Bytes a span's arrays hold (keys, values and `values`).
 *
 * @example
 * kvSpanBytes({ length: 1, k: [[new Float32Array(4)]], v: [[new Float32Array(4)]] }); // 32
 */
export function kvSpanBytes(span: KvSpan): number {
  let bytes = span.values?.byteLength ?? 0;
  for (const layer of [...span.k, ...span.v]) for (const a of layer) bytes += a.byteLength;
  return bytes;
}

/**
 * Positions [from, to) of a span as a new span with copied arrays (the source stays intact).
 *
 * @param from - first position, 0 ≤ from ≤ to
 * @param to - end position, ≤ span.length
 */
export function sliceKvSpan(span: KvSpan, from: number, to: number): KvSpan {
  const per = (a: Float32Array) => (span.length === 0 ? 0 : a.length / span.length);
  const cut = (rows: readonly (readonly Float32Array[])[]) => rows.map((heads) => heads.map((a) => a.slice(from * per(a), to * per(a))));
  return { length: to - from, k: cut(span.k), v: cut(span.v), ...(span.values ? { values: span.values.slice(from, to) } : {}) };
}

/**
 * The `values` of a prefix's first `length` positions, concatenated.
 *
 * @returns [length] floats; positions whose span has no `values` read 0
 */
export function kvPrefixValues(prefix: KvPrefix): Float32Array {
  const out = new Float32Array(prefix.length);
  let at = 0;
  for (const s of prefix.spans) {
    const n = Math.min(s.length, prefix.length - at);
    if (n <= 0) break;
    if (s.values) out.set(s.values.subarray(0, n), at);
    at += n;
  }
  return out;
}
