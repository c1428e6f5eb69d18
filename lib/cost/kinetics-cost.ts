import { requireArg } from "../core/errors.ts";
import { KINETICS_E } from "./hardware.ts";
import { parameterCount, type ModelShape } from "./model-shape.ts";

/** Inputs of Kinetics' closed-form cost model (names as in the paper's code). */
export interface KineticsInputs {
  /** Parameters P multiplied per token. */
  params: number;
  /** Query heads H_q. */
  queryHeads: number;
  /** KV heads H_kv. */
  kvHeads: number;
  /** head_dim × layers (Kinetics folds the layers into the head width). */
  hd: number;
  /** Prompt tokens L_in. */
  lIn: number;
  /** Generated tokens per trial L_out. */
  lOut: number;
  /** Trials N. Default 1. */
  trials?: number;
  /** FLOPs per byte. Default {@link KINETICS_E}. */
  e?: number;
}

/** Kinetics' cost of one workload: compute FLOPs, KV bytes read, and eFLOPs = compute + E · bytes. */
export interface KineticsCost {
  computeFlops: number;
  memoryBytes: number;
  eflops: number;
}

/** Kinetics inputs for a real shape: P = parameterCount(shape).matmul unless given, hd = head_dim · layers. */
export function kineticsInputs(shape: ModelShape, workload: { lIn: number; lOut: number; trials?: number; params?: number; e?: number }): KineticsInputs {
  return {
    params: workload.params ?? parameterCount(shape).matmul,
    queryHeads: shape.queryHeads,
    kvHeads: shape.kvHeads,
    hd: shape.headDim * shape.layers,
    lIn: workload.lIn,
    lOut: workload.lOut,
    ...(workload.trials === undefined ? {} : { trials: workload.trials }),
    ...(workload.e === undefined ? {} : { e: workload.e }),
  };
}

function check(fn: string, x: KineticsInputs): { n: number; e: number } {
  const { trials: n = 1, e = KINETICS_E } = x;
  const ok = [x.params, x.queryHeads, x.kvHeads, x.hd, x.lOut, n].every((v) => Number.isFinite(v) && v > 0) && x.lIn >= 0 && e >= 0;
  requireArg(fn, ok, "positive params, heads, hd, lOut, trials and lIn, e >= 0", x);
  return { n, e };
}

/**
 * Kinetics' dense cost (continuum form, prefix read once for all N trials, bf16):
 * compute = N·[2·P·L_out + 2·(2·L_in + L_out)·L_out·H_q·hd],
 * memory bytes = 2·(2·L_in + N·L_out)·L_out·H_kv·hd.
 * Derivation: step t reads K and V (2 elements × 2 bytes) of L_in + t tokens per
 * KV head and layer; ∫_0^{L_out} (L_in + t) dt = (2·L_in + L_out)·L_out / 2.
 *
 * @see Infini-AI-Lab/Kinetics cost_model/utils.py dense_cost; FORMULAS.md "Kinetics eFLOPs"
 */
export function kineticsDenseCost(x: KineticsInputs): KineticsCost {
  const { n, e } = check("kineticsDenseCost", x);
  const computeFlops = n * (2 * x.params * x.lOut + 2 * (2 * x.lIn + x.lOut) * x.lOut * x.queryHeads * x.hd);
  const memoryBytes = 2 * (2 * x.lIn + n * x.lOut) * x.lOut * x.kvHeads * x.hd;
  return { computeFlops, memoryBytes, eflops: computeFlops + e * memoryBytes };
}

/**
 * Kinetics' block top-k cost with budget B = local + blockSize·topK: attended
 * tokens S = B·L_out − ½·max(0, B − L_in)² per trial (the exact continuum count;
 * the public code's plain top-k variant adds the square instead), plus scoring
 * one summary vector per block:
 * compute = N·[2·P·L_out + 4·S·H_q·hd + ⌊(2·L_in + L_out)/block⌋·L_out·H_q·hd],
 * memory bytes = 4·S·H_kv·hd·N + ⌊(2·L_in + N·L_out)/block⌋·L_out·H_kv·hd.
 *
 * @see Infini-AI-Lab/Kinetics cost_model/utils.py block_sparse_cost; FORMULAS.md "Kinetics eFLOPs"
 */
export function kineticsBlockSparseCost(x: KineticsInputs & { blockSize: number; topK: number; local?: number }): KineticsCost {
  const { n, e } = check("kineticsBlockSparseCost", x);
  const { blockSize, topK, local = 0 } = x;
  requireArg("kineticsBlockSparseCost", blockSize >= 1 && topK >= 0 && local >= 0, "blockSize >= 1, topK >= 0, local >= 0", { blockSize, topK, local });
  const budget = local + blockSize * topK;
  const s = budget * x.lOut - 0.5 * Math.max(0, budget - x.lIn) ** 2;
  const searchFlops = Math.floor((2 * x.lIn + x.lOut) / blockSize) * x.lOut * x.queryHeads * x.hd;
  const computeFlops = n * (2 * x.params * x.lOut + 4 * s * x.queryHeads * x.hd + searchFlops);
  const memoryBytes = 4 * s * x.kvHeads * x.hd * n + Math.floor((2 * x.lIn + n * x.lOut) / blockSize) * x.lOut * x.kvHeads * x.hd;
  return { computeFlops, memoryBytes, eflops: computeFlops + e * memoryBytes };
}
