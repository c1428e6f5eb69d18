import { requireArg } from "../core/errors.ts";
import { spanCounts, type AttentionSpan } from "./attention-span.ts";
import type { Cost } from "./cost.ts";
import { kvElementsPerToken, parameterCount, type ModelShape } from "./model-shape.ts";

/** Options of {@link decodeCost}. */
export interface DecodeCostOptions {
  /** Tokens in each sequence's cache before the first decode step (prompt, plus anything generated earlier). */
  contextTokens: number;
  /** Tokens each sequence generates. */
  newTokens: number;
  /** Sequences decoded together; weights are read once per step for all of them. Default 1. */
  batch?: number;
  /**
   * Leading context tokens that all sequences share and whose KV (or block
   * summaries) is read once per step for the whole batch — prefix sharing /
   * Hydragen. Default 0 (every sequence reads its own copy). At most `contextTokens`.
   * Under block top-k only the summaries are shared: each sequence reads its own selected blocks.
   */
  sharedPrefixTokens?: number;
  /** Dense (default) or block top-k attention. */
  span?: AttentionSpan;
  /** Bytes per weight and KV element. Default 2 (bf16). */
  bytesPerElement?: number;
}

/**
 * Cost of autoregressive decoding, counted step by step (exact sums, no
 * continuum approximation). At step t (0-based) each sequence holds
 * K_t = contextTokens + t + 1 keys (its new token's K/V is written first) and,
 * per layer and query head, attends to `spanCounts(span, K_t).attended` of them.
 *
 * Per sequence and step: 2·P_matmul parameter FLOPs; 4·d·H_q·layers FLOPs per
 * key attended (q·k and p·v); 2·d·H_q·layers per block summary scored; writes
 * 2·layers·H_kv·d elements of K/V; reads 2·layers·H_kv·d elements per key
 * attended (shared-prefix keys once per step for the batch) and layers·H_kv·d
 * per summary. Weights (P_matmul elements) are read once per step.
 *
 * Dense, no sharing: Σ_t K_t = n·c + n(n+1)/2 for c context and n new tokens.
 *
 * @throws InvalidArgumentError on negative or non-integer counts, or a shared prefix longer than the context
 * @see FORMULAS.md "Kinetics eFLOPs" (this is its exact discrete form; kineticsDenseCost is the paper's continuum form)
 */
export function decodeCost(shape: ModelShape, options: DecodeCostOptions): Cost {
  const fn = "decodeCost";
  const { contextTokens: c, newTokens: n, batch = 1, sharedPrefixTokens: shared = 0, span = { kind: "dense" }, bytesPerElement: bpe = 2 } = options;
  const ints = [c, n, shared].every((x) => Number.isSafeInteger(x) && x >= 0) && Number.isSafeInteger(batch) && batch >= 1;
  requireArg(fn, ints, "integer contextTokens, newTokens, sharedPrefixTokens >= 0 and batch >= 1", options);
  requireArg(fn, shared <= c, "sharedPrefixTokens <= contextTokens", { shared, contextTokens: c });
  requireArg(fn, bpe > 0, "bytesPerElement > 0", bpe);
  const p = parameterCount(shape);
  const perKeyFlops = 4 * shape.headDim * shape.queryHeads * shape.layers;
  const perSummaryFlops = 2 * shape.headDim * shape.queryHeads * shape.layers;
  const kvPerToken = kvElementsPerToken(shape);
  const summaryElems = shape.layers * shape.kvHeads * shape.headDim;
  let attended = 0; // Σ over steps of keys attended by one sequence
  let summaries = 0; // Σ over steps of summaries scored by one sequence
  let readKeys = 0; // Σ over steps of KV tokens read for the whole batch
  let readSummaries = 0; // Σ over steps of summaries read for the whole batch
  for (let t = 0; t < n; t++) {
    const s = spanCounts(span, c + t + 1, shared);
    attended += s.attended;
    summaries += s.summaries;
    readKeys += span.kind === "dense" ? shared + batch * (s.attended - shared) : batch * s.attended;
    readSummaries += s.summaries === 0 ? 0 : s.sharedSummaries + batch * (s.summaries - s.sharedSummaries);
  }
  return {
    paramFlops: 2 * p.matmul * n * batch,
    attentionFlops: perKeyFlops * attended * batch,
    selectionFlops: perSummaryFlops * summaries * batch,
    paramBytes: p.matmul * bpe * n,
    kvReadBytes: kvPerToken * bpe * readKeys,
    kvWriteBytes: kvPerToken * bpe * n * batch,
    selectionBytes: summaryElems * bpe * readSummaries,
  };
}

/** Options of {@link prefillCost}. */
export interface PrefillCostOptions {
  /** Prompt tokens per sequence. */
  promptTokens: number;
  /** Independent prompts prefilled together. Default 1. */
  batch?: number;
  /** Bytes per element. Default 2. */
  bytesPerElement?: number;
}

/**
 * Cost of prefilling a prompt of L tokens: every block's matmuls on all L
 * tokens, the LM head on the last one only (serving needs one distribution),
 * causal attention Σ_{i=1..L} i = L(L+1)/2 query–key pairs per head and layer
 * (4·d FLOPs each), weights read once, K/V of L tokens written. KV reads inside
 * prefill are left to the tiled-attention I/O model (`lib/cost/io`): a fused
 * kernel keeps them on chip.
 *
 * @throws InvalidArgumentError on a non-positive or non-integer count
 */
export function prefillCost(shape: ModelShape, options: PrefillCostOptions): Cost {
  const { promptTokens: l, batch = 1, bytesPerElement: bpe = 2 } = options;
  requireArg("prefillCost", Number.isSafeInteger(l) && l >= 1 && Number.isSafeInteger(batch) && batch >= 1, "integer promptTokens >= 1 and batch >= 1", options);
  const p = parameterCount(shape);
  const blocks = p.matmul - p.embedding;
  return {
    paramFlops: batch * (2 * blocks * l + 2 * p.embedding),
    attentionFlops: batch * 4 * shape.headDim * shape.queryHeads * shape.layers * ((l * (l + 1)) / 2),
    selectionFlops: 0,
    paramBytes: p.matmul * bpe,
    kvReadBytes: 0,
    kvWriteBytes: batch * kvElementsPerToken(shape) * bpe * l,
    selectionBytes: 0,
  };
}
