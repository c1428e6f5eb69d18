import type { BlockSummary } from "../attention/block-selection.ts";
import { requireArg } from "../core/errors.ts";
import type { AttentionSpan } from "../cost/attention-span.ts";

/**
 * How the tiny model's KV decoder attends over its cache at decode steps.
 *
 * - `{ kind: "dense" }` (the default): every cached key.
 * - `{ kind: "block-topk", ... }`: Quest / Kinetics block top-k. The cache is
 *   cut into blocks of `blockSize` tokens; per KV head (the query heads sharing
 *   it choose together, so the reads are what Kinetics' H_kv-based memory term
 *   charges) the `topK` blocks — or ⌈density · blocks⌉ — with the highest
 *   Quest bound are kept, plus the attention-sink blocks and the local window,
 *   both rounded out to whole blocks; softmax is exact over the kept keys.
 */
export type DecoderAttention =
  | { kind: "dense" }
  | {
      kind: "block-topk";
      /** Tokens per block (the unit of selection), ≥ 1. */
      blockSize: number;
      /** Blocks chosen per step; give this or `density`. */
      topK?: number;
      /** Fraction of the cache's blocks chosen, in (0, 1]: k = ⌈density · ⌈keys / blockSize⌉⌉. */
      density?: number;
      /** First tokens always kept (rounded up to whole blocks). Default 4 (StreamingLLM's sinks). */
      sinks?: number;
      /** Newest tokens always kept (the window's start rounded down to a block start), ≥ 1. Default `blockSize`. */
      window?: number;
      /** Block summary the selection scores: `"minmax"` (Quest's bound, default) or `"mean"`. */
      summary?: BlockSummary;
    };

/** A block top-k {@link DecoderAttention} with its defaults filled in (exactly one of topK and density set). */
export interface ResolvedBlockTopK {
  kind: "block-topk";
  blockSize: number;
  topK?: number;
  density?: number;
  sinks: number;
  window: number;
  summary: BlockSummary;
}

/**
 * Check a {@link DecoderAttention} and fill its defaults; `undefined` for dense.
 *
 * @throws InvalidArgumentError (naming `fn`) on an unknown kind, a block size < 1, both or neither of topK and density, density outside (0, 1], sinks < 0 or window < 1
 * @example
 * resolveBlockTopK("generate", { kind: "block-topk", blockSize: 8, density: 0.25 });
 * // { kind: "block-topk", blockSize: 8, density: 0.25, sinks: 4, window: 8, summary: "minmax" }
 */
export function resolveBlockTopK(fn: string, attention: DecoderAttention | undefined): ResolvedBlockTopK | undefined {
  if (attention === undefined || attention.kind === "dense") return undefined;
  requireArg(fn, attention.kind === "block-topk", 'attention of kind "dense" or "block-topk"', attention);
  const { blockSize, topK, density, sinks = 4, window = blockSize, summary = "minmax" } = attention;
  const int = (x: number, min: number) => Number.isSafeInteger(x) && x >= min;
  requireArg(fn, int(blockSize, 1) && int(sinks, 0) && int(window, 1), "attention with integer blockSize >= 1, sinks >= 0 and window >= 1", attention);
  requireArg(fn, (topK === undefined) !== (density === undefined), "attention with one of topK and density", attention);
  requireArg(fn, topK === undefined || int(topK, 0), "attention with an integer topK >= 0", topK);
  requireArg(fn, density === undefined || (density > 0 && density <= 1), "attention with 0 < density <= 1", density);
  requireArg(fn, summary === "minmax" || summary === "mean", 'attention summary "minmax" or "mean"', summary);
  const base = { kind: "block-topk" as const, blockSize, sinks, window, summary };
  return topK === undefined ? { ...base, density } : { ...base, topK };
}

/**
 * The `lib/cost` span that counts exactly the keys a decoder with this
 * attention reads per step, layer and query head (`spanCounts`, `decodeCost`,
 * `bestOfNCost`).
 *
 * @throws InvalidArgumentError as {@link resolveBlockTopK}
 * @example
 * decoderAttentionSpan({ kind: "block-topk", blockSize: 8, density: 0.25, sinks: 4, window: 8 });
 * // { kind: "block-aligned", blockSize: 8, density: 0.25, sinks: 4, localWindow: 8 }
 */
export function decoderAttentionSpan(attention: DecoderAttention | undefined): AttentionSpan {
  const a = resolveBlockTopK("decoderAttentionSpan", attention);
  if (a === undefined) return { kind: "dense" };
  const k = a.topK === undefined ? { density: a.density } : { topK: a.topK };
  return { kind: "block-aligned", blockSize: a.blockSize, ...k, sinks: a.sinks, localWindow: a.window };
}
