import { jsonLines } from "./json-lines.ts";
import type { ReadOptions, ReadResult } from "./read-options.ts";
import { RowSink } from "./row-sink.ts";

/**
 * Read a JSON Lines sample dump: one {@link SampleRow} object per line, e.g.
 * `{"problem":"p1","sample":0,"answer":"4","correct":true,"score":0.93}`.
 * Streams the file (only the current line and the growing columnar table are
 * in memory). Python's bare `NaN`/`Infinity` tokens are parsed so that they
 * are reported as non-finite values, not as bad JSON.
 *
 * @param path - the file
 * @param options - `onError: "throw"` (default) or `"collect"`, see {@link ReadOptions}
 * @returns the table and the errors of skipped lines
 * @throws PartialReadError (a DataError naming file, line and field, carrying
 *   the rows read so far) for the first bad line under `"throw"`
 * @example
 * const { table } = await readJsonl("dump.jsonl");
 * const { table: good, errors } = await readJsonl("dirty.jsonl", { onError: "collect" });
 */
export async function readJsonl(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  const sink = new RowSink(path, options);
  for await (const entry of jsonLines(path)) {
    if (entry.error) sink.reject(entry.error);
    else sink.accept(entry.value, entry.line);
  }
  return sink.result();
}
