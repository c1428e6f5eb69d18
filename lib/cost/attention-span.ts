import { requireArg } from "../core/errors.ts";

/** How many keys one decode step attends to, as a function of the keys in the cache. */
export type AttentionSpan =
  | { kind: "dense" }
  | {
      /** Kinetics / Quest block top-k: `local` newest tokens plus `topK` blocks of `blockSize`. */
      kind: "block-topk";
      blockSize: number;
      topK: number;
      /** Always-kept newest tokens. Default 0 (Kinetics' runs use local 0). */
      local?: number;
    };

/** What one decode step over `keys` cached keys touches, per query head and layer. */
export interface SpanCounts {
  /** Keys attended (scores and values). */
  attended: number;
  /** Block summaries scored by the selection (0 for dense). */
  summaries: number;
}

/**
 * Keys attended and block summaries scored by one decode query against `keys`
 * cached keys. Dense: all keys, no summaries. Block top-k with budget
 * B = local + blockSize·topK: min(keys, B) keys and ⌊keys / blockSize⌋ summaries
 * (the Kinetics accounting; our kernel additionally keeps attention sinks and
 * skips scoring the blocks it always keeps — compare with the kernel's own
 * `selections[].tokens` and `blocksScored`).
 *
 * @throws InvalidArgumentError on a non-integer or negative count, or block size < 1
 * @see Sadhukhan et al. 2025 (Kinetics), block top-k cost; Infini-AI-Lab/Kinetics cost_model/utils.py block_sparse_cost
 */
export function spanCounts(span: AttentionSpan, keys: number): SpanCounts {
  requireArg("spanCounts", Number.isSafeInteger(keys) && keys >= 0, "an integer keys >= 0", keys);
  if (span.kind === "dense") return { attended: keys, summaries: 0 };
  const { blockSize, topK, local = 0 } = span;
  const ok = [blockSize, topK + 1, local + 1].every((x) => Number.isSafeInteger(x) && x >= 1);
  requireArg("spanCounts", ok, "integer blockSize >= 1, topK >= 0, local >= 0", span);
  return { attended: Math.min(keys, local + blockSize * topK), summaries: Math.floor(keys / blockSize) };
}
