/**
 * A tiny benchmark harness: run a case several times, report the median and
 * the spread, and write results JSON with machine info. Benchmarks never live
 * in tests; compare cases only by ratios measured in the same run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

export interface CaseResult {
  name: string;
  /** Median wall time of one repetition, milliseconds. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  repetitions: number;
  /** Extra derived numbers (GFLOP/s, bytes/s, ...). */
  derived: Record<string, number>;
}

/** Time `fn` `repetitions` times after `warmup` untimed calls; `fn` may be async. */
export async function timeCase(
  name: string,
  fn: () => unknown,
  options: { repetitions?: number; warmup?: number; derive?: (medianMs: number) => Record<string, number> } = {},
): Promise<CaseResult> {
  const { results } = await timeInterleaved([{ name, fn, ...(options.derive ? { derive: options.derive } : {}) }], { repetitions: options.repetitions ?? 9, warmup: options.warmup ?? 2 });
  return results[0] as CaseResult;
}

/**
 * Time several cases in interleaved rounds (each round runs every case once, in
 * order), so that a machine whose speed drifts during the run slows all of them
 * alike. Returns one CaseResult per case and, per round, each case's time
 * (`rounds[r][c]`), for paired ratios (see {@link medianRatio}).
 */
export async function timeInterleaved(
  cases: { name: string; fn: () => unknown; derive?: (medianMs: number) => Record<string, number> }[],
  options: { repetitions?: number; warmup?: number } = {},
): Promise<{ results: CaseResult[]; rounds: number[][] }> {
  const reps = options.repetitions ?? 9;
  for (let i = 0; i < (options.warmup ?? 1); i++) for (const c of cases) await c.fn();
  const rounds: number[][] = [];
  for (let i = 0; i < reps; i++) {
    const round: number[] = [];
    for (const c of cases) {
      const t0 = performance.now();
      await c.fn();
      round.push(performance.now() - t0);
    }
    rounds.push(round);
  }
  const results = cases.map((c, ci) => {
    const times = rounds.map((r) => r[ci] as number).sort((a, b) => a - b);
    const medianMs = times[Math.floor(times.length / 2)] as number;
    return { name: c.name, medianMs, minMs: times[0] as number, maxMs: times[times.length - 1] as number, repetitions: reps, derived: c.derive?.(medianMs) ?? {} };
  });
  return { results, rounds };
}

/** Median over rounds of rounds[r][a] / rounds[r][b]: a paired ratio of two interleaved cases. */
export function medianRatio(rounds: readonly (readonly number[])[], a: number, b: number): number {
  const ratios = rounds.map((r) => (r[a] as number) / (r[b] as number)).sort((x, y) => x - y);
  return ratios[Math.floor(ratios.length / 2)] as number;
}

/** Machine facts recorded with every result. */
export function machineInfo(): Record<string, string | number> {
  const cpu = cpus()[0];
  return { cpu: cpu?.model ?? "unknown", cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.versions.node, platform: `${process.platform}-${process.arch}` };
}

/** Write `bench/results/<name>.json` and print a table. */
export function report(name: string, cases: CaseResult[], extra: Record<string, unknown> = {}): void {
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const out = { benchmark: name, date: new Date().toISOString(), machine: machineInfo(), ...extra, cases };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`\n${name}`);
  for (const c of cases) {
    const derived = Object.entries(c.derived).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ");
    console.log(`  ${c.name.padEnd(34)} median ${c.medianMs.toFixed(2).padStart(9)} ms  (min ${c.minMs.toFixed(2)}, max ${c.maxMs.toFixed(2)}, n=${c.repetitions})  ${derived}`);
  }
}
