import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError } from "../core/errors.ts";
import { PartialReadError } from "./read-options.ts";
import { readJsonl } from "./read-jsonl.ts";
import { writeJsonl } from "./write-jsonl.ts";

const dir = mkdtempSync(join(tmpdir(), "ttc-jsonl-"));
let count = 0;
/** Write lines to a fresh file and return its path. */
function file(lines: string[]): string {
  const path = join(dir, `f${count++}.jsonl`);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}
const ok = (problem: string, sample: number, extra = "") => `{"problem":"${problem}","sample":${sample},"answer":"1","correct":true${extra}}`;

/** The error a read throws (fails the test if it does not throw). */
async function failure(path: string): Promise<PartialReadError> {
  try {
    await readJsonl(path);
  } catch (e) {
    return e as PartialReadError;
  }
  throw new Error("expected readJsonl to throw");
}

describe("readJsonl", () => {
  it("reads rows, skipping blank lines and CRLF", async () => {
    const path = join(dir, "crlf.jsonl");
    writeFileSync(path, `${ok("p", 0)}\r\n\r\n${ok("p", 1)}\r\n`);
    const { table, errors } = await readJsonl(path);
    expect(errors).toEqual([]);
    expect(table.size).toBe(2);
  });

  it.each([
    ["malformed JSON line", [ok("p", 0), '{"problem":"p","sample":1,'], "line 2: malformed JSON at column 27"],
    ["wrong field type", [ok("p", 0), '{"problem":"p","sample":1,"correct":"yes"}'], 'line 2, field "correct": expected a boolean, got "yes"'],
    ["mixed types in a column", [ok("p", 0), '{"problem":"p","sample":1,"answer":1,"correct":true}'], 'line 2, field "answer": mixed types in column: string on line 1, number here'],
    ["NaN score (Python's bare NaN)", [ok("p", 0, ',"score":0.5'), ok("p", 1, ',"score":NaN')], 'line 2, field "score": expected a finite number, got NaN'],
    ["duplicate (problem, sample)", [ok("p", 0), ok("q", 0), ok("p", 0)], 'line 3, field "sample": duplicate (problem, sample) pair ("p", 0), first on line 1'],
    ["missing required field", [ok("p", 0), '{"problem":"p","sample":1}'], 'line 2, field "correct": missing required field'],
    ["missing problem", ['{"sample":0,"correct":true}'], 'line 1, field "problem": missing required field'],
    ["column on only some rows", [ok("p", 0, ',"score":0.5'), ok("p", 1)], 'line 2, field "score": missing, but line 1 has it (a column is on every row or on none)'],
    ["infinite score", [ok("p", 0, ',"score":-Infinity')], 'line 1, field "score": expected a finite number, got -Infinity'],
    ["bad step score", [ok("p", 0, ',"stepScores":[0.5,"x"]')], 'line 1, field "stepScores[1]": expected a finite number, got "x"'],
    ["conflicting ground truth", [ok("p", 0, ',"groundTruth":"4"'), ok("p", 1, ',"groundTruth":"5"')], 'line 2, field "groundTruth": "5" conflicts with "4" on line 1'],
    ["not an object", ["[1,2]"], "line 1: expected an object, got [1,2]"],
  ])("names file, line and field: %s", async (_name, lines, message) => {
    const path = file(lines);
    const e = await failure(path);
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(`${path}, ${message}`);
  });

  it("loses nothing: the thrown error carries the rows read before it", async () => {
    const path = file([ok("p", 0), ok("p", 1), "{oops", ok("p", 2)]);
    const e = await failure(path);
    expect(e).toBeInstanceOf(PartialReadError);
    expect(e.line).toBe(3);
    expect(e.field).toBeUndefined();
    expect(e.partial.size).toBe(2);
  });

  it("collects errors and keeps every valid row", async () => {
    const path = file([ok("p", 0), "{oops", ok("p", 1, ',"extra":1'), '{"problem":"p","sample":2,"correct":1}', ok("p", 0), ok("q", 0)]);
    const { table, errors } = await readJsonl(path, { onError: "collect" });
    expect(table.counts()).toEqual([
      { problem: "p", n: 2, c: 2 },
      { problem: "q", n: 1, c: 1 },
    ]);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [2, undefined],
      [4, "correct"],
      [5, "sample"],
    ]);
  });

  it("round-trips a table exactly through writeJsonl", async () => {
    const path = file([
      '{"problem":"a","sample":3,"answer":"x,\\"y\\"","correct":true,"completionTokens":12,"score":0.1,"stepScores":[0.30000000000000004,1e-300],"groundTruth":"x","level":2}',
      '{"problem":"a","sample":1,"answer":null,"correct":false,"completionTokens":0,"score":-2.5,"stepScores":[]}',
      '{"problem":"b","sample":0,"answer":"","correct":false,"completionTokens":7,"score":5e-324,"stepScores":[1]}',
    ]);
    const { table } = await readJsonl(path);
    const out = join(dir, "out.jsonl");
    await writeJsonl(table, out);
    const again = (await readJsonl(out)).table;
    expect([...again.rows()]).toEqual([...table.rows()]);
    expect(readFileSync(out, "utf8").split("\n")[0]).toBe(
      '{"problem":"a","sample":1,"answer":null,"correct":false,"completionTokens":0,"score":-2.5,"stepScores":[],"groundTruth":"x","level":2}',
    );
  });
});
