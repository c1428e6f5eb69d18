/**
 * Notebook tooling for ttc-lab (run with tsx):
 *
 *   tsx scripts/notebooks.ts setup                  write .jupyter/kernels/tslab/kernel.json for this checkout
 *   tsx scripts/notebooks.ts open [jupyter args]    setup, build, start Jupyter (lab if installed) on notebooks/
 *   tsx scripts/notebooks.ts execute [files|dirs]   setup, build, run notebooks headless into out/notebooks/
 *        --html  also write HTML   --out-dir DIR  elsewhere than out/notebooks
 *        --timeout S  per-cell timeout (default 600)   --no-build  skip building dist/
 *   tsx scripts/notebooks.ts strip [files|dirs]     remove outputs, execution counts and metadata noise in place
 *   tsx scripts/notebooks.ts check [files|dirs]     exit 1 listing notebooks that are not stripped
 *
 * Without files, every notebooks/**\/*.ipynb is used. Exit codes: 0 ok, 1 a
 * notebook failed or is not stripped, 2 usage or environment error.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { indent } from "./notebook-failure.ts";
import {
  buildDist,
  executeNotebook,
  findJupyterUi,
  hasNbconvert,
  jupyterEnv,
  listNotebooks,
  REPO_ROOT,
  writeKernelSpec,
  type ExecuteResult,
} from "./notebook-runner.ts";
import { formatNotebook, kernelSpecLocation, notebookIssues, parseNotebook, stripNotebook } from "./notebook-tools.ts";

const NOTEBOOKS_DIR = path.join(REPO_ROOT, "notebooks");
const HEADLESS_HINT = "on Debian/Ubuntu: sudo apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client";
const UI_HINT = "on Debian/Ubuntu: sudo apt-get install -y jupyter-notebook (or pip install jupyterlab)";

class UsageError extends Error {}

/** Paths from the command line, resolved where the user typed them (npm sets INIT_CWD), expanded to notebooks. */
function resolveNotebooks(args: readonly string[]): string[] {
  if (args.length === 0) return listNotebooks(NOTEBOOKS_DIR);
  const base = process.env["INIT_CWD"] ?? process.cwd();
  return args.flatMap((arg) => {
    const found = listNotebooks(path.resolve(base, arg));
    if (found.length === 0) throw new UsageError(`no notebook at ${arg}`);
    return found;
  });
}

function show(file: string): string {
  const rel = path.relative(REPO_ROOT, file);
  return rel.startsWith("..") ? file : rel;
}

function setup(): void {
  const { path: written, changed } = writeKernelSpec();
  console.log(`kernel spec ${changed ? "written to" : "up to date at"} ${written}`);
  console.log(`(Jupyter finds it with JUPYTER_PATH=${kernelSpecLocation(REPO_ROOT).jupyterPath})`);
}

async function build(): Promise<boolean> {
  const started = performance.now();
  const r = await buildDist();
  const s = ((performance.now() - started) / 1000).toFixed(1);
  if (r.code === 0) {
    console.log(`built dist/ (${s} s)`);
    return true;
  }
  console.error(`building dist/ failed (${s} s); notebooks import dist/, so they cannot run:`);
  console.error(indent((r.stdout + r.stderr).trim() || (r.spawnError ?? "no output"), "  "));
  return false;
}

