import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import type { ReadOptions, ReadResult } from "./read-options.ts";
import { RowSink } from "./row-sink.ts";

/**
 * Read a Parquet sample dump with hyparquet (pure JavaScript; snappy, gzip,
 * zstd, brotli and lz4 via hyparquet-compressors). Columns are named as in
 * {@link SampleRow}; list columns (`stepScores`, `stepTokens`) are Parquet
 * LISTs; INT64 values are converted to numbers. The file is read one row group
 * at a time, so only one row group's rows are held as objects. In errors the
 * "line" is the 1-based row number.
 *
 * @param path - the file
 * @param options - `onError: "throw"` (default) or `"collect"`, see {@link ReadOptions}
 * @returns the table and the errors of skipped rows
 * @throws PartialReadError for the first bad row under `"throw"`; hyparquet's
 *   error for a file that is not Parquet
 */
export async function readParquet(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const sink = new RowSink(path, options);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, compressors, rowStart, rowEnd });
    rows.forEach((row, i) => sink.accept(unBigInt(row), rowStart + i + 1));
    rowStart = rowEnd;
  }
  return sink.result();
}

/** Replace safe-integer BigInts (INT64 columns) by numbers, in place, one level of arrays deep. */
function unBigInt(row: Record<string, unknown>): Record<string, unknown> {
  const fix = (v: unknown): unknown =>
    typeof v === "bigint" && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  for (const [k, v] of Object.entries(row)) row[k] = Array.isArray(v) ? v.map(fix) : fix(v);
  return row;
}
