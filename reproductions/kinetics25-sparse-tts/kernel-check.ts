import * as tf from "@tensorflow/tfjs";
import { blockSparseDecode } from "../../lib/attention/block-sparse-decode.ts";
import { KvCache } from "../../lib/attention/kv-cache.ts";
import type { Rng } from "../../lib/core/rng.ts";
import { spanCounts } from "../../lib/cost/attention-span.ts";
import { decodeCost } from "../../lib/cost/decode-cost.ts";
import type { ModelShape } from "../../lib/cost/model-shape.ts";
import type { KernelCheckConfig } from "./config.ts";
import { CountingKvCache } from "./counting-kv-cache.ts";

/** How the kernel picks blocks: per KV group (G query heads together) or per query head. */
export type SelectPer = "kv-group" | "query-head";

/** One decode step of `blockSparseDecode` at one cache length, density and selection mode. */
export interface KernelReadPoint {
  cacheLength: number;
  density: number;
  selectPer: SelectPer;
  /** Blocks the kernel chose by score per selection head (its `topK`, the same for every sequence here). */
  topK: number;
  /** Tokens the cost model says one (sequence, KV head) attends: spanCounts(block-topk, k, local = sinks + window). */
  modelTokens: number;
  /** The kernel's own report: tokens kept per selection head (`selections[].tokens`), min and max over the batch. */
  reportedTokensMin: number;
  reportedTokensMax: number;
  /** Measured (read-counting cache): distinct K rows read per (sequence, KV head), min and max. */
  keyRowsMin: number;
  keyRowsMax: number;
  /** Whether every (sequence, KV head) read exactly the V rows whose K rows it read (same count). */
  valuesMatchKeys: boolean;
  /** Whether, per KV group, the distinct K rows read equal the kernel's reported kept tokens (kv-group mode only; null otherwise). */
  reportMatchesReads: boolean | null;
  /** Distinct K+V rows read over all sequences and KV heads / (B · H_kv · T): the fraction of the KV cache read. */
  measuredFraction: number;
  /** KV bytes read (fp32), measured (distinct rows × d × 4) and by `decodeCost` for the kernel's k, sinks and window. */
  measuredKvBytes: number;
  modelKvBytes: number;
  /** K and V element reads counted with repetition over distinct ones: > 1 when query heads of a group re-read rows. */
  rereadFactor: number;
  /** Distinct block-summary vectors read (Quest min/max: two per scored block) over `decodeCost`'s one per block. */
  summaryReadRatio: number;
}

/** A one-layer attention "model" for `decodeCost`: only the head layout matters for KV reads. */
function layerShape(c: KernelCheckConfig): ModelShape {
  return { name: "one attention layer", hiddenSize: c.queryHeads * c.headDim, layers: 1, queryHeads: c.queryHeads, kvHeads: c.kvHeads, headDim: c.headDim, intermediateSize: 1, vocabSize: 1, tieEmbeddings: false, qkNorm: false };
}

/** Fill a cache with `batch` sequences of `length` tokens of N(0, 1) keys and values. */
function randomCache(r: Rng, c: KernelCheckConfig, length: number): { cache: KvCache; seqs: number[] } {
  const cache = new KvCache({ kvHeads: c.kvHeads, headDim: c.headDim, blockSize: c.blockSize });
  const seqs = Array.from({ length: c.batch }, () => {
    const s = cache.createSequence();
    const n = length * c.kvHeads * c.headDim;
    cache.append(s, Float32Array.from({ length: n }, () => r.normal()), Float32Array.from({ length: n }, () => r.normal()), length);
    return s;
  });
  return { cache, seqs };
}

/**
 * Run one decode step of `blockSparseDecode` per (cache length, density,
 * selection mode) on a read-counting view of a random cache, and compare the
 * KV it actually touched with the kernel's own selection report and with the
 * cost model's count for the same k, sinks and window.
 */
export function kernelReadCheck(c: KernelCheckConfig, r: Rng, onPoint?: (p: KernelReadPoint) => void): KernelReadPoint[] {
  const points: KernelReadPoint[] = [];
  for (const length of c.cacheLengths) {
    const lr = r.fork(`T${length}`);
    const { cache, seqs } = randomCache(lr.fork("kv"), c, length);
    const qr = lr.fork("q");
    const q = tf.tensor3d(Float32Array.from({ length: c.batch * c.queryHeads * c.headDim }, () => qr.normal()), [c.batch, c.queryHeads, c.headDim]);
    for (const density of c.densities) {
      for (const selectPer of ["kv-group", "query-head"] as const) {
        const counting = new CountingKvCache(cache);
        const res = blockSparseDecode(q, counting, seqs, { density, selectPer, sinks: c.sinks, localWindow: c.localWindow });
        res.output.dispose();
        const k = res.topK[0] as number;
        const modelTokens = spanCounts({ kind: "block-topk", blockSize: c.blockSize, topK: k, local: c.sinks + c.localWindow }, length).attended;
        const model = decodeCost(layerShape(c), { contextTokens: length - 1, newTokens: 1, batch: c.batch, span: { kind: "block-topk", blockSize: c.blockSize, topK: k, local: c.sinks + c.localWindow }, bytesPerElement: 4 });
        const reported = res.selections.map((s) => s.tokens);
        const keyRows: number[] = [];
        let [distinct, reread, summaries] = [0, 0, 0];
        let [valuesMatchKeys, reportMatches] = [true, true];
        seqs.forEach((seq, b) => {
          const reads = counting.reads(seq);
          reads.keyRows.forEach((n, h) => {
            keyRows.push(n);
            valuesMatchKeys &&= reads.valueRows[h] === n;
            if (selectPer === "kv-group") reportMatches &&= reported[b * res.selectionHeads + h] === n;
          });
          distinct += reads.keyRows.reduce((a, x) => a + x, 0) + reads.valueRows.reduce((a, x) => a + x, 0);
          reread += reads.kvElementReads;
          summaries += reads.summaryVectors.reduce((a, x) => a + x, 0);
        });
        const point: KernelReadPoint = {
          cacheLength: length,
          density,
          selectPer,
          topK: k,
          modelTokens,
          reportedTokensMin: Math.min(...reported),
          reportedTokensMax: Math.max(...reported),
          keyRowsMin: Math.min(...keyRows),
          keyRowsMax: Math.max(...keyRows),
          valuesMatchKeys,
          reportMatchesReads: selectPer === "kv-group" ? reportMatches : null,
          measuredFraction: distinct / (2 * c.batch * c.kvHeads * length),
          measuredKvBytes: distinct * c.headDim * 4,
          modelKvBytes: model.kvReadBytes,
          rereadFactor: reread / (distinct * c.headDim),
          summaryReadRatio: (summaries * c.headDim * 4) / model.selectionBytes,
        };
        points.push(point);
        onPoint?.(point);
      }
    }
    q.dispose();
  }
  return points;
}
