/** Peak rates of one accelerator (or CPU), for roofline times and eFLOPs. */
export interface Hardware {
  /** Name, e.g. `"H100 SXM"`. */
  name: string;
  /** Dense peak of the precision the model runs in, FLOP/s. */
  peakFlopsPerS: number;
  /** Peak memory bandwidth, bytes/s. */
  memoryBytesPerS: number;
  /** Bytes per weight / KV element in that precision (bf16: 2, fp32: 4). */
  bytesPerElement: number;
  /** Where the numbers come from. */
  source: string;
}

/**
 * Kinetics' memory-to-compute exchange rate E = 562.5 FLOPs per byte: a B200's
 * FP8 dense peak (4,500 TFLOP/s) over its HBM bandwidth (8 TB/s). The paper
 * prices every byte of KV read as E FLOPs ("eFLOPs"), and reports "B200
 * seconds" as eFLOPs / 4.5e15.
 *
 * @see Sadhukhan et al. 2025 (Kinetics), §3; Infini-AI-Lab/Kinetics cost_model/best_of_N/cost_model_ntrial.py (E_flops = 562.5)
 */
export const KINETICS_E = 562.5;

/**
 * Hardware presets (per GPU, dense tensor-core peaks, without 2:4 sparsity).
 *
 * - `B200`: HGX B200 at 1,000 W — BF16 2,250 TFLOP/s dense (FP8 4,500), 8 TB/s HBM3e
 *   (NVIDIA figures as tabulated at glennklockwood.com/garden/processors/B200).
 * - `B200-fp8`: the same GPU at its FP8 dense peak: the point Kinetics' E = 4500 / 8 comes from.
 * - `H100`: H100 SXM5 — BF16 989.4 TFLOP/s dense (1,979 with sparsity; the datasheet's
 *   headline numbers are the sparse ones, "specifications 1/2 lower without sparsity"),
 *   3.35 TB/s HBM3 (NVIDIA H100 datasheet; glennklockwood.com/garden/processors/h100).
 */
export const HARDWARE: Readonly<Record<"B200" | "B200-fp8" | "H100", Hardware>> = Object.freeze({
  B200: {
    name: "B200 (HGX, bf16)",
    peakFlopsPerS: 2.25e15,
    memoryBytesPerS: 8e12,
    bytesPerElement: 2,
    source: "NVIDIA HGX B200 1,000 W: BF16 dense 2,250 TFLOP/s, HBM3e 8 TB/s",
  },
  "B200-fp8": {
    name: "B200 (HGX, fp8)",
    peakFlopsPerS: 4.5e15,
    memoryBytesPerS: 8e12,
    bytesPerElement: 1,
    source: "NVIDIA HGX B200 1,000 W: FP8 dense 4,500 TFLOP/s, HBM3e 8 TB/s (Kinetics' E = 4500/8)",
  },
  H100: {
    name: "H100 SXM (bf16)",
    peakFlopsPerS: 989.4e12,
    memoryBytesPerS: 3.35e12,
    bytesPerElement: 2,
    source: "NVIDIA H100 SXM5 datasheet: BF16 dense 989.4 TFLOP/s (1,979 sparse), HBM3 3.35 TB/s",
  },
});

/** FLOPs a byte of memory traffic is worth on `hw`: peak FLOP/s over bandwidth (the roofline ridge point). */
export function ridgePoint(hw: Hardware): number {
  return hw.peakFlopsPerS / hw.memoryBytesPerS;
}
