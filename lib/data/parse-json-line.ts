import { DataError } from "../core/errors.ts";

const SENTINEL = "\u0000ttc-nonfinite:";
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/**
 * Parse one line of JSON. Besides standard JSON it accepts the bare `NaN`,
 * `Infinity` and `-Infinity` tokens that Python's `json.dumps` writes, turning
 * them into numbers, so a NaN score in a Python-written dump is reported as a
 * NaN score (by the row checks) rather than as malformed JSON.
 *
 * @param text - the line
 * @param file - file name for errors
 * @param line - 1-based line number for errors
 * @returns the parsed value
 * @throws DataError `"<file>, line <n>: malformed JSON at column <c>"` (column omitted when unknown)
 */
export function parseJsonLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (/NaN|Infinity/.test(text)) {
      const rewritten = rewriteNonFinite(text);
      if (rewritten !== text) {
        try {
          return JSON.parse(rewritten, (_key, v: unknown) =>
            typeof v === "string" && v.startsWith(SENTINEL) ? NON_FINITE[v.slice(SENTINEL.length)] : v,
          );
        } catch {
          // fall through to the original error
        }
      }
    }
    const position = /position (\d+)/.exec(e instanceof Error ? e.message : "")?.[1];
    const where = position === undefined ? "" : ` at column ${Number(position) + 1}`;
    throw new DataError(file, line, undefined, `malformed JSON${where}`);
  }
}

/** Replace bare NaN / Infinity / -Infinity tokens outside strings with sentinel strings. */
function rewriteNonFinite(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === "\\") out += text[++i] ?? "";
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const token = ["-Infinity", "Infinity", "NaN"].find((t) => text.startsWith(t, i));
    if (token !== undefined) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length - 1;
    } else {
      out += ch;
    }
  }
  return out;
}
