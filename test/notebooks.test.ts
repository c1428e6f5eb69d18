/**
 * Notebooks: every committed notebook is stripped and executes without a cell
 * error, and the tooling that checks this really detects failures.
 *
 * Execution needs Jupyter (Debian: jupyter-nbconvert, python3-nbclient,
 * jupyter-client). Without it those tests are skipped with a note — except
 * when CI=true, where they fail, so CI cannot go green without running them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { parseNbconvertFailure, cellErrorText } from "../scripts/notebook-failure.ts";
import {
  executeNotebook,
  hasNbconvert,
  listNotebooks,
  REPO_ROOT,
  runCommand,
  writeKernelSpec,
} from "../scripts/notebook-runner.ts";
import {
  executedPath,
  findUnstripped,
  formatNotebook,
  kernelSpecLocation,
  notebookIssues,
  parseNotebook,
  splitLines,
  stripNotebook,
  type Notebook,
} from "../scripts/notebook-tools.ts";

const CLI = [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO_ROOT, "scripts", "notebooks.ts")];
const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "notebooks");
const PASSES = path.join(FIXTURES, "passes.ipynb");
const THROWS = path.join(FIXTURES, "throws.ipynb");
const TYPE_ERROR = path.join(FIXTURES, "type-error.ipynb");
const committed = listNotebooks(path.join(REPO_ROOT, "notebooks"));
const nbconvert = await hasNbconvert();
const inCi = process.env["CI"] === "true";
const NO_JUPYTER =
  "jupyter nbconvert not found (Debian: apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client)";

if (!nbconvert && !inCi) console.warn(`notebooks.test.ts: skipping notebook execution: ${NO_JUPYTER}`);

/** Skip the test where Jupyter is absent, but fail it in CI. */
function requireJupyter(ctx: TestContext): void {
  if (nbconvert) return;
  if (inCi) throw new Error(`CI=true requires notebook execution, but ${NO_JUPYTER}`);
  ctx.skip(`skipped: ${NO_JUPYTER}`);
}

function rel(file: string): string {
  return path.relative(REPO_ROOT, file);
}

