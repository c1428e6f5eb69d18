import { DataError } from "../core/errors.ts";
import { csvCell } from "./csv-cells.ts";
import { csvRecords } from "./csv-records.ts";
import type { ReadOptions, ReadResult } from "./read-options.ts";
import { RowSink } from "./row-sink.ts";

/**
 * Read a CSV sample dump (RFC 4180). The first record is the header, naming
 * columns as in {@link SampleRow} (`problem`, `sample`, `answer`, `correct`,
 * `completionTokens`, `score`, `stepScores`, `stepTokens`, `groundTruth`,
 * `level`; others are ignored). Cells convert as {@link csvCell} describes:
 * step scores are a JSON array in one cell, `correct` is `true`/`false`, an
 * unquoted empty cell is missing and `""` is an empty string. Streams the file.
 *
 * @param path - the file
 * @param options - `onError: "throw"` (default) or `"collect"`, see {@link ReadOptions}
 * @returns the table and the errors of skipped records
 * @throws PartialReadError for the first bad record under `"throw"`; DataError
 *   for a missing header
 */
export async function readCsv(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  const sink = new RowSink(path, options);
  let header: string[] | undefined;
  for await (const entry of csvRecords(path)) {
    if (entry.error) {
      sink.reject(entry.error);
      continue;
    }
    const { fields, quoted, line } = entry.record;
    if (header === undefined) {
      header = fields.map((f) => f.trim());
      continue;
    }
    if (fields.length !== header.length) {
      sink.reject(new DataError(path, line, undefined, `expected ${header.length} fields (as in the header), got ${fields.length}`));
      continue;
    }
    const record: Record<string, unknown> = {};
    try {
      header.forEach((column, i) => {
        const value = csvCell(column, fields[i] as string, quoted[i] === true, { file: path, line });
        if (value !== undefined) record[column] = value;
      });
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      sink.reject(e);
      continue;
    }
    sink.accept(record, line);
  }
  if (header === undefined) throw new DataError(path, undefined, undefined, "empty file (expected a header record)");
  return sink.result();
}
