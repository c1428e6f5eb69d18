import { formatCsvCell } from "./csv-cells.ts";
import type { SampleTable } from "./sample-table.ts";
import { writeLines } from "./write-lines.ts";

/**
 * Write a table as RFC 4180 CSV (CRLF line ends): a header, then one record
 * per row in table order. Columns: `problem`, `sample`, `answer`, `correct`,
 * the optional columns the table has (step lists as JSON-array cells), and
 * `groundTruth` / `level` when any problem has them (repeated per row). A
 * `null` answer is an empty cell and an empty-string answer is `""`, so
 * {@link readCsv} gives back an identical table.
 *
 * @param table - the table
 * @param path - the file to create or overwrite
 */
export async function writeCsv(table: SampleTable, path: string): Promise<void> {
  const columns = ["problem", "sample", "answer", "correct", ...table.columnNames()];
  if (table.groundTruth.some((g) => g !== null)) columns.push("groundTruth");
  if (table.level.some((l) => !Number.isNaN(l))) columns.push("level");
  await writeLines(
    path,
    (function* () {
      yield columns.join(",");
      for (const row of table.rows()) {
        const r = row as unknown as Record<string, unknown>;
        yield columns.map((c) => formatCsvCell(r[c])).join(",");
      }
    })(),
    "\r\n",
  );
}
