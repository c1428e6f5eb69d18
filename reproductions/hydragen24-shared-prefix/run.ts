/**
 * Reproduction of Juravsky et al. (2024), "Hydragen: High-Throughput LLM
 * Inference with Shared Prefixes": decode attention throughput against batch
 * size and shared-prefix length, per-sequence attention (every sequence reads
 * its own copy of the prefix) against Hydragen's shared-prefix decomposition
 * (the batch's queries meet the prefix in one matrix–matrix product per head),
 * and the exactness of the decomposition. Timed on this machine's tfjs backend.
 */
import * as tf from "@tensorflow/tfjs";
import { rng } from "../../lib/core/rng.ts";
import { rooflineSeconds, type Cost } from "../../lib/cost/cost.ts";
import { decodeCost } from "../../lib/cost/decode-cost.ts";
import type { ModelShape } from "../../lib/cost/model-shape.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import type { Figure } from "../../lib/plot/figure.ts";
import type { Progress } from "../../lib/repro/types.ts";
import type { HydragenConfig } from "./config.ts";
import { makeInputs, naiveDecode, referenceDecode, sharedDecode, type DecodeInputs } from "./decode-paths.ts";

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { HydragenConfig } from "./config.ts";

/** Median, min and max wall time of one path, milliseconds. */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** One (batch, prefix) configuration. */
export interface HydragenPoint {
  batch: number;
  prefix: number;
  /** max |output − dense reference| over B·H_q·d entries. */
  naiveMaxAbsError: number;
  sharedMaxAbsError: number;
  /** KV bytes one decode step reads (fp32, cost model): every sequence its own prefix, or the prefix once. */
  naiveKvBytes: number;
  sharedKvBytes: number;
  /**
   * Ideal speedup on the configured roofline: max(FLOPs/peak, naive bytes/bandwidth) over
   * max(FLOPs/peak, shared bytes/bandwidth) — both paths do the same FLOPs.
   */
  rooflineSpeedup: number;
  /** Wall times (null when the preset does not time). */
  naive: Timing | null;
  shared: Timing | null;
  /** naive median / shared median (null when untimed). */
  speedup: number | null;
}

export interface HydragenResults {
  /** tfjs backend the kernels ran on. */
  backend: string;
  queryHeads: number;
  kvHeads: number;
  headDim: number;
  suffixTokens: number;
  repetitions: number;
  timed: boolean;
  points: HydragenPoint[];
  seed: number;
}

/** The attention part of a one-step cost: KV reads and attention FLOPs (no weights, no writes). */
function attentionOnly(c: Cost): Cost {
  return { ...c, paramFlops: 0, paramBytes: 0, kvWriteBytes: 0 };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] as number) - (y[i] as number)));
  return m;
}

function summarise(ms: number[]): Timing {
  const s = [...ms].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const medianMs = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { medianMs, minMs: s[0] as number, maxMs: s[s.length - 1] as number };
}

/** Time `fn` once: run it, force the result to host memory, dispose it. */
function timeOnce(fn: (x: DecodeInputs) => tf.Tensor, x: DecodeInputs): number {
  const t0 = performance.now();
  const out = fn(x);
  out.dataSync();
  const ms = performance.now() - t0;
  out.dispose();
  return ms;
}

/**
 * Run the sweep. For each (B, P): draw inputs from the seeded stream, check
 * both paths against dense attention, then (when timing) run `warmup` calls of
 * each and `repetitions` interleaved timed calls, recording medians.
 */