const EXEC_TIMEOUT_MS = 300_000;
/** Every committed notebook in one run: the tiny-model ones train, serve and search, so allow more. */
const EXECUTE_ALL_TIMEOUT_MS = 1_200_000;
let outDir = "";
beforeAll(() => {
  outDir = mkdtempSync(path.join(os.tmpdir(), "ttc-notebooks-"));
  writeKernelSpec();
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("committed notebooks", () => {
  it("are stripped (no outputs, no execution counts, canonical form)", () => {
    const unstripped = [...committed, ...listNotebooks(FIXTURES)]
      .map((file) => ({ file: rel(file), issues: notebookIssues(readFileSync(file, "utf8"), file) }))
      .filter((r) => r.issues.length > 0)
      .map((r) => `${r.file}: ${r.issues.map((i) => (i.cell === null ? i.problem : `cell ${i.cell} ${i.problem}`)).join("; ")}`);
    expect(unstripped, "run `npm run notebooks:strip` on these notebooks").toEqual([]);
  });

  it(
    `execute without a cell error (${committed.length} under notebooks/, plus the passing fixture)`,
    async (ctx) => {
      requireJupyter(ctx);
      const before = readFileSync(PASSES, "utf8");
      const r = await runCommand(process.execPath, [...CLI, "execute", "--out-dir", outDir, ...committed, PASSES], {
        cwd: REPO_ROOT,
      });
      expect(r.code, `notebooks:execute failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`${rel(PASSES)}\\s+[\\d.]+ s\\s+ok`));
      // the executed copy has the printed number; the committed file is untouched
      const executed = parseNotebook(readFileSync(executedPath(PASSES, REPO_ROOT, outDir), "utf8"));
      const printed = executed.cells.flatMap((c) => c.outputs ?? []).map((o) => [o.text ?? ""].flat().join(""));
      expect(printed.join("")).toMatch(/^0\.\d+\n$/);
      expect(readFileSync(PASSES, "utf8")).toBe(before);
    },
    EXECUTE_ALL_TIMEOUT_MS,
  );
});

describe("notebook execution tooling", () => {
  it(
    "reports a throwing cell with its index, source and real error text",
    async (ctx) => {
      requireJupyter(ctx);
      const r = await executeNotebook(THROWS, { outDir });
      expect(r.ok).toBe(false);
      expect(r.failure?.kind).toBe("cell-error");
      expect(r.failure?.cell).toBe(2);
      expect(r.failure?.cellId).toBe("cell-2");
      expect(r.failure?.source).toContain('throw new Error(parts.join("-"));');
      // the message is built at run time: it can only come from the cell's error output
      expect(r.failure?.errorText).toContain("Error: notebook-fixture-exploded");
      expect(r.failure?.errorText).not.toMatch(/node_modules[\\/]tslab/);
      expect(r.outputPath).not.toBeNull();
    },
    EXEC_TIMEOUT_MS,
  );

  it(
    "makes `execute` exit non-zero and print a type error's source and compiler message",
    async (ctx) => {
      requireJupyter(ctx);
      const r = await runCommand(process.execPath, [...CLI, "execute", "--no-build", "--out-dir", outDir, TYPE_ERROR], {
        cwd: REPO_ROOT,
      });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`${rel(TYPE_ERROR)}\\s+[\\d.]+ s\\s+FAILED`));
      expect(r.stdout).toContain('const count: number = "three";');
      expect(r.stdout).toContain("Type 'string' is not assignable to type 'number'");
      expect(r.stdout).toContain("0 ok, 1 failed");
    },
    EXEC_TIMEOUT_MS,
  );
});

function notebookWithOutputs(): Notebook {
  return {
    cells: [
      { cell_type: "markdown", metadata: {}, source: "# Title\n\ntext" },
      {
        cell_type: "code",
        id: "keep-me",
        execution_count: 3,
        metadata: { execution: { "iopub.status.busy": "2026-01-01T00:00:00Z" }, tags: ["setup"], scrolled: true },
        source: "console.log(1);\n1 + 1",
        outputs: [
          { output_type: "stream", name: "stdout", text: ["1\n"] },
          { output_type: "execute_result", execution_count: 3, data: { "text/plain": "2" }, metadata: {} },
        ],
      },
      { cell_type: "code", metadata: {}, source: "", outputs: [{ output_type: "stream", name: "stderr", text: "x" }], execution_count: 4 },
    ],
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 4,
  };
}

describe("stripNotebook", () => {
  it("removes every output and execution count, and metadata noise, without touching its input", () => {
    const nb = notebookWithOutputs();
    const snapshot = structuredClone(nb);
    expect(findUnstripped(nb).length).toBe(4);
    const s = stripNotebook(nb);
    expect(nb).toEqual(snapshot);
    expect(s.cells.flatMap((c) => c.outputs ?? [])).toEqual([]);
    expect(s.cells.map((c) => c.execution_count ?? null)).toEqual([null, null, null]);
    expect(findUnstripped(s)).toEqual([]);
    expect(s.cells[1]?.metadata).toEqual({ tags: ["setup"] });
    expect(s.cells[0]).not.toHaveProperty("outputs");
  });

  it("keeps cell ids and adds deterministic, unique ones where missing", () => {
    const nb = notebookWithOutputs();
    nb.cells[2] = { ...nb.cells[2]!, id: "keep-me" }; // a duplicate must be renamed
    nb.cells.push({ cell_type: "code", id: "cell-0", metadata: {}, source: "", outputs: [], execution_count: null });
    const ids = stripNotebook(nb).cells.map((c) => c.id);
    expect(ids).toEqual(["cell-0-1", "keep-me", "cell-2", "cell-0"]);
    expect(stripNotebook(nb).cells.map((c) => c.id)).toEqual(ids);
    expect(stripNotebook(nb).nbformat_minor).toBe(5);
  });

  it("writes Jupyter's layout, and check passes exactly when strip would change nothing", () => {
    const nb = notebookWithOutputs();
    expect(notebookIssues(formatNotebook(nb)).map((i) => i.cell)).toEqual([1, 1, 2, 2]);
    const text = formatNotebook(stripNotebook(nb));
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n "cells": [\n  {\n   "cell_type": "markdown",');
    expect(text).toContain('"source": [\n    "console.log(1);\\n",\n    "1 + 1"\n   ]');
    expect(notebookIssues(text)).toEqual([]);
    expect(formatNotebook(stripNotebook(parseNotebook(text)))).toBe(text);
    expect(notebookIssues(text.replace(/\n$/, ""))).toEqual([{ cell: null, problem: expect.stringContaining("stripped form") }]);
  });

  it("splits lines like Python's str.splitlines(True)", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a\nb")).toEqual(["a\n", "b"]);
    expect(splitLines("a\r\nb\rc\n")).toEqual(["a\r\n", "b\r", "c\n"]);
    expect(splitLines("a\u2028b\fc")).toEqual(["a\u2028", "b\f", "c"]);
  });
});

describe("failure parsing and paths", () => {
  const nb = parseNotebook(readFileSync(THROWS, "utf8"));

  it("finds the failing cell in nbconvert's CellExecutionError message", () => {
    const stderr = [
      "Traceback (most recent call last):",
      '  File "/usr/lib/python3/dist-packages/nbclient/client.py", line 915, in _check_raise_for_error',
      "nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:",
      "------------------",
      'const parts = ["notebook", "fixture", "exploded"];',
      'throw new Error(parts.join("-"));',
      "------------------",
      "",
      "",
      "<Error>: ",
      "",
    ].join("\n");
    expect(parseNbconvertFailure(stderr, nb)).toMatchObject({ kind: "cell-error", cells: [2] });
    expect(parseNbconvertFailure("nbclient.exceptions.DeadKernelError: Kernel died\n", nb).kind).toBe("dead-kernel");
    expect(parseNbconvertFailure("nbclient.exceptions.CellTimeoutError: A cell timed out\n", nb).kind).toBe("timeout");
  });

  it("reads a cell's error text from stderr and error outputs, without kernel stack frames or colours", () => {
    const text = cellErrorText([
      { output_type: "stream", name: "stdout", text: "progress\n" },
      { output_type: "stream", name: "stderr", text: ["Error: boom\n", "    at evalmachine.<anonymous>:2:7\n", "    at sigintHandlersWrap (node:vm:280:12)\n"] },
      { output_type: "error", ename: "RangeError", evalue: "bad", traceback: ["\x1b[31mRangeError\x1b[0m: bad"] },
    ]);
    expect(text).toBe("Error: boom\n    at evalmachine.<anonymous>:2:7\n\nRangeError: bad");
  });

  it("writes executed copies under the output folder, never over the source", () => {
    const out = "/tmp/out";
    expect(executedPath(path.join(REPO_ROOT, "notebooks", "teach", "01-x.ipynb"), REPO_ROOT, out)).toBe("/tmp/out/teach/01-x.ipynb");
    expect(executedPath(PASSES, REPO_ROOT, out)).toBe("/tmp/out/test/fixtures/notebooks/passes.ipynb");
    expect(executedPath("/elsewhere/a.ipynb", REPO_ROOT, out)).toBe("/tmp/out/a.ipynb");
  });

  it("points the kernel spec at this checkout's tslab", () => {
    const loc = kernelSpecLocation(REPO_ROOT);
    expect(loc.kernelJsonPath).toBe(path.join(REPO_ROOT, ".jupyter", "kernels", "tslab", "kernel.json"));
    expect(loc.spec.argv).toEqual([path.join(REPO_ROOT, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"]);
  });
});
