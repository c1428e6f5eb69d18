/**
 * Pure helpers that turn a failed `jupyter nbconvert --execute` into something
 * a person can act on: which cell failed, and its real error text.
 *
 * Why this is needed: tslab answers a failing cell with an execute reply that
 * has no `ename`/`evalue`/`traceback`, so nbconvert's own message is an empty
 * `<Error>: `; the real text (a stack trace, or a compile error such as
 * `1:7 - Type 'string' is not assignable to type 'number'.`) only reaches the
 * cell's stderr stream, which nbconvert keeps only when run with `--allow-errors`.
 */
import { cellSource, type CellOutput, type Notebook } from "./notebook-tools.ts";

/** What nbconvert's stderr says went wrong. */
export type NbconvertFailure =
  /** A cell raised; `cells` are the indexes of code cells whose source nbconvert printed (usually one). */
  | { kind: "cell-error"; cells: number[]; message: string }
  /** A cell ran longer than the per-cell timeout. */
  | { kind: "timeout"; message: string }
  /** The kernel process exited (e.g. `process.exit()` in a cell) or could not start. */
  | { kind: "dead-kernel"; message: string }
  /** Anything else (bad notebook JSON, missing kernel spec, ...). */
  | { kind: "other"; message: string };

const CELL_ERROR_HEADER = "An error occurred while executing the following cell:\n------------------\n";
const RULE = "\n------------------\n";

/**
 * The part of a Python traceback worth showing: from the last line that names
 * an exception (`nbclient.exceptions.X: ...`, `ValueError: ...`) to the end,
 * or the last lines when there is none.
 */
export function exceptionMessage(stderr: string, maxLines = 30): string {
  const lines = stderr.replace(/\r\n/g, "\n").trimEnd().split("\n");
  let start = -1;
  lines.forEach((line, i) => {
    if (/^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*:/.test(line) || /^[A-Za-z_][\w.]*Error$/.test(line)) start = i;
  });
  const tail = start >= 0 ? lines.slice(start) : lines;
  return tail.slice(-maxLines).join("\n");
}

/**
 * Classify the stderr of a failed `jupyter nbconvert --execute` run.
 *
 * @param stderr - nbconvert's standard error
 * @param nb - the notebook that was executed, to find the failing cell by its source
 */
export function parseNbconvertFailure(stderr: string, nb: Notebook): NbconvertFailure {
  const text = stderr.replace(/\r\n/g, "\n");
  const message = exceptionMessage(text);
  const at = text.lastIndexOf(CELL_ERROR_HEADER);
  if (at >= 0) {
    const rest = text.slice(at + CELL_ERROR_HEADER.length);
    const cells: number[] = [];
    nb.cells.forEach((cell, i) => {
      if (cell.cell_type === "code" && rest.startsWith(cellSource(cell) + RULE)) cells.push(i);
    });
    return { kind: "cell-error", cells, message };
  }
  if (/CellTimeoutError|timed out/i.test(text)) return { kind: "timeout", message };
  if (/DeadKernelError|Kernel died|RuntimeError: Kernel didn't respond|Kernel.*(died|failed to start)/i.test(text)) {
    return { kind: "dead-kernel", message };
  }
  return { kind: "other", message };
}

/** Remove ANSI colour codes (kernels colour their tracebacks). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

/** Drop stack frames that point into Node's `vm` module or tslab's own code: they say nothing about the cell. */
export function dropKernelFrames(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s+at .*(node:vm|node_modules[\\/]tslab[\\/]|node:internal)/.test(line))
    .join("\n");
}

function outputText(output: CellOutput): string {
  const t = output.text;
  return Array.isArray(t) ? t.join("") : (t ?? "");
}

/**
 * The error text a failed cell left in its outputs (run with `--allow-errors`):
 * its `error` outputs and stderr stream, or — when it has neither — the end of
 * its stdout. Empty when the cell has no outputs at all.
 */
export function cellErrorText(outputs: readonly CellOutput[], maxLines = 40): string {
  const parts: string[] = [];
  for (const output of outputs) {
    if (output.output_type === "error") {
      const tb = (output.traceback ?? []).join("\n");
      parts.push(tb !== "" ? tb : `${output.ename ?? "Error"}: ${output.evalue ?? ""}`);
    } else if (output.output_type === "stream" && output.name === "stderr") {
      parts.push(outputText(output));
    }
  }
  if (parts.length === 0) {
    for (const output of outputs) if (output.output_type === "stream") parts.push(outputText(output));
  }
  const lines = dropKernelFrames(stripAnsi(parts.join("\n"))).trimEnd().split("\n");
  return (lines.length > maxLines ? ["...", ...lines.slice(-maxLines)] : lines).join("\n").trim();
}

/** Indent every line of a block of text, for printing it under a heading. */
export function indent(text: string, prefix = "    | "): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}
