import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CsvRecordParser } from "./csv-records.ts";
import { readCsv } from "./read-csv.ts";
import { readJsonl } from "./read-jsonl.ts";
import { writeCsv } from "./write-csv.ts";
import { writeJsonl } from "./write-jsonl.ts";
import { SampleTableBuilder } from "./sample-table-builder.ts";

const dir = mkdtempSync(join(tmpdir(), "ttc-csv-"));

describe("CsvRecordParser (RFC 4180)", () => {
  it("handles quotes, doubled quotes, embedded line breaks, CRLF and chunk boundaries", () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n,"",z';
    const p = new CsvRecordParser("t.csv");
    const entries = [...text].flatMap((ch) => p.push(ch)).concat(p.end());
    expect(entries.map((e) => e.record?.fields)).toEqual([
      ["a", "b", "c"],
      ["x, y", 'say "hi"', "two\nlines"],
      ["", "", "z"],
    ]);
    expect(entries.map((e) => e.record?.line)).toEqual([1, 2, 4]);
    expect(entries[2]?.record?.quoted).toEqual([false, true, false]);
  });

  it("reports structural errors and resumes at the next line", () => {
    const p = new CsvRecordParser("t.csv");
    const entries = p.push('a,b\nx"y,1\n"q"r,2\nok,3\n"open').concat(p.end());
    expect(entries.map((e) => e.error?.message ?? e.record?.fields.join("|"))).toEqual([
      "a|b",
      "t.csv, line 2: quote inside an unquoted field",
      't.csv, line 3: unexpected "r" after a closing quote',
      "ok|3",
      "t.csv, line 5: unterminated quoted field at end of file",
    ]);
  });
});

describe("readCsv / writeCsv", () => {
  it("reads cells by column type and names file, line and field", async () => {
    const path = join(dir, "in.csv");
    writeFileSync(path, 'problem,sample,answer,correct,score,stepScores\np1,0,4,true,0.5,"[0.25,0.5]"\np1,1,,FALSE,1e-3,[]\np2,0,"",1,NaN,[1]\n');
    const bad = await readCsv(path, { onError: "collect" });
    expect(bad.table.answersOf("p1")).toEqual(["4", null]);
    expect(bad.errors.map((e) => e.message)).toEqual([`${path}, line 4, field "score": expected a finite number, got NaN`]);
    writeFileSync(path, "problem,sample,correct\np1,0,yes\n");
    await expect(readCsv(path)).rejects.toThrow(`${path}, line 2, field "correct": expected a boolean, got "yes"`);
    writeFileSync(path, "problem,sample,correct\np1,0\n");
    await expect(readCsv(path)).rejects.toThrow(`${path}, line 2: expected 3 fields (as in the header), got 2`);
    writeFileSync(path, "problem,correct,stepScores\np1,true,[0.5\n");
    await expect(readCsv(path)).rejects.toThrow(`${path}, line 2, field "stepScores": expected a JSON array of numbers, got "[0.5"`);
    writeFileSync(path, "");
    await expect(readCsv(path)).rejects.toThrow(`${path}: empty file (expected a header record)`);
  });

  it("JSONL → CSV → JSONL is lossless, null and empty answers included", async () => {
    const b = new SampleTableBuilder();
    b.add({ problem: 'he said "7", twice', sample: 0, answer: "a,b", correct: true, completionTokens: 3, score: 0.1 + 0.2, stepScores: [1e-300, -0], stepTokens: [1, 2], groundTruth: "line\nbreak", level: 4 });
    b.add({ problem: 'he said "7", twice', sample: 5, answer: null, correct: false, completionTokens: 0, score: -1, stepScores: [], stepTokens: [] });
    b.add({ problem: "q", sample: 0, answer: "", correct: false, completionTokens: 4294967295, score: 5e-324, stepScores: [2], stepTokens: [9] });
    const jsonl = join(dir, "t.jsonl");
    await writeJsonl(b.build(), jsonl);
    const table = (await readJsonl(jsonl)).table;
    const csv = join(dir, "t.csv");
    await writeCsv(table, csv);
    expect(readFileSync(csv, "utf8").split("\r\n")[0]).toBe("problem,sample,answer,correct,completionTokens,score,stepScores,stepTokens,groundTruth,level");
    const back = (await readCsv(csv)).table;
    const jsonl2 = join(dir, "t2.jsonl");
    await writeJsonl(back, jsonl2);
    expect(readFileSync(jsonl2, "utf8")).toBe(readFileSync(jsonl, "utf8"));
    expect([...back.rows()]).toEqual([...table.rows()]);
  });
});
