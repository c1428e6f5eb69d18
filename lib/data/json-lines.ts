import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { DataError } from "../core/errors.ts";
import { parseJsonLine } from "./parse-json-line.ts";

/** One non-blank line of a JSONL file: its parsed value, or why it could not be parsed. */
export type JsonLine = { line: number; value: unknown; error?: undefined } | { line: number; value?: undefined; error: DataError };

/**
 * Stream a JSON Lines file one parsed line at a time with `node:readline`, so
 * only the current line is in memory. Blank lines are skipped (but counted);
 * `\r\n` endings are accepted. A line that is not JSON is yielded with its
 * error rather than thrown, so the caller decides whether to stop.
 *
 * @param path - the file
 * @returns an async iterator of lines, 1-based line numbers
 * @throws the file system's error if the file cannot be opened
 */
export async function* jsonLines(path: string): AsyncGenerator<JsonLine> {
  const input = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === "") continue;
      try {
        yield { line, value: parseJsonLine(text, path, line) };
      } catch (e) {
        yield { line, error: e as DataError };
      }
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
