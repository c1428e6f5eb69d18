/**
 * The `ttc` command: list and run reproductions.
 *
 *   ttc list
 *   ttc repro <id...> [--preset smoke|full] [--out DIR] [--backend NAME] [--seed N] [--quiet]
 *   ttc repro --all   [--preset ...]
 *   ttc sample --endpoint URL --model NAME --dataset FILE --n N --out dump.jsonl [...]   (sample.ts)
 *   ttc serve --checkpoint DIR [--port 8000] ...   (serve-command.ts)
 *   ttc train RECIPE.json [--minutes M] [--ship DIR]   (train-command.ts)
 *
 * Exit codes: 0 all claims hold, 1 a claim failed, 2 bad usage or input.
 */
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { selectBackend } from "../core/backend.ts";
import { TtcError } from "../core/errors.ts";
import { exportFigure } from "../plot/export.ts";
import { openExporter } from "../plot/figure-exporter.ts";
import { runReproduction, resolvePreset, type RunReproductionResult } from "../repro/run-reproduction.ts";
import { sampleCommand } from "./sample.ts";
import { serveCommand } from "./serve-command.ts";
import { trainCommand } from "./train-command.ts";
import type { Reproduction } from "../repro/types.ts";
import { getReproduction, reproductions } from "../../reproductions/index.ts";

const USAGE = `usage:
  ttc list                                   list reproductions, their worlds and presets
  ttc repro <id...> [options]                run reproductions and check their claims
  ttc repro --all [options]                  run every reproduction with its default preset
  ttc sample --endpoint URL --model NAME ...  collect a graded sample dump from a model server, resumably (ttc sample --help)
  ttc serve --checkpoint DIR [options]       serve a tiny policy over an OpenAI-compatible API (ttc serve --help)
  ttc train RECIPE.json [options]            train a tiny policy or reward model from its recipe, resumably (ttc train --help)

options:
  --preset NAME     preset to run (default: each reproduction's default; smoke | full)
  --out DIR         output folder (default out/<id>/<preset>; with --all or several ids, DIR/<id>/<preset>)
  --backend NAME    tfjs backend: tensorflow | wasm | cpu | webgpu (default: TTC_BACKEND, else the first of tensorflow, wasm, cpu that starts)
  --seed N          override the preset's seed
  --quiet           no progress lines
  --no-images       skip PNG/SVG rendering (figure.json and figure.html are still written)
`;

/** The reproductions a CLI invocation can see (tests pass their own). */
export interface Registry {
  reproductions: readonly Reproduction[];
  get(id: string): Reproduction;
}

const defaultRegistry: Registry = { reproductions, get: getReproduction };

/**
 * Run the CLI with `argv` (without `node script`).
 *
 * @param argv - arguments, e.g. `["repro", "saha24-attention-io", "--preset", "smoke"]`
 * @param registry - reproductions to offer (default: the project's registry)
 * @returns the process exit code: 0 ok, 1 a claim failed, 2 bad usage or input
 */