async function open(jupyterArgs: string[]): Promise<number> {
  setup();
  const ui = await findJupyterUi();
  if (ui === null) {
    console.error(`Neither JupyterLab nor Jupyter Notebook is installed; ${UI_HINT}.`);
    return 2;
  }
  if (!(await build())) console.error("starting Jupyter anyway; cells importing ../dist/lib/index.js will fail until it builds");
  console.log(`starting jupyter ${ui} in notebooks/ (after editing lib/, run npm run build and restart the kernel)`);
  mkdirSync(NOTEBOOKS_DIR, { recursive: true });
  const child = spawn("jupyter", [ui, ...jupyterArgs], { cwd: NOTEBOOKS_DIR, env: jupyterEnv(), stdio: "inherit" });
  process.on("SIGINT", () => {}); // Ctrl-C reaches Jupyter too; let it ask and shut down, then exit with it
  return new Promise((resolve) => {
    child.on("error", (e) => {
      console.error(`cannot start jupyter ${ui}: ${e.message}`);
      resolve(2);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

function report(r: ExecuteResult): void {
  const f = r.failure;
  if (f === null) return;
  const what = {
    "cell-error": "a cell raised an error",
    timeout: "a cell ran past the timeout",
    "dead-kernel": "the kernel died (process.exit() or a crash)",
    other: "nbconvert failed",
  }[f.kind];
  const where = f.cell === null ? "" : ` at cell index ${f.cell}${f.cellId === null ? "" : ` (id "${f.cellId}")`}`;
  console.log(`\n  ${show(r.file)}: ${what}${where}`);
  if (f.source !== null) console.log(`  source:\n${indent(f.source)}`);
  console.log(`  error:\n${indent(f.errorText || "(no error text)")}`);
  if (r.outputPath !== null) console.log(`  executed copy: ${show(r.outputPath)}`);
  console.log("");
}

async function execute(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      html: { type: "boolean", default: false },
      "no-build": { type: "boolean", default: false },
      "out-dir": { type: "string" },
      timeout: { type: "string", default: "600" },
    },
  });
  const cellTimeoutS = Number(values.timeout);
  if (!Number.isFinite(cellTimeoutS) || cellTimeoutS <= 0) throw new UsageError(`--timeout requires a positive number of seconds, got ${values.timeout}`);
  const files = resolveNotebooks(positionals);
  setup();
  if (!(await hasNbconvert())) {
    console.error(`jupyter nbconvert is not available; ${HEADLESS_HINT}.`);
    return 2;
  }
  if (!values["no-build"] && !(await build())) return 2;
  if (files.length === 0) {
    console.log("no notebooks to execute under notebooks/");
    return 0;
  }
  const base = process.env["INIT_CWD"] ?? process.cwd();
  const outDir = path.resolve(base, values["out-dir"] ?? path.join(REPO_ROOT, "out", "notebooks"));
  console.log(`executing ${files.length} notebook${files.length === 1 ? "" : "s"} into ${show(outDir)}/`);
  const results: ExecuteResult[] = [];
  for (const [i, file] of files.entries()) {
    const r = await executeNotebook(file, { outDir, cellTimeoutS, html: values.html });
    results.push(r);
    const status = r.ok ? "ok" : "FAILED";
    console.log(`[${i + 1}/${files.length}] ${show(file)}  ${r.seconds.toFixed(1)} s  ${status}`);
    if (values.html && r.htmlPath !== null) console.log(`      html: ${show(r.htmlPath)}`);
    report(r);
  }
  const failed = results.filter((r) => !r.ok);
  console.log(`executed ${results.length} notebooks: ${results.length - failed.length} ok, ${failed.length} failed`);
  for (const r of failed) console.log(`  FAILED ${show(r.file)}`);
  return failed.length === 0 ? 0 : 1;
}

function strip(argv: string[]): number {
  const files = resolveNotebooks(argv);
  let changed = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const stripped = formatNotebook(stripNotebook(parseNotebook(text, file)));
    if (stripped !== text) {
      writeFileSync(file, stripped);
      changed++;
      console.log(`stripped ${show(file)}`);
    }
  }
  console.log(`${files.length} notebook${files.length === 1 ? "" : "s"}, ${changed} changed`);
  return 0;
}

function check(argv: string[]): number {
  const files = resolveNotebooks(argv);
  let bad = 0;
  for (const file of files) {
    const issues = notebookIssues(readFileSync(file, "utf8"), file);
    if (issues.length === 0) continue;
    bad++;
    const text = issues.map((i) => (i.cell === null ? i.problem : `cell ${i.cell}: ${i.problem}`)).join("; ");
    console.log(`${show(file)}: ${text}`);
  }
  if (bad > 0) {
    console.log(`${bad} of ${files.length} notebooks not stripped; run: npm run notebooks:strip`);
    return 1;
  }
  console.log(files.length === 0 ? "no notebooks to check" : `${files.length} notebook${files.length === 1 ? "" : "s"} stripped`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "setup":
      setup();
      return 0;
    case "open":
      return open(rest);
    case "execute":
      return execute(rest);
    case "strip":
      return strip(rest);
    case "check":
      return check(rest);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command ?? "")}; use setup, open, execute, strip or check`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  },
);
