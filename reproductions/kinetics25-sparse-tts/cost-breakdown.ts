import { kineticsEflops } from "../../lib/cost/cost.ts";
import { kineticsBlockSparseCost, kineticsDenseCost, kineticsInputs } from "../../lib/cost/kinetics-cost.ts";
import { modelShape } from "../../lib/cost/model-shapes.ts";
import { bestOfNCost } from "../../lib/cost/test-time-cost.ts";
import type { SparseSetting } from "./config.ts";

/** Kinetics' cost of one workload (one model, L_out tokens per trial, N trials), split four ways. */
export interface CostPoint {
  model: string;
  /** Parameters P a token multiplies by (`parameterCount(shape).matmul`). */
  params: number;
  lOut: number;
  trials: number;
  /** N · 2 · P · L_out. */
  paramFlops: number;
  /** Attention compute: q·k and p·v over the KV cache (Kinetics' compute minus the parameter FLOPs). */
  attentionFlops: number;
  /** E × KV bytes read: the memory term of eFLOPs. */
  memoryEflops: number;
  /** Compute FLOPs, parameters + attention: what FLOPs-only accounting charges. */
  flops: number;
  /** flops + memoryEflops. */
  eflops: number;
  /** (attentionFlops + memoryEflops) / eflops: attention's share of the real cost. */
  attentionShare: number;
  /** memoryEflops / eflops. */
  memoryShare: number;
  /** attentionFlops / flops: attention's share in a FLOPs-only view. */
  attentionFlopsShare: number;
  /** eflops / flops: how much FLOPs-only accounting undercounts. */
  eflopsPerFlop: number;
  /** eFLOPs counted step by step (`bestOfNCost` without prefill, `kineticsEflops`), relative to the closed form − 1. */
  exactVsClosed: number;
  /** Block top-k at the configured budget, Kinetics' closed form. */
  sparse: { flops: number; memoryEflops: number; eflops: number };
  /** Dense eFLOPs over block top-k eFLOPs. */
  denseOverSparse: number;
}

/** The shared inputs of every point of a sweep. */
export interface SweepInputs {
  promptTokens: number;
  e: number;
  sparse: SparseSetting;
}

/**
 * Price one workload with Kinetics' closed forms (dense and block top-k) and,
 * as a cross-check, with the step-by-step count of `lib/cost`.
 */
export function costPoint(model: string, lOut: number, trials: number, x: SweepInputs): CostPoint {
  const shape = modelShape(model);
  const inputs = kineticsInputs(shape, { lIn: x.promptTokens, lOut, trials, e: x.e });
  const dense = kineticsDenseCost(inputs);
  const sparse = kineticsBlockSparseCost({ ...inputs, ...x.sparse });
  const paramFlops = trials * 2 * inputs.params * lOut;
  const memoryEflops = x.e * dense.memoryBytes;
  const exact = kineticsEflops(bestOfNCost(shape, { promptTokens: x.promptTokens, generationTokens: lOut, trials, includePrefill: false }), x.e);
  return {
    model,
    params: inputs.params,
    lOut,
    trials,
    paramFlops,
    attentionFlops: dense.computeFlops - paramFlops,
    memoryEflops,
    flops: dense.computeFlops,
    eflops: dense.eflops,
    attentionShare: (dense.eflops - paramFlops) / dense.eflops,
    memoryShare: memoryEflops / dense.eflops,
    attentionFlopsShare: (dense.computeFlops - paramFlops) / dense.computeFlops,
    eflopsPerFlop: dense.eflops / dense.computeFlops,
    exactVsClosed: exact / dense.eflops - 1,
    sparse: { flops: sparse.computeFlops, memoryEflops: x.e * sparse.memoryBytes, eflops: sparse.eflops },
    denseOverSparse: dense.eflops / sparse.eflops,
  };
}

/** A smaller model run FLOPs-matched against a reference: as many trials as make its FLOPs equal. */
export interface FlopsMatched {
  model: string;
  /** Trials (fractional: costs are linear in N) whose FLOPs equal the reference's one trial. */
  trials: number;
  /** Its eFLOPs over the reference's eFLOPs at equal FLOPs. */
  eflopsOverReference: number;
}

/**
 * Best-of-N FLOPs-matched against `reference` with one trial at `lOut`: for each
 * model, N* = FLOPs(reference, 1) / FLOPs(model, 1) trials (Kinetics' compute is
 * linear in N), and the eFLOPs that N* trials really cost relative to the reference.
 */
export function flopsMatched(models: readonly string[], reference: string, lOut: number, x: SweepInputs): FlopsMatched[] {
  const ref = costPoint(reference, lOut, 1, x);
  return models.map((model) => {
    const one = kineticsDenseCost(kineticsInputs(modelShape(model), { lIn: x.promptTokens, lOut, e: x.e }));
    const trials = ref.flops / one.computeFlops;
    const matched = kineticsDenseCost(kineticsInputs(modelShape(model), { lIn: x.promptTokens, lOut, trials, e: x.e }));
    return { model, trials, eflopsOverReference: matched.eflops / ref.eflops };
  });
}
