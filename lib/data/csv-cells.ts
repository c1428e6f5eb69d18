import { DataError } from "../core/errors.ts";
import { parseJsonLine } from "./parse-json-line.ts";

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Turn one CSV cell into the JSON-like value the row checks expect, by column:
 * numbers for numeric columns, booleans for `correct` (`true`/`false`, any
 * case, or `1`/`0`), arrays for `stepScores`/`stepTokens` (a JSON array in
 * the cell), strings otherwise. An unquoted empty cell is a missing value
 * (`undefined`); a quoted empty cell (`""`) is the empty string, so `null` and
 * `""` answers survive a round trip. A cell that does not convert is passed
 * through as a string, so the row checks report it with its column's expected type.
 *
 * @param column - the header name
 * @param text - the cell text
 * @param quoted - whether the cell was quoted
 * @param where - file and line, for errors in array cells
 * @throws DataError when an array cell is not valid JSON
 */
export function csvCell(column: string, text: string, quoted: boolean, where: { file: string; line: number }): unknown {
  if (text === "" && !quoted) return undefined;
  switch (column) {
    case "sample":
    case "completionTokens":
    case "score":
    case "level":
      return csvNumber(text);
    case "correct": {
      const t = text.toLowerCase();
      return t === "true" || t === "1" ? true : t === "false" || t === "0" ? false : text;
    }
    case "stepScores":
    case "stepTokens":
      try {
        return parseJsonLine(text, where.file, where.line);
      } catch {
        throw new DataError(where.file, where.line, column, `expected a JSON array of numbers, got ${JSON.stringify(text)}`);
      }
    default:
      return text;
  }
}

/**
 * A numeric cell as a number (`NaN`, `nan`, `Infinity`, `inf` included, so the
 * finite checks can report them), else the text unchanged.
 *
 * @param text - the cell
 * @returns a number, or `text` when it is not one
 */
export function csvNumber(text: string): unknown {
  const t = text.trim();
  if (t === "NaN" || t === "nan") return NaN;
  if (t === "Infinity" || t === "inf") return Infinity;
  if (t === "-Infinity" || t === "-inf") return -Infinity;
  return NUMBER.test(t) ? Number(t) : text;
}

/**
 * Format one value as an RFC 4180 cell: `null`/`undefined` → empty; strings
 * quoted when empty or when they hold a comma, quote, CR or LF (quotes doubled);
 * arrays as quoted JSON; numbers in shortest round-trip form.
 *
 * @param v - the value
 * @returns the cell text
 */
export function formatCsvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v === "" || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  if (Array.isArray(v)) return formatCsvCell(JSON.stringify(v));
  return String(v);
}
