import { createHash } from "node:crypto";
import { formatValue } from "../core/errors.ts";
import { checkCount } from "../data/checks.ts";

/**
 * One graded sample in a collection dump (`ttc sample`), one JSON object per
 * line. Field names follow {@link SampleRow} where they overlap, so the
 * offline tools read the same names everywhere.
 */
export interface SampleRecord {
  /** Problem id. */
  problem: string;
  /** Sample index within the problem, 0 … n − 1. */
  sample: number;
  /** The completion. */
  text: string;
  /** The extracted final answer as a canonical key, `null` when there was none. */
  answer: string | null;
  /** Whether `answer` matches the ground truth. */
  correct: boolean;
  /** Tokens generated. */
  completionTokens: number;
  /** Why generation stopped: the server's `finish_reason` (`"stop"`, `"length"`), else `"stop"` / `"step"` / `"length"` from the policy's flags. */
  finishReason: string;
  /** The seed of the `Rng` handed to the policy for this sample (`rng(seed)` repeats it). */
  seed: number;
  /** The problem's ground-truth answer. */
  groundTruth: string;
}

/** The record's fields in line order; the checksum comes last. */
const FIELDS = ["problem", "sample", "text", "answer", "correct", "completionTokens", "finishReason", "seed", "groundTruth"] as const;

/**
 * JSON with object keys sorted at every depth: the form the checksum is
 * taken over, so it does not depend on key order.
 *
 * @param value - JSON-serialisable data
 * @returns the canonical text
 * @example
 * canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }); // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of the record's canonical JSON, without its `sha256` field. */
export function recordChecksum(record: SampleRecord): string {
  const body: Record<string, unknown> = {};
  for (const k of FIELDS) body[k] = record[k];
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/**
 * One dump line: the record's fields in a fixed order, then `sha256`, then a newline.
 *
 * @param record - a checked record
 * @returns the line, `\n`-terminated
 */
export function encodeSampleRecord(record: SampleRecord): string {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) out[k] = record[k];
  out.sha256 = recordChecksum(record);
  return `${JSON.stringify(out)}\n`;
}

/**
 * Check a parsed dump line: every field's type, then the checksum.
 *
 * @param value - the parsed JSON of one line
 * @returns the record, or the problem (`field` set when one field is wrong)
 */
export function decodeSampleRecord(value: unknown): { record: SampleRecord } | { field?: string; problem: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { problem: `expected an object, got ${formatValue(value)}` };
  const v = value as Record<string, unknown>;
  const str = (k: string) => (typeof v[k] === "string" ? undefined : `expected a string, got ${formatValue(v[k])}`);
  const checks: [string, string | undefined][] = [
    ["problem", str("problem")],
    ["sample", checkCount(v.sample)],
    ["text", str("text")],
    ["answer", v.answer === null ? undefined : str("answer")],
    ["correct", typeof v.correct === "boolean" ? undefined : `expected a boolean, got ${formatValue(v.correct)}`],
    ["completionTokens", checkCount(v.completionTokens)],
    ["finishReason", str("finishReason")],
    ["seed", typeof v.seed === "number" && Number.isSafeInteger(v.seed) ? undefined : `expected an integer, got ${formatValue(v.seed)}`],
    ["groundTruth", str("groundTruth")],
    ["sha256", str("sha256")],
  ];
  for (const [field, problem] of checks) if (problem !== undefined) return { field, problem };
  const record = Object.fromEntries(FIELDS.map((k) => [k, v[k]])) as unknown as SampleRecord;
  const sum = recordChecksum(record);
  if (sum !== v.sha256) return { field: "sha256", problem: `checksum mismatch (the line was altered or damaged): stored ${formatValue(v.sha256)}, computed "${sum}"` };
  return { record };
}
