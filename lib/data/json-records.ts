import { open, readFile } from "node:fs/promises";
import { DataError } from "../core/errors.ts";
import { jsonLines, type JsonLine } from "./json-lines.ts";

/**
 * Stream the records of a JSON dump that is either JSON Lines (one record per
 * line, streamed) or one JSON array of records (read whole; then "line" in
 * errors means the 1-based record number). Hugging Face `datasets.to_json`
 * writes the first form by default; the second is what `json.dump(list)` writes.
 *
 * @param path - the file
 * @returns an async iterator of records or per-line parse errors
 * @throws DataError when an array file is not valid JSON or not an array
 */
export async function* jsonRecords(path: string): AsyncGenerator<JsonLine> {
  if ((await firstChar(path)) !== "[") {
    yield* jsonLines(path);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch {
    throw new DataError(path, undefined, undefined, "malformed JSON (a file starting with '[' must be one JSON array)");
  }
  if (!Array.isArray(value)) throw new DataError(path, undefined, undefined, "expected a JSON array of records");
  for (let i = 0; i < value.length; i++) yield { line: i + 1, value: value[i] };
}

/** The first non-whitespace character of a file ("" for an empty file). */
async function firstChar(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(256);
    for (let pos = 0; ; pos += buf.length) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return "";
      const text = buf.subarray(0, bytesRead).toString("utf8").trimStart();
      if (text !== "") return text[0] as string;
    }
  } finally {
    await handle.close();
  }
}
