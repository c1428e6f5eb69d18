/**
 * Pure helpers for the project's Jupyter notebooks: parse, strip, format and
 * check `.ipynb` files, and describe the project-local tslab kernel spec.
 * Nothing here touches the file system or spawns a process, so tests call it
 * directly; `notebooks.ts` (the CLI) and `notebook-runner.ts` do the I/O.
 */
import path from "node:path";

/** Any JSON value, as found in notebook metadata. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One output of a code cell (nbformat 4): stream, display_data, execute_result or error. */
export interface CellOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, JsonValue>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  [key: string]: unknown;
}

/** One cell of an nbformat 4 notebook. `outputs`/`execution_count` exist on code cells only. */
export interface NotebookCell {
  cell_type: string;
  id?: string;
  metadata: Record<string, JsonValue>;
  source: string | string[];
  outputs?: CellOutput[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, JsonValue>;
  nbformat: number;
  nbformat_minor: number;
  [key: string]: unknown;
}

/** Cell metadata written by front ends and executors that carries no meaning for readers. */
export const NOISY_CELL_METADATA: readonly string[] = ["execution", "ExecuteTime", "collapsed", "scrolled", "trusted"];
/** Notebook metadata that nbformat itself treats as transient. */
export const NOISY_NOTEBOOK_METADATA: readonly string[] = ["signature", "widgets", "orig_nbformat", "orig_nbformat_minor"];

const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Parse the text of an `.ipynb` file.
 *
 * @param text - the file's contents
 * @param file - the file's name, used in error messages
 * @throws Error naming the file when the text is not JSON or not an nbformat 4 notebook
 */
export function parseNotebook(text: string, file = "<notebook>"): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(raw) || !Array.isArray(raw["cells"])) {
    throw new Error(`${file}: parseNotebook requires an object with a "cells" array`);
  }
  if (raw["nbformat"] !== 4) {
    throw new Error(`${file}: parseNotebook requires nbformat 4, got ${JSON.stringify(raw["nbformat"])}`);
  }
  raw["cells"].forEach((cell: unknown, i: number) => {
    if (!isRecord(cell) || typeof cell["cell_type"] !== "string") {
      throw new Error(`${file}: cell ${i} requires a "cell_type" string`);
    }
    if (!isRecord(cell["metadata"])) cell["metadata"] = {};
    if (cell["source"] === undefined) cell["source"] = "";
  });
  if (!isRecord(raw["metadata"])) raw["metadata"] = {};
  if (typeof raw["nbformat_minor"] !== "number") raw["nbformat_minor"] = 0;
  return raw as unknown as Notebook;
}

/** A cell's source as one string. */
export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * Split text into lines, keeping line ends, exactly like Python's
 * `str.splitlines(True)` (which is what nbformat uses when it writes a file).
 */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  const boundary = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let start = 0;
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    const end = m.index + m[0].length;
    lines.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

function withoutKeys(record: Record<string, JsonValue>, keys: readonly string[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(record)) if (!keys.includes(k)) out[k] = v;
  return out;
}

/**
 * Return a stripped copy of a notebook (the input is not modified): code cells
 * lose their outputs and execution counts, every cell loses noisy metadata
 * ({@link NOISY_CELL_METADATA}), and every cell gets an id — existing valid,
 * unique ids are kept, missing ones become `cell-<index>` (deterministic).
 */
export function stripNotebook(nb: Notebook): Notebook {
  const copy = structuredClone(nb);
  const taken = new Set<string>();
  const needsId: NotebookCell[] = [];
  const cells = copy.cells.map((cell, i) => {
    const out: NotebookCell = { ...cell, metadata: withoutKeys(cell.metadata, NOISY_CELL_METADATA) };
    if (cell.cell_type === "code") {
      out.outputs = [];
      out.execution_count = null;
    } else {
      delete out.outputs;
      delete out.execution_count;
    }
    if (typeof cell.id === "string" && CELL_ID.test(cell.id) && !taken.has(cell.id)) {
      taken.add(cell.id);
    } else {
      out.id = `cell-${i}`;
      needsId.push(out);
    }
    return out;
  });
  for (const cell of needsId) {
    let id = cell.id ?? "cell";
    for (let n = 1; taken.has(id); n++) id = `${cell.id}-${n}`;
    cell.id = id;
    taken.add(id);
  }
  copy.cells = cells;
  copy.metadata = withoutKeys(copy.metadata, NOISY_NOTEBOOK_METADATA);
  if (copy.nbformat_minor < 5) copy.nbformat_minor = 5; // cell ids need nbformat 4.5
  return copy;
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (!isRecord(x)) return x;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(x).sort()) out[k] = sortKeys(x[k]);
  return out;
}

