import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteFile } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { readJsonl } from "./read-jsonl.ts";
import { readParquet } from "./read-parquet.ts";
import { SampleTableBuilder } from "./sample-table-builder.ts";
import { writeJsonl } from "./write-jsonl.ts";
import { writeParquet } from "./write-parquet.ts";

const dir = mkdtempSync(join(tmpdir(), "ttc-parquet-"));

describe("readParquet / writeParquet", () => {
  it("JSONL → table → Parquet → table is lossless (several row groups)", async () => {
    const r = rng("parquet-round-trip");
    const b = new SampleTableBuilder();
    for (let p = 0; p < 40; p++) {
      for (let s = 0; s < 60; s++) {
        const steps = Array.from({ length: r.int(5) }, () => r.normal());
        b.add({
          problem: `problem-${p}`,
          sample: s,
          answer: r.next() < 0.1 ? null : String(r.int(7)),
          correct: r.next() < 0.4,
          completionTokens: r.int(5000),
          score: r.next(),
          stepScores: steps,
          stepTokens: steps.map(() => r.int(100)),
          groundTruth: p % 3 === 0 ? null : String(p),
          level: p % 4 === 0 ? null : 1 + (p % 5),
        });
      }
    }
    const jsonl = join(dir, "in.jsonl");
    await writeJsonl(b.build(), jsonl);
    const table = (await readJsonl(jsonl)).table;
    const pq = join(dir, "t.parquet");
    writeParquet(table, pq);
    const back = await readParquet(pq);
    expect(back.errors).toEqual([]);
    expect([...back.table.rows()]).toEqual([...table.rows()]);
    expect(back.table.level).toEqual(table.level);
    const jsonl2 = join(dir, "back.jsonl");
    await writeJsonl(back.table, jsonl2);
    expect(readFileSync(jsonl2, "utf8")).toBe(readFileSync(jsonl, "utf8"));
  });

  it("writes only the columns a table has", async () => {
    const t = new SampleTableBuilder().add({ problem: "p", correct: true, answer: "1" }).build();
    const pq = join(dir, "min.parquet");
    writeParquet(t, pq);
    expect([...(await readParquet(pq)).table.rows()]).toEqual([...t.rows()]);
  });

  it("reads other writers' files, converting INT64 and naming the row of a bad value", async () => {
    const pq = join(dir, "foreign.parquet");
    parquetWriteFile({
      filename: pq,
      columnData: [
        { name: "problem", data: ["a", "a", "b"], type: "STRING" },
        { name: "sample", data: [0n, 1n, 0n], type: "INT64" },
        { name: "correct", data: [true, false, true], type: "BOOLEAN" },
        { name: "score", data: [0.5, NaN, 0.25], type: "DOUBLE" },
      ],
    });
    const { table, errors } = await readParquet(pq, { onError: "collect" });
    expect(table.counts()).toEqual([
      { problem: "a", n: 1, c: 1 },
      { problem: "b", n: 1, c: 1 },
    ]);
    expect(errors.map((e) => e.message)).toEqual([`${pq}, line 2, field "score": expected a finite number, got NaN`]);
  });
});
