import { describe, expect, it } from "vitest";
import { HARDWARE, KINETICS_E, ridgePoint } from "./hardware.ts";
import { loadThisMachine, thisMachineHardware } from "./this-machine.ts";

describe("hardware presets", () => {
  it("Kinetics' E is the B200's FP8 ridge point, 4500 TFLOP/s / 8 TB/s", () => {
    expect(ridgePoint(HARDWARE["B200-fp8"])).toBe(KINETICS_E);
  });

  it("H100 SXM bf16 ridge point ≈ 295 FLOPs/byte (989.4 TFLOP/s / 3.35 TB/s)", () => {
    expect(ridgePoint(HARDWARE.H100)).toBeCloseTo(295.3, 1);
  });
});

describe("thisMachineHardware", () => {
  it("takes the best wasm matMul rate from the benchmark results", () => {
    const hw = thisMachineHardware({
      date: "2026-11-22",
      cases: [
        { name: "cpu matMul 512x512", derived: { gflops: 0.9 } },
        { name: "wasm matMul 256x256", derived: { gflops: 36.3 } },
        { name: "wasm matMul 512x512", derived: { gflops: 29 } },
      ],
    }, 20e9);
    expect(hw.peakFlopsPerS).toBeCloseTo(36.3e9, -6);
    expect(hw.memoryBytesPerS).toBe(20e9);
    expect(hw.bytesPerElement).toBe(4);
  });

  it("refuses results without a wasm rate", () => {
    expect(() => thisMachineHardware({ cases: [{ name: "cpu matMul" }] })).toThrow("thisMachineHardware requires a wasm matMul case with derived.gflops");
  });

  it("reads bench/results when present (the repository ships one)", () => {
    const hw = loadThisMachine(new URL("../..", import.meta.url).pathname);
    expect(hw?.peakFlopsPerS).toBeGreaterThan(1e9);
    expect(loadThisMachine("/nonexistent")).toBeUndefined();
  });
});
