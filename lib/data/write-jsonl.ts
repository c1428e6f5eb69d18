import type { SampleTable } from "./sample-table.ts";
import { writeLines } from "./write-lines.ts";

/**
 * Write a table as JSON Lines, one row per line in table order, with the
 * fields of {@link SampleTable.row} (problem metadata repeated on each row).
 * Numbers are written in JavaScript's shortest round-trip form, so
 * {@link readJsonl} gives back an identical table.
 *
 * @param table - the table
 * @param path - the file to create or overwrite
 */
export async function writeJsonl(table: SampleTable, path: string): Promise<void> {
  await writeLines(path, (function* () {
    for (const row of table.rows()) yield JSON.stringify(row);
  })());
}

