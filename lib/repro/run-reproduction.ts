/**
 * Run one reproduction end to end and write its artefacts (Node only: file IO).
 * `run` itself stays pure; this wrapper adds the preset lookup, progress
 * printing, timing, `results.json`, `meta.json`, the claims report and the figure.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BackendInfo } from "../core/backend.ts";
import { UnknownNameError } from "../core/errors.ts";
import type { Figure } from "../plot/figure.ts";
import { checkClaims, formatClaimsTable, type ClaimReport } from "./check-claims.ts";
import { progressPrinter } from "./progress.ts";
import type { ReproConfig, Reproduction } from "./types.ts";

/** Writes a figure's files into a folder; see `lib/plot/export.ts`. */
export type FigureWriter = (fig: Figure, dir: string) => Promise<{ files: string[]; notice?: string }>;

export interface RunReproductionOptions {
  /** Preset name; defaults to the reproduction's `defaultPreset`. */
  preset?: string;
  /** Override the preset's seed. */
  seed?: number;
  /** Output folder; defaults to `out/<id>/<preset>`. */
  outDir?: string;
  /** The backend the run used, recorded in `meta.json`. */
  backend?: BackendInfo;
  /** Writes the figure; when absent only `figure.json` is written. */
  writeFigure?: FigureWriter;
  /** Where progress and the claims table go (default: stderr for progress, stdout for the table). */
  log?: (line: string) => void;
  /** Suppress progress lines. */
  quiet?: boolean;
}

export interface RunReproductionResult {
  id: string;
  preset: string;
  outDir: string;
  results: unknown;
  report: ClaimReport;
  wallMs: number;
  files: string[];
}

/**
 * Resolve a preset name to its config, with a clear error for unknown names.
 *
 * @throws UnknownNameError naming the valid presets
 */
export function resolvePreset<C extends ReproConfig>(repro: Reproduction<C, unknown>, preset: string, seed?: number): C {
  const config = repro.presets[preset];
  if (!config) throw new UnknownNameError(`ttc repro ${repro.id}`, "preset", preset, Object.keys(repro.presets));
  return seed === undefined ? config : { ...config, seed };
}

/**
 * Run `repro` with a preset, write `results.json` (byte-identical for the same
 * seed), `meta.json` (commit, backend, runtime, config, wall time), `claims.json`
 * and the figure, and return the claims report.
 */
export async function runReproduction(repro: Reproduction, options: RunReproductionOptions = {}): Promise<RunReproductionResult> {
  const preset = options.preset ?? repro.defaultPreset;
  const config = resolvePreset(repro, preset, options.seed);
  const outDir = resolve(options.outDir ?? join("out", repro.id, preset));
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  mkdirSync(outDir, { recursive: true });

  const progress = options.quiet ? undefined : progressPrinter(`${repro.id}/${preset}`);
  const started = Date.now();
  const t0 = performance.now();
  const results = await repro.run(config, progress);
  const wallMs = performance.now() - t0;
  progress?.("done", 1);

  const report = checkClaims(repro.claims, results, preset);
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const path = join(outDir, name);
    writeFileSync(path, text);
    files.push(path);
  };
  write("results.json", `${JSON.stringify(results, null, 1)}\n`);
  write("claims.json", `${JSON.stringify(report, null, 1)}\n`);
  write(
    "meta.json",
    `${JSON.stringify(
      {
        id: repro.id,
        title: repro.title,
        preset,
        config,
        commit: gitCommit(),
        backend: options.backend ?? null,
        runtime: `node ${process.versions.node}`,
        platform: `${process.platform}-${process.arch}`,
        startedAt: new Date(started).toISOString(),
        wallMs: Math.round(wallMs),
        claims: { passed: report.passed, failed: report.failed, notHolding: report.notHolding, skipped: report.skipped },
      },
      null,
      1,
    )}\n`,
  );
  const fig = repro.figure(results);
  if (options.writeFigure) {
    const out = await options.writeFigure(fig, outDir);
    files.push(...out.files.filter((f) => !files.includes(f)));
    if (out.notice) log(`  note: ${out.notice}`);
  } else {
    write("figure.json", `${JSON.stringify(fig, null, 1)}\n`);
  }
  log(formatClaimsTable(report, `${repro.id}: ${repro.title}`));
  log(`  wrote ${outDir} (${(wallMs / 1000).toFixed(1)} s)`);
  return { id: repro.id, preset, outDir, results, report, wallMs, files };
}

/** The current git commit (with `-dirty` when the tree has changes), or `null` outside a git checkout. */
function gitCommit(): string | null {
  try {
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return null;
  }
}