/**
 * Serialise a notebook the way Jupyter (nbformat) writes it: keys sorted,
 * 1-space indent, cell sources and stream texts as lists of lines, a trailing
 * newline. Writing a notebook with this and saving it from Jupyter give the same bytes.
 */
export function formatNotebook(nb: Notebook): string {
  const copy = structuredClone(nb);
  for (const cell of copy.cells) {
    if (typeof cell.source === "string") cell.source = splitLines(cell.source);
    for (const output of cell.outputs ?? []) {
      if (output.output_type === "stream" && typeof output.text === "string") output.text = splitLines(output.text);
    }
  }
  return `${JSON.stringify(sortKeys(copy), null, 1)}\n`;
}

/** Why a notebook is not stripped: one entry per problem. `cell` is the cell's index, or null for the file. */
export interface NotebookIssue {
  cell: number | null;
  problem: string;
}

/** Cells of a notebook that still carry outputs or execution counts. */
export function findUnstripped(nb: Notebook): NotebookIssue[] {
  const issues: NotebookIssue[] = [];
  nb.cells.forEach((cell, i) => {
    const n = cell.outputs?.length ?? 0;
    if (n > 0) issues.push({ cell: i, problem: `${n} output${n === 1 ? "" : "s"}` });
    if (cell.execution_count !== undefined && cell.execution_count !== null) {
      issues.push({ cell: i, problem: `execution count ${cell.execution_count}` });
    }
  });
  return issues;
}

/**
 * Everything that `strip` would change in a notebook file: outputs, execution
 * counts, and — when there are none of those — any other difference from the
 * stripped, canonically formatted text (noisy metadata, missing ids, layout).
 * An empty list means the file is stripped.
 */
export function notebookIssues(text: string, file?: string): NotebookIssue[] {
  const nb = parseNotebook(text, file);
  const issues = findUnstripped(nb);
  if (issues.length === 0 && formatNotebook(stripNotebook(nb)) !== text) {
    issues.push({ cell: null, problem: "not in stripped form (cell metadata, ids or formatting)" });
  }
  return issues;
}

/** The kernel spec name the notebooks use (`metadata.kernelspec.name`). */
export const KERNEL_NAME = "tslab";

/** Where the project-local kernel spec lives and what it says. */
export interface KernelSpecLocation {
  /** The folder to put on `JUPYTER_PATH`: `<repo>/.jupyter`. */
  jupyterPath: string;
  /** `<repo>/.jupyter/kernels/tslab/kernel.json`. */
  kernelJsonPath: string;
  /** The kernel.json contents. */
  spec: { argv: string[]; display_name: string; language: string };
}

/**
 * Locate the project-local tslab kernel spec for a checkout. It runs this
 * checkout's `node_modules/.bin/tslab`, so it must be rewritten whenever the
 * checkout moves (it is git-ignored).
 *
 * @param repoRoot - absolute path of the checkout
 */
export function kernelSpecLocation(repoRoot: string): KernelSpecLocation {
  const jupyterPath = path.join(repoRoot, ".jupyter");
  return {
    jupyterPath,
    kernelJsonPath: path.join(jupyterPath, "kernels", KERNEL_NAME, "kernel.json"),
    spec: {
      argv: [path.join(repoRoot, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
      display_name: "TypeScript (ttc-lab)",
      language: "typescript",
    },
  };
}

/** `JUPYTER_PATH` with the project's folder first, keeping any folders already set. */
export function jupyterPathEnv(jupyterPath: string, existing: string | undefined): string {
  const rest = (existing ?? "").split(path.delimiter).filter((p) => p !== "" && p !== jupyterPath);
  return [jupyterPath, ...rest].join(path.delimiter);
}

/**
 * Where `execute` writes the executed copy of a notebook: notebooks under
 * `<repo>/notebooks/` keep their path below it (`notebooks/teach/01-x.ipynb` →
 * `<outDir>/teach/01-x.ipynb`); other notebooks in the checkout keep their path
 * from the repo root; notebooks outside it use their file name.
 */
export function executedPath(file: string, repoRoot: string, outDir: string): string {
  const abs = path.resolve(file);
  const inside = (dir: string): string | null => {
    const rel = path.relative(dir, abs);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : null;
  };
  const rel = inside(path.join(repoRoot, "notebooks")) ?? inside(repoRoot) ?? path.basename(abs);
  return path.join(outDir, rel);
}