export function run(config: HydragenConfig, progress?: Progress): HydragenResults {
  const { queryHeads: hq, kvHeads: hkv, headDim: d, suffixTokens: s } = config;
  const root = rng(config.seed);
  const layer: ModelShape = { name: "one attention layer", hiddenSize: hq * d, layers: 1, queryHeads: hq, kvHeads: hkv, headDim: d, intermediateSize: 1, vocabSize: 1, tieEmbeddings: false, qkNorm: false };
  const total = config.batches.length * config.prefixLengths.length;
  const points: HydragenPoint[] = [];
  for (const prefix of config.prefixLengths) {
    for (const batch of config.batches) {
      const x = makeInputs(root.fork(`B${batch}-P${prefix}`), batch, prefix, s, hq, hkv, d);
      const ref = referenceDecode(x);
      const naiveOut = naiveDecode(x);
      const sharedOut = sharedDecode(x);
      const step = { contextTokens: prefix + s - 1, newTokens: 1, batch, bytesPerElement: 4 };
      const own = decodeCost(layer, step);
      const shared = decodeCost(layer, { ...step, sharedPrefixTokens: prefix });
      const hw = { name: "roofline", bytesPerElement: 4, ...config.roofline };
      const point: HydragenPoint = {
        batch,
        prefix,
        naiveMaxAbsError: maxAbsDiff(naiveOut, ref),
        sharedMaxAbsError: maxAbsDiff(sharedOut, ref),
        naiveKvBytes: own.kvReadBytes,
        sharedKvBytes: shared.kvReadBytes,
        rooflineSpeedup: rooflineSeconds(attentionOnly(own), hw) / rooflineSeconds(attentionOnly(shared), hw),
        naive: null,
        shared: null,
        speedup: null,
      };
      tf.dispose([ref, naiveOut, sharedOut]);
      if (config.measureTime) {
        for (let i = 0; i < config.warmup; i++) [timeOnce(naiveDecode, x), timeOnce(sharedDecode, x)];
        const naiveMs: number[] = [];
        const sharedMs: number[] = [];
        for (let i = 0; i < config.repetitions; i++) {
          naiveMs.push(timeOnce(naiveDecode, x));
          sharedMs.push(timeOnce(sharedDecode, x));
        }
        point.naive = summarise(naiveMs);
        point.shared = summarise(sharedMs);
        point.speedup = point.naive.medianMs / point.shared.medianMs;
      }
      x.dispose();
      points.push(point);
      const measured = point.speedup === null ? "" : ` speedup ${point.speedup.toFixed(2)}×`;
      progress?.(`B=${batch} P=${prefix}${measured} (roofline ${point.rooflineSpeedup.toFixed(2)}×)`, points.length / total);
    }
  }
  return {
    backend: tf.getBackend(),
    queryHeads: hq,
    kvHeads: hkv,
    headDim: d,
    suffixTokens: s,
    repetitions: config.repetitions,
    timed: config.measureTime,
    points,
    seed: config.seed,
  };
}

/**
 * Decode throughput (sequences per second through one attention layer) against
 * batch size, log–log, one solid line per prefix length for Hydragen and one
 * dashed for per-sequence attention. Untimed results plot KV bytes read per
 * step (cost model) instead.
 */
export function figure(results: HydragenResults): Figure {
  const prefixes = [...new Set(results.points.map((p) => p.prefix))];
  const series: LineSeries[] = [];
  for (const [name, dash, pick] of [
    ["shared prefix (Hydragen)", "solid", (p: HydragenPoint) => (results.timed ? p.batch / ((p.shared as Timing).medianMs / 1000) : p.sharedKvBytes)],
    ["per-sequence", "dash", (p: HydragenPoint) => (results.timed ? p.batch / ((p.naive as Timing).medianMs / 1000) : p.naiveKvBytes)],
  ] as const) {
    for (const prefix of prefixes) {
      const pts = results.points.filter((p) => p.prefix === prefix);
      series.push({ name: `${name}, P = ${prefix}`, x: pts.map((p) => p.batch), y: pts.map(pick), dash, mode: "lines+markers" });
    }
  }
  const shape = `H_q ${results.queryHeads}, H_kv ${results.kvHeads}, d ${results.headDim}, suffix ${results.suffixTokens}`;
  return lineFigure({
    title: results.timed
      ? `Decode attention throughput vs batch (${shape}; ${results.backend}, median of ${results.repetitions})`
      : `KV bytes read per decode step vs batch (${shape}; cost model, untimed preset)`,
    xTitle: "batch size B (sequences sharing the prefix)",
    yTitle: results.timed ? "sequences decoded per second (one layer)" : "KV bytes read per step",
    logX: true,
    logY: true,
    series,
  });
}
