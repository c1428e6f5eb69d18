import { DataError, formatValue } from "../core/errors.ts";
import { checkCount, checkFinite, checkList } from "./checks.ts";
import type { SampleRow } from "./sample-row.ts";

/**
 * Turns loosely typed records (parsed JSON, Parquet rows, converted CSV cells)
 * into checked {@link SampleRow}s, raising a {@link DataError} that names the
 * file, the line and the field. One parser per file: it remembers the JSON type
 * each multi-type column (`problem`, `answer`, `groundTruth`: string or number)
 * had first, and rejects a later row of the other type ("mixed types"), since
 * `42` and `"42"` becoming the same voting key is rarely what a dump meant.
 * Fields it does not know are ignored.
 */
export class RowParser {
  private readonly firstType = new Map<string, { type: string; line: number }>();

  /** @param file - the file name used in error messages */
  constructor(readonly file: string) {}

  /**
   * Check one record.
   *
   * @param record - a parsed JSON value or a Parquet row object
   * @param line - 1-based line (JSONL, CSV) or row (Parquet) number, for errors
   * @returns the checked row; numbers given for string columns become strings
   * @throws DataError naming file, line and field for a missing required field,
   *   a value of the wrong type, a non-finite score, or mixed types in a column
   */
  parse(record: unknown, line: number): SampleRow {
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw new DataError(this.file, line, undefined, `expected an object, got ${formatValue(record)}`);
    }
    const r = record as Record<string, unknown>;
    const row: SampleRow = {
      problem: this.key(r, "problem", line, true) as string,
      answer: this.key(r, "answer", line, false),
      correct: this.bool(r, "correct", line),
    };
    const sample = this.count(r.sample, "sample", line);
    if (sample !== undefined) row.sample = sample;
    const tokens = this.count(r.completionTokens, "completionTokens", line);
    if (tokens !== undefined) row.completionTokens = tokens;
    const score = this.finite(r.score, "score", line);
    if (score !== undefined) row.score = score;
    const steps = this.list(r.stepScores, "stepScores", line, checkFinite);
    if (steps !== undefined) row.stepScores = steps;
    const stepTokens = this.list(r.stepTokens, "stepTokens", line, checkCount);
    if (stepTokens !== undefined) {
      if (steps !== undefined && steps.length !== stepTokens.length) {
        this.fail(line, "stepTokens", `has ${stepTokens.length} steps but stepScores has ${steps.length}`);
      }
      row.stepTokens = stepTokens;
    }
    const groundTruth = this.key(r, "groundTruth", line, false);
    if (groundTruth !== null) row.groundTruth = groundTruth;
    const level = this.finite(r.level, "level", line);
    if (level !== undefined) row.level = level;
    return row;
  }

  private fail(line: number, field: string, problem: string): never {
    throw new DataError(this.file, line, field, problem);
  }

  /** A string key (numbers accepted and stringified); null/absent → null unless required. */
  private key(r: Record<string, unknown>, field: string, line: number, required: boolean): string | null {
    const v = r[field];
    if (v === undefined && required) this.fail(line, field, "missing required field");
    if (v === undefined || (v === null && !required)) return null;
    const ok = typeof v === "string" || (typeof v === "number" && (required ? Number.isSafeInteger(v) : Number.isFinite(v)));
    if (!ok) {
      const want = required ? "a string or an integer" : "a string, a number or null";
      this.fail(line, field, `expected ${want}, got ${formatValue(v)}`);
    }
    const type = typeof v;
    const first = this.firstType.get(field);
    if (first === undefined) this.firstType.set(field, { type, line });
    else if (first.type !== type) {
      this.fail(line, field, `mixed types in column: ${first.type} on line ${first.line}, ${type} here`);
    }
    return String(v);
  }

  private bool(r: Record<string, unknown>, field: string, line: number): boolean {
    const v = r[field];
    if (v === undefined) this.fail(line, field, "missing required field");
    if (typeof v !== "boolean") this.fail(line, field, `expected a boolean, got ${formatValue(v)}`);
    return v;
  }

  /** A non-negative integer that fits a Uint32Array; null/absent → undefined. */
  private count(v: unknown, field: string, line: number): number | undefined {
    if (v === undefined || v === null) return undefined;
    const problem = checkCount(v);
    if (problem !== undefined) this.fail(line, field, problem);
    return v as number;
  }

  /** A finite number; null/absent → undefined. */
  private finite(v: unknown, field: string, line: number): number | undefined {
    if (v === undefined || v === null) return undefined;
    const problem = checkFinite(v);
    if (problem !== undefined) this.fail(line, field, problem);
    return v as number;
  }

  /** An array of numbers passing `check`; null/absent → undefined. */
  private list(v: unknown, field: string, line: number, check: (x: unknown) => string | undefined): number[] | undefined {
    if (v === undefined || v === null) return undefined;
    const bad = checkList(v, check);
    if (bad !== undefined) this.fail(line, bad.index < 0 ? field : `${field}[${bad.index}]`, bad.problem);
    return (v as number[]).slice();
  }
}
