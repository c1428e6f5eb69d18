import { DataError } from "../core/errors.ts";
import { jsonRecords } from "./json-records.ts";
import { PartialReadError, type ReadOptions, type ReadResult } from "./read-options.ts";
import type { SampleRow } from "./sample-row.ts";
import { SampleTableBuilder } from "./sample-table-builder.ts";

/**
 * Turns one per-problem record into its sample rows, or throws a DataError
 * (via `fail(field, problem)`) for a record it cannot use.
 */
export type RecordToRows = (record: Record<string, unknown>, index: number, fail: (field: string | undefined, problem: string) => never) => SampleRow[];

/**
 * Shared driver of the per-problem importers: read every record of a JSON /
 * JSONL file, expand it into rows with `toRows`, and add them to a builder,
 * applying the `onError` policy per record. A record's rows are checked before
 * any is added (the builder checks each row and refuses a repeated problem),
 * so a bad record contributes no rows.
 *
 * @param path - the file
 * @param options - reader options
 * @param toRows - the schema-specific expansion
 * @returns the table and the errors of skipped records
 * @throws PartialReadError under `"throw"` for the first bad record
 */
export async function importRecords(path: string, options: ReadOptions, toRows: RecordToRows): Promise<ReadResult> {
  const builder = new SampleTableBuilder({ source: path });
  const errors: DataError[] = [];
  const seen = new Map<string, number>();
  let index = 0;
  const reject = (e: DataError) => {
    if (options.onError !== "collect") throw new PartialReadError(e, builder.build());
    errors.push(e);
  };
  for await (const entry of jsonRecords(path)) {
    if (entry.error) {
      reject(entry.error);
      continue;
    }
    const line = entry.line;
    const fail: (field: string | undefined, problem: string) => never = (field, problem) => {
      throw new DataError(path, line, field, problem);
    };
    try {
      const value = entry.value;
      if (typeof value !== "object" || value === null || Array.isArray(value)) fail(undefined, "expected an object (one record per problem)");
      const rows = toRows(value as Record<string, unknown>, index++, fail);
      const problem = rows[0]?.problem;
      if (problem === undefined) fail(undefined, "record has no samples");
      const first = seen.get(problem);
      if (first !== undefined) fail(undefined, `duplicate problem ${JSON.stringify(problem)}, first on line ${first}`);
      const check = new SampleTableBuilder({ source: path });
      for (const row of rows) check.add(row, line);
      for (const row of rows) builder.add(row, line);
      seen.set(problem, line);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      reject(e);
    }
  }
  return { table: builder.build(), errors };
}
