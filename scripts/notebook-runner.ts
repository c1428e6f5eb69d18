/**
 * The I/O half of the notebook tooling: write the kernel spec, find Jupyter,
 * build `dist/`, list notebooks, and execute one notebook headless with
 * nbconvert, reporting the failing cell and its real error text.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cellErrorText, parseNbconvertFailure } from "./notebook-failure.ts";
import {
  cellSource,
  executedPath,
  jupyterPathEnv,
  kernelSpecLocation,
  KERNEL_NAME,
  parseNotebook,
  type Notebook,
} from "./notebook-tools.ts";

/** Absolute path of this checkout (the folder above `scripts/`). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What a finished child process left behind. `code` is null when it was killed or could not start. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started at all (e.g. ENOENT). */
  spawnError?: string;
}

/** Run a command to completion, capturing its output. Never throws. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", (e) => resolve({ code: null, stdout, stderr, spawnError: e.message }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment for Jupyter commands: the current one with the project's folder first on `JUPYTER_PATH`. */
export function jupyterEnv(repoRoot = REPO_ROOT): NodeJS.ProcessEnv {
  const { jupyterPath } = kernelSpecLocation(repoRoot);
  return { ...process.env, JUPYTER_PATH: jupyterPathEnv(jupyterPath, process.env["JUPYTER_PATH"]) };
}

/**
 * Write `<repo>/.jupyter/kernels/tslab/kernel.json` for this checkout. Idempotent:
 * the file is rewritten only when its contents differ.
 *
 * @returns the path written and whether it changed
 * @throws Error when this checkout has no `node_modules/.bin/tslab` (run `npm install`)
 */
export function writeKernelSpec(repoRoot = REPO_ROOT): { path: string; changed: boolean } {
  const { kernelJsonPath, spec } = kernelSpecLocation(repoRoot);
  const tslab = spec.argv[0] ?? "";
  if (!existsSync(tslab)) throw new Error(`the tslab kernel requires ${tslab} to exist, got none (run npm install)`);
  const text = `${JSON.stringify(spec, null, 1)}\n`;
  const changed = !existsSync(kernelJsonPath) || readFileSync(kernelJsonPath, "utf8") !== text;
  if (changed) {
    mkdirSync(path.dirname(kernelJsonPath), { recursive: true });
    writeFileSync(kernelJsonPath, text);
  }
  return { path: kernelJsonPath, changed };
}

/** Whether `jupyter nbconvert` runs here (Debian: jupyter-nbconvert, python3-nbclient, jupyter-client). */
export async function hasNbconvert(): Promise<boolean> {
  const r = await runCommand("jupyter", ["nbconvert", "--version"]);
  return r.code === 0;
}

/** The interactive Jupyter front end installed here, preferring JupyterLab; null when neither is. */
export async function findJupyterUi(): Promise<"lab" | "notebook" | null> {
  for (const ui of ["lab", "notebook"] as const) {
    if ((await runCommand("jupyter", [ui, "--version"])).code === 0) return ui;
  }
  return null;
}

/** Build `dist/` (notebooks import the built package, not `lib/` sources). */
export async function buildDist(repoRoot = REPO_ROOT): Promise<CommandResult> {
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  return runCommand(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: repoRoot });
}

/** Every `.ipynb` under a folder (or the file itself), sorted, skipping `.ipynb_checkpoints` and hidden folders. */
export function listNotebooks(target: string): string[] {
  if (!existsSync(target)) return [];
  if (!statSync(target).isDirectory()) return [path.resolve(target)];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith(".ipynb")) found.push(path.resolve(full));
    }
  };
  walk(target);
  return found.sort();
}

/** Options of {@link executeNotebook}. */
export interface ExecuteOptions {
  /** Folder for executed copies. Default `<repo>/out/notebooks`. */
  outDir?: string;
  /** Per-cell timeout in seconds. Default 600. */
  cellTimeoutS?: number;
  /** Also write an HTML rendering next to the executed copy. Default false. */
  html?: boolean;
  /** The checkout (for the kernel spec and output paths). Default this one. */
  repoRoot?: string;
}

