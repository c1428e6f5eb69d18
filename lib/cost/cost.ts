import { requireArg } from "../core/errors.ts";
import type { Hardware } from "./hardware.ts";
import { KINETICS_E } from "./hardware.ts";

/**
 * What a piece of inference costs, split by where the work goes. FLOPs count a
 * multiply-add as 2; bytes are memory traffic (weights and KV cache; activations
 * are ignored, as in Kinetics). All fields are totals over the whole workload.
 */
export interface Cost {
  /** Weight matmuls: 2 × matmul parameters per token processed. */
  paramFlops: number;
  /** Attention over the KV cache: 4 · d FLOPs per (query head, key, layer) — q·k and p·v. */
  attentionFlops: number;
  /** Block selection of sparse attention: 2 · d per (query head, block summary, layer). */
  selectionFlops: number;
  /** Weight bytes read (once per forward pass over a batch). */
  paramBytes: number;
  /** KV-cache bytes read by attention. */
  kvReadBytes: number;
  /** KV-cache bytes written (K and V of every new token). */
  kvWriteBytes: number;
  /** Block-summary bytes read by block selection. */
  selectionBytes: number;
}

/** A cost of zero. */
export function zeroCost(): Cost {
  return { paramFlops: 0, attentionFlops: 0, selectionFlops: 0, paramBytes: 0, kvReadBytes: 0, kvWriteBytes: 0, selectionBytes: 0 };
}

/** Field-wise sum of costs. */
export function addCosts(...costs: Cost[]): Cost {
  const out = zeroCost();
  for (const c of costs) for (const k of Object.keys(out) as (keyof Cost)[]) out[k] += c[k];
  return out;
}

/** Every field of `c` times `factor` (e.g. N independent trials). */
export function scaleCost(c: Cost, factor: number): Cost {
  requireArg("scaleCost", Number.isFinite(factor) && factor >= 0, "a finite factor >= 0", factor);
  const out = zeroCost();
  for (const k of Object.keys(out) as (keyof Cost)[]) out[k] = c[k] * factor;
  return out;
}

/** Total FLOPs: parameters + attention + selection. */
export function totalFlops(c: Cost): number {
  return c.paramFlops + c.attentionFlops + c.selectionFlops;
}

/** Total bytes moved: weights + KV reads and writes + block summaries. */
export function totalBytes(c: Cost): number {
  return c.paramBytes + c.kvReadBytes + c.kvWriteBytes + c.selectionBytes;
}

/**
 * Kinetics eFLOPs: compute FLOPs plus E FLOPs for every byte of KV cache (and
 * block summary) read, `FLOPs + E · (kvReadBytes + selectionBytes)`. As in the
 * paper's cost model, weight reads (amortised over a large batch) and KV writes
 * are not charged.
 *
 * @param e - FLOPs per byte; default {@link KINETICS_E} = 562.5 (B200)
 * @see Sadhukhan et al. 2025 (Kinetics), eq. for eFLOPs; FORMULAS.md "Kinetics eFLOPs"
 */
export function kineticsEflops(c: Cost, e = KINETICS_E): number {
  return totalFlops(c) + e * (c.kvReadBytes + c.selectionBytes);
}

/**
 * Roofline time on `hw`: the larger of compute time and memory time,
 * `max(FLOPs / peak, bytes / bandwidth)` — a lower bound a perfect kernel reaches.
 */
export function rooflineSeconds(c: Cost, hw: Hardware): number {
  return Math.max(totalFlops(c) / hw.peakFlopsPerS, totalBytes(c) / hw.memoryBytesPerS);
}
