import { requireArg } from "../core/errors.ts";

/** How query heads share key/value heads. */
export type HeadLayoutKind = "MHA" | "GQA" | "MQA" | "SQA";

/** The head counts of one attention layer and how query heads map onto KV heads. */
export interface HeadLayout {
  /** MHA (H_q = H_kv = H), GQA (H_kv < H_q = H), MQA (H_kv = 1), SQA (H_q < H). */
  kind: HeadLayoutKind;
  /** The model's baseline head count H (the MHA layer this one is derived from). */
  heads: number;
  /** Query heads H_q: rows of scores the kernels compute. */
  queryHeads: number;
  /** Key/value heads H_kv: what the KV cache stores. */
  kvHeads: number;
  /** Query heads per KV head, G = H_q / H_kv. */
  groupSize: number;
  /** Score FLOPs of this layer relative to MHA with H heads: H_q / H (SQA's saving is H / H_q). */
  scoreFlopsRatio: number;
  /** KV-cache bytes relative to MHA: H_kv / H (GQA/MQA's saving). */
  kvBytesRatio: number;
}

/**
 * Describe a head layout and check it is one the kernels run.
 *
 * Every kernel in `lib/attention` maps query head `h` to KV head
 * `floor(h / G)` with `G = H_q / H_kv` (consecutive query heads form a group),
 * so the only requirement is `H_kv | H_q`:
 * - **MHA**: H_q = H_kv = H.
 * - **GQA**: H_q = H, H_kv < H (MQA is GQA with H_kv = 1).
 * - **SQA** (Sparse Query Attention): the layer keeps only H_q < H query heads
 *   (the query projection outputs H_q·d values, the output projection reads
 *   H_q·d), so score and value FLOPs shrink by H / H_q. Its KV heads satisfy
 *   H_kv ≤ H_q and are shared by groups of G = H_q / H_kv query heads exactly as
 *   in GQA; symmetric SQA (sSQA) has H_q = H_kv = H/2, extreme SQA (xSQA)
 *   H_q = H/4. The kernels see an SQA layer as MHA/GQA with fewer heads: the
 *   reduction happens in the projections, not in the attention arithmetic.
 *
 * @param heads - the baseline head count H
 * @param queryHeads - H_q (default H)
 * @param kvHeads - H_kv (default H_q)
 * @throws InvalidArgumentError unless 1 ≤ H_kv ≤ H_q ≤ H, H_kv divides H_q, all integers
 * @example
 * headLayout(32, 32, 8).kind   // "GQA", groupSize 4
 * headLayout(32, 16, 8).kind   // "SQA", scoreFlopsRatio 0.5
 * @see FORMULAS.md "Attention and cost" (SQA); Ainslie et al. 2023 (GQA); Shazeer 2019 (MQA)
 */
export function headLayout(heads: number, queryHeads = heads, kvHeads = queryHeads): HeadLayout {
  const ints = [heads, queryHeads, kvHeads].every((x) => Number.isSafeInteger(x) && x >= 1);
  requireArg("headLayout", ints, "positive integer head counts", { heads, queryHeads, kvHeads });
  requireArg("headLayout", kvHeads <= queryHeads && queryHeads <= heads, "kvHeads <= queryHeads <= heads", {
    heads,
    queryHeads,
    kvHeads,
  });
  requireArg("headLayout", queryHeads % kvHeads === 0, "kvHeads to divide queryHeads", { queryHeads, kvHeads });
  let kind: HeadLayoutKind;
  if (queryHeads < heads) kind = "SQA";
  else if (kvHeads === queryHeads) kind = "MHA";
  else if (kvHeads === 1) kind = "MQA";
  else kind = "GQA";
  return {
    kind,
    heads,
    queryHeads,
    kvHeads,
    groupSize: queryHeads / kvHeads,
    scoreFlopsRatio: queryHeads / heads,
    kvBytesRatio: kvHeads / heads,
  };
}

/**
 * Group size G = H_q / H_kv for kernels, checking the layout.
 *
 * @param fn - the calling kernel, for the error message
 * @throws InvalidArgumentError unless H_kv ≥ 1 divides H_q
 */
export function groupSizeOf(fn: string, queryHeads: number, kvHeads: number): number {
  requireArg(fn, kvHeads >= 1 && queryHeads >= kvHeads && queryHeads % kvHeads === 0, "kvHeads to divide queryHeads", {
    queryHeads,
    kvHeads,
  });
  return queryHeads / kvHeads;
}
