import { parquetWriteFile, type ColumnSource, type SchemaElement } from "hyparquet-writer";
import type { SampleTable } from "./sample-table.ts";

/**
 * Write a table as Parquet with hyparquet-writer (pure JavaScript, snappy
 * compression). Schema: `problem` (UTF8, required), `sample` (UINT_32),
 * `answer` (UTF8, nullable), `correct` (BOOLEAN), then the optional columns
 * the table has — `completionTokens` (UINT_32), `score` (DOUBLE), `stepScores`
 * (LIST of DOUBLE), `stepTokens` (LIST of UINT_32) — then `groundTruth` (UTF8)
 * and `level` (DOUBLE), nullable and repeated per row, when any problem has
 * them. pandas / pyarrow / polars read it as ordinary columns, and
 * {@link readParquet} gives back an identical table.
 *
 * @param table - the table
 * @param path - the file to create or overwrite
 */
export function writeParquet(table: SampleTable, path: string): void {
  const N = table.size;
  const problemOf = new Uint32Array(N);
  table.problemIds().forEach((_, p) => problemOf.fill(p, table.offsets[p], table.offsets[p + 1]));
  const ids = table.problemIds();
  const columns: { source: ColumnSource; schema: SchemaElement[] }[] = [
    scalar("problem", Array.from(problemOf, (p) => ids[p] as string), "BYTE_ARRAY", "UTF8", "REQUIRED"),
    scalar("sample", Array.from(table.sample), "INT32", "UINT_32", "REQUIRED"),
    scalar("answer", [...table.answer], "BYTE_ARRAY", "UTF8", "OPTIONAL"),
    scalar("correct", Array.from(table.correct, (c) => c === 1), "BOOLEAN", undefined, "REQUIRED"),
  ];
  if (table.completionTokens) columns.push(scalar("completionTokens", Array.from(table.completionTokens), "INT32", "UINT_32", "REQUIRED"));
  if (table.score) columns.push(scalar("score", Array.from(table.score), "DOUBLE", undefined, "REQUIRED"));
  if (table.stepScores) columns.push(list("stepScores", Array.from({ length: N }, (_, i) => Array.from(table.stepScoresOf(i))), "DOUBLE"));
  if (table.stepTokens) columns.push(list("stepTokens", Array.from({ length: N }, (_, i) => Array.from(table.stepTokensOf(i))), "INT32", "UINT_32"));
  if (table.groundTruth.some((g) => g !== null)) {
    columns.push(scalar("groundTruth", Array.from(problemOf, (p) => table.groundTruth[p] ?? null), "BYTE_ARRAY", "UTF8", "OPTIONAL"));
  }
  if (table.level.some((l) => !Number.isNaN(l))) {
    columns.push(scalar("level", Array.from(problemOf, (p) => nullIfNaN(table.level[p] as number)), "DOUBLE", undefined, "OPTIONAL"));
  }
  parquetWriteFile({
    filename: path,
    columnData: columns.map((c) => c.source),
    schema: [{ name: "root", num_children: columns.length }, ...columns.flatMap((c) => c.schema)],
  });
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

function scalar(
  name: string,
  data: unknown[],
  type: SchemaElement["type"],
  convertedType: SchemaElement["converted_type"],
  repetition: "REQUIRED" | "OPTIONAL",
): { source: ColumnSource; schema: SchemaElement[] } {
  const element: SchemaElement = { name, type, repetition_type: repetition };
  if (convertedType !== undefined) element.converted_type = convertedType;
  return { source: { name, data, nullable: repetition === "OPTIONAL" }, schema: [element] };
}

/** A standard three-level Parquet LIST column of required elements. */
function list(name: string, data: number[][], type: SchemaElement["type"], convertedType?: SchemaElement["converted_type"]) {
  const element: SchemaElement = { name: "element", type, repetition_type: "REQUIRED" };
  if (convertedType !== undefined) element.converted_type = convertedType;
  return {
    source: { name, data } as ColumnSource,
    schema: [
      { name, repetition_type: "REQUIRED", num_children: 1, converted_type: "LIST" },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      element,
    ] as SchemaElement[],
  };
}
