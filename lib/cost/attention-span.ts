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
    }
  | {
      /**
       * Our kernel's block top-k with block-aligned sinks and window
       * (`blockSparseDecode` with `blockAligned: true`, the tiny model's
       * sparse decoder): the sink blocks, the window's blocks and k chosen
       * whole blocks, k fixed (`topK`) or grown with the cache (`density`).
       */
      kind: "block-aligned";
      blockSize: number;
      /** Blocks chosen per step; give this or `density`. */
      topK?: number;
      /** Fraction of the cache's blocks chosen: k = ⌈density · ⌈keys / blockSize⌉⌉. */
      density?: number;
      /** Attention-sink tokens, rounded up to whole blocks. Default 0. */
      sinks?: number;
      /** Newest tokens kept, the window's start rounded down to a block start; ≥ 1. */
      localWindow: number;
    };

/** What one decode step over `keys` cached keys touches, per query head and layer. */
export interface SpanCounts {
  /** Keys attended (scores and values). */
  attended: number;
  /** Block summaries scored by the selection (0 for dense). */
  summaries: number;
  /** Of those, the summaries of blocks inside the first `sharedKeys` keys (a prefix shared by a batch). */
  sharedSummaries: number;
}

/**
 * Keys attended and block summaries scored by one decode query against `keys`
 * cached keys.
 *
 * - Dense: all keys, no summaries.
 * - `"block-topk"` (the Kinetics accounting), budget B = local + blockSize·topK:
 *   min(keys, B) keys and ⌊keys / blockSize⌋ summaries. Our kernel additionally
 *   keeps attention sinks and skips scoring the blocks it always keeps — compare
 *   with the kernel's own `selections[].tokens` and `blocksScored`.
 * - `"block-aligned"` (our kernel, exactly): sinks end at s = min(keys,
 *   ⌈sinks/bs⌉·bs), the window starts at w = ⌊(keys − localWindow)/bs⌋·bs
 *   (≥ 0); the C = (w − s)/bs whole blocks between them are the candidates and
 *   k = min(C, topK or ⌈density·⌈keys/bs⌉⌉) of them are kept: s + (keys − w) +
 *   bs·k keys (all keys when s ≥ w). The C candidates are scored only when
 *   0 < k < C (otherwise the choice is forced).
 *
 * @param sharedKeys - leading keys shared by a batch (default 0): sets `sharedSummaries`
 * @throws InvalidArgumentError on a non-integer or negative count, block size < 1, or a block-aligned span without exactly one of topK and density, or with localWindow < 1
 * @example
 * spanCounts({ kind: "block-aligned", blockSize: 8, density: 0.25, sinks: 4, localWindow: 8 }, 100).attended // 8 + 12 + 8·4 = 52
 * @see Sadhukhan et al. 2025 (Kinetics), block top-k cost; Infini-AI-Lab/Kinetics cost_model/utils.py block_sparse_cost
 */
export function spanCounts(span: AttentionSpan, keys: number, sharedKeys = 0): SpanCounts {
  requireArg("spanCounts", Number.isSafeInteger(keys) && keys >= 0, "an integer keys >= 0", keys);
  requireArg("spanCounts", Number.isSafeInteger(sharedKeys) && sharedKeys >= 0, "an integer sharedKeys >= 0", sharedKeys);
  if (span.kind === "dense") return { attended: keys, summaries: 0, sharedSummaries: 0 };
  if (span.kind === "block-aligned") return alignedCounts(span, keys, sharedKeys);
  const { blockSize, topK, local = 0 } = span;
  const ok = [blockSize, topK + 1, local + 1].every((x) => Number.isSafeInteger(x) && x >= 1);
  requireArg("spanCounts", ok, "integer blockSize >= 1, topK >= 0, local >= 0", span);
  const summaries = Math.floor(keys / blockSize);
  return { attended: Math.min(keys, local + blockSize * topK), summaries, sharedSummaries: Math.min(summaries, Math.floor(sharedKeys / blockSize)) };
}

/** {@link spanCounts} of a `"block-aligned"` span. */
function alignedCounts(span: Extract<AttentionSpan, { kind: "block-aligned" }>, keys: number, sharedKeys: number): SpanCounts {
  const { blockSize: bs, topK, density, sinks = 0, localWindow } = span;
  const ints = [bs, sinks + 1, localWindow].every((x) => Number.isSafeInteger(x) && x >= 1);
  const one = (topK === undefined) !== (density === undefined);
  const valid = topK === undefined ? density !== undefined && density > 0 && density <= 1 : Number.isSafeInteger(topK) && topK >= 0;
  requireArg("spanCounts", ints && one && valid, "integer blockSize >= 1, sinks >= 0, localWindow >= 1 and one of topK >= 0 or 0 < density <= 1", span);
  const sinkEnd = Math.min(keys, Math.ceil(sinks / bs) * bs);
  const localStart = Math.max(0, Math.floor((keys - localWindow) / bs) * bs);
  if (sinkEnd >= localStart) return { attended: keys, summaries: 0, sharedSummaries: 0 };
  const candidates = (localStart - sinkEnd) / bs;
  const k = Math.min(candidates, topK ?? Math.ceil((density as number) * Math.ceil(keys / bs)));
  const scored = k > 0 && k < candidates;
  const sharedEnd = Math.min(localStart, Math.floor(sharedKeys / bs) * bs);
  return {
    attended: sinkEnd + (keys - localStart) + bs * k,
    summaries: scored ? candidates : 0,
    sharedSummaries: scored ? Math.max(0, sharedEnd - sinkEnd) / bs : 0,
  };
}
