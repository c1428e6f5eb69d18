import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { requireArg } from "../core/errors.ts";
import type { Hardware } from "./hardware.ts";

/**
 * Memory bandwidth of the development machine when no bandwidth benchmark has
 * been run: STREAM triad on one core ≈ 21 GB/s (STACK.md, "Reference figures
 * for this machine").
 */
export const DEFAULT_CPU_BYTES_PER_S = 21e9;

/** The part of `bench/results/matmul-backends.json` this module reads. */
export interface MatmulBenchResults {
  date?: string;
  machine?: { cpu?: string; cores?: number };
  cases: Array<{ name: string; derived?: { gflops?: number } }>;
}

/**
 * "This machine" as a {@link Hardware}: the fastest wasm matMul rate the
 * `core/matmul-backends` benchmark measured (fp32, one thread — what our
 * kernels can reach, not the silicon's peak) and a memory bandwidth.
 *
 * @param bench - parsed `bench/results/matmul-backends.json`
 * @param memoryBytesPerS - bandwidth; default {@link DEFAULT_CPU_BYTES_PER_S}
 * @throws InvalidArgumentError when the results hold no wasm case with a GFLOP/s rate
 */
export function thisMachineHardware(bench: MatmulBenchResults, memoryBytesPerS = DEFAULT_CPU_BYTES_PER_S): Hardware {
  const rates = bench.cases.filter((c) => c.name.startsWith("wasm")).map((c) => c.derived?.gflops ?? NaN).filter(Number.isFinite);
  requireArg("thisMachineHardware", rates.length > 0, "a wasm matMul case with derived.gflops", bench.cases.map((c) => c.name));
  const gflops = Math.max(...rates);
  return {
    name: `this machine (${bench.machine?.cpu ?? "cpu"}, tfjs-wasm fp32)`,
    peakFlopsPerS: gflops * 1e9,
    memoryBytesPerS,
    bytesPerElement: 4,
    source: `bench/results/matmul-backends.json (${bench.date ?? "undated"}): best wasm matMul ${gflops.toFixed(1)} GFLOP/s; bandwidth ${(memoryBytesPerS / 1e9).toFixed(0)} GB/s`,
  };
}

/**
 * Read `bench/results/matmul-backends.json` under `root` (Node only) and build
 * {@link thisMachineHardware}; `undefined` when the benchmark has not been run.
 */
export function loadThisMachine(root = "."): Hardware | undefined {
  const path = join(root, "bench", "results", "matmul-backends.json");
  if (!existsSync(path)) return undefined;
  return thisMachineHardware(JSON.parse(readFileSync(path, "utf8")) as MatmulBenchResults);
}