export async function main(argv: string[], registry: Registry = defaultRegistry): Promise<number> {
  if (argv[0] === "sample") return sampleCommand(argv.slice(1));
  if (argv[0] === "serve") return serveCommand(argv.slice(1));
  if (argv[0] === "train") return trainCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        all: { type: "boolean" },
        preset: { type: "string" },
        out: { type: "string" },
        backend: { type: "string" },
        seed: { type: "string" },
        quiet: { type: "boolean" },
        "no-images": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    process.stderr.write(`ttc: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...ids] = positionals;
  if (values.help || command === undefined || command === "help") {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  try {
    if (command === "list") return list(registry);
    if (command === "repro") return await repro(ids, values, registry);
    throw new TtcError(`ttc requires a command (list, repro), got "${command}"`);
  } catch (e) {
    if (e instanceof TtcError) {
      process.stderr.write(`ttc: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function list(registry: Registry): number {
  for (const r of registry.reproductions) {
    process.stdout.write(`${r.id}\n  ${r.title}\n  world: ${r.world}; presets: ${Object.keys(r.presets).join(", ")} (default ${r.defaultPreset})\n`);
  }
  return 0;
}

interface ReproFlags {
  all?: boolean;
  preset?: string;
  out?: string;
  backend?: string;
  seed?: string;
  quiet?: boolean;
  "no-images"?: boolean;
}

async function repro(ids: string[], flags: ReproFlags, registry: Registry): Promise<number> {
  const { reproductions } = registry;
  if (flags.all && ids.length > 0) throw new TtcError(`ttc repro requires either ids or --all, got both (${ids.join(", ")})`);
  if (!flags.all && ids.length === 0) throw new TtcError(`ttc repro requires a reproduction id or --all, got neither (known: ${reproductions.map((r) => r.id).join(", ")})`);
  const selected = flags.all ? [...reproductions] : ids.map((id) => registry.get(id));
  let seed: number | undefined;
  if (flags.seed !== undefined) {
    seed = Number(flags.seed);
    if (!Number.isSafeInteger(seed)) throw new TtcError(`ttc repro requires --seed to be an integer, got "${flags.seed}"`);
  }
  // Validate every preset before spending time on any run.
  for (const r of selected) resolvePreset(r, flags.preset ?? r.defaultPreset, seed);

  const backend = await selectBackend(flags.backend === undefined ? {} : { name: flags.backend });
  process.stdout.write(`backend: ${backend.name} (${backend.chosenBy}), tfjs ${backend.tfjsVersion}, ${backend.runtime}\n`);
  const exporter = flags["no-images"] ? undefined : await openExporter();
  const outcomes: RunReproductionResult[] = [];
  try {
    for (const r of selected) {
      const preset = flags.preset ?? r.defaultPreset;
      const nest = flags.all || selected.length > 1;
      const outDir = flags.out === undefined ? undefined : nest ? join(flags.out, r.id, preset) : flags.out;
      outcomes.push(
        await runReproduction(r, {
          preset,
          ...(seed === undefined ? {} : { seed }),
          ...(outDir === undefined ? {} : { outDir }),
          backend,
          quiet: Boolean(flags.quiet),
          writeFigure: exporter ? (fig, dir) => exporter.export(fig, dir) : (fig, dir) => exportFigure(fig, dir, { images: [] }),
        }),
      );
    }
  } finally {
    await exporter?.close();
  }
  const reportPath = join(flags.out ?? "out", "claims-report.md");
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, claimsMarkdown(outcomes));
  process.stdout.write(`\nclaims report: ${reportPath}\nsummary\n`);
  for (const o of outcomes) {
    const verdict = o.report.ok ? "ok" : "CLAIMS FAILED";
    process.stdout.write(
      `  ${o.id.padEnd(28)} ${o.preset.padEnd(6)} ${String(o.report.passed).padStart(2)} passed ${String(o.report.failed).padStart(2)} failed ${String(o.report.notHolding).padStart(2)} not holding ${String(o.report.skipped).padStart(2)} skipped  ${(o.wallMs / 1000).toFixed(1).padStart(6)} s  ${verdict}\n`,
    );
  }
  return outcomes.every((o) => o.report.ok) ? 0 : 1;
}

/** The claims of every run as one Markdown report (written next to the outputs). */
function claimsMarkdown(outcomes: RunReproductionResult[]): string {
  const lines = ["# Claims report", ""];
  for (const o of outcomes) {
    lines.push(`## ${o.id} (preset ${o.preset}) — ${o.report.passed} passed, ${o.report.failed} failed, ${o.report.notHolding} known not to hold, ${o.report.skipped} skipped`, "");
    lines.push(`Outputs: \`${o.outDir}\`; wall time ${(o.wallMs / 1000).toFixed(1)} s.`, "");
    lines.push("| verdict | claim | measured | source |", "| --- | --- | --- | --- |");
    for (const r of o.report.rows) {
      const cell = (t: string) => t.replaceAll("|", "\\|").replaceAll("\n", " ");
      lines.push(`| ${r.status} | ${cell(r.statement)} | ${cell(r.measured)} | ${cell(r.source)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