/** Where and why a notebook failed. `cell` is the failing cell's index, null when unknown. */
export interface ExecuteFailure {
  kind: "cell-error" | "timeout" | "dead-kernel" | "other";
  cell: number | null;
  cellId: string | null;
  source: string | null;
  /** The cell's own error text (stack trace, compile error), else nbconvert's message. */
  errorText: string;
}

/** The outcome of executing one notebook. */
export interface ExecuteResult {
  file: string;
  ok: boolean;
  seconds: number;
  /** The executed copy (with outputs; for a failure, the run with `--allow-errors`). Null if none was written. */
  outputPath: string | null;
  htmlPath: string | null;
  failure: ExecuteFailure | null;
}

function nbconvertArgs(file: string, outPath: string, timeoutS: number, allowErrors: boolean): string[] {
  const args = ["nbconvert", "--to", "notebook", "--execute", file];
  args.push("--output-dir", path.dirname(outPath), "--output", path.basename(outPath, ".ipynb"));
  args.push(`--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`, `--ExecutePreprocessor.timeout=${timeoutS}`);
  if (allowErrors) args.push("--allow-errors");
  return args;
}

/**
 * Execute one notebook headless with nbconvert into `<outDir>/...` (never over
 * the source file). The kernel runs in the notebook's folder. When a cell
 * fails, the notebook is run again with `--allow-errors` to read that cell's
 * real error text from its outputs (see notebook-failure.ts for why).
 * Assumes the kernel spec is written and `dist/` is built.
 */
export async function executeNotebook(file: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const outDir = path.resolve(options.outDir ?? path.join(repoRoot, "out", "notebooks"));
  const timeoutS = options.cellTimeoutS ?? 600;
  const src = path.resolve(file);
  const outPath = executedPath(src, repoRoot, outDir);
  if (outPath === src) throw new Error(`executeNotebook requires an output path other than the notebook itself, got ${src}`);
  mkdirSync(path.dirname(outPath), { recursive: true });
  rmSync(outPath, { force: true }); // a stale copy from an earlier run must not pass for this run's output
  rmSync(outPath.replace(/\.ipynb$/, ".html"), { force: true });
  const env = jupyterEnv(repoRoot);
  const started = performance.now();
  const run = await runCommand("jupyter", nbconvertArgs(src, outPath, timeoutS, false), { env });
  let failure: ExecuteFailure | null = null;
  let written = run.code === 0;
  if (run.code !== 0) {
    if (run.spawnError !== undefined) {
      failure = { kind: "other", cell: null, cellId: null, source: null, errorText: `cannot run jupyter: ${run.spawnError}` };
    } else {
      let nb: Notebook;
      try {
        nb = parseNotebook(readFileSync(src, "utf8"), src);
      } catch (e) {
        nb = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
        run.stderr += `\n${(e as Error).message}`;
      }
      const parsed = parseNbconvertFailure(run.stderr, nb);
      failure = { kind: parsed.kind, cell: null, cellId: null, source: null, errorText: parsed.message };
      if (parsed.kind === "cell-error") {
        const rerun = await runCommand("jupyter", nbconvertArgs(src, outPath, timeoutS, true), { env });
        written = rerun.code === 0 && existsSync(outPath);
        const executed = written ? parseNotebook(readFileSync(outPath, "utf8"), outPath) : null;
        const outputsOf = (i: number) => executed?.cells[i]?.outputs ?? [];
        const cell = parsed.cells.find((i) => outputsOf(i).length > 0) ?? parsed.cells[0] ?? null;
        if (cell !== null) {
          const text = cellErrorText(outputsOf(cell));
          const nbCell = nb.cells[cell];
          failure = {
            kind: "cell-error",
            cell,
            cellId: nbCell?.id ?? null,
            source: nbCell ? cellSource(nbCell) : null,
            errorText: text !== "" ? text : parsed.message,
          };
        }
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  let htmlPath: string | null = null;
  if (options.html === true && written) {
    const html = await runCommand("jupyter", ["nbconvert", "--to", "html", outPath, "--output-dir", path.dirname(outPath)], { env });
    if (html.code === 0) htmlPath = outPath.replace(/\.ipynb$/, ".html");
  }
  return { file: src, ok: failure === null, seconds, outputPath: written ? outPath : null, htmlPath, failure };
}
