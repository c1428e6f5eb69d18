import { formatValue } from "../core/errors.ts";
import type { ReadOptions, ReadResult } from "./read-options.ts";
import { importRecords } from "./record-importer.ts";
import type { SampleRow } from "./sample-row.ts";

/** Options of {@link importMonkeys}. */
export interface ImportMonkeysOptions extends ReadOptions {
  /** Record field holding the problem id; default: none, problems are numbered by record position ("0", "1", ...). */
  idField?: string;
  /** Extracts an answer from each entry of `samples` when the record has no `answers`; default: answers stay `null`. */
  extractAnswer?: (sample: string) => string | null;
}

/**
 * Import a repeated-sampling dump in the format of Large Language Monkeys
 * (Brown et al. 2024; github.com/ScalingIntelligence/large_language_monkeys,
 * released as the `ScalingIntelligence/monkey_business` dataset): one record
 * per problem. Fields used, as written by `llmonk/evaluate/math_datasets.py`
 * (confirmed in the repository at commit ed2bdb0) and described in its README:
 *
 * - `is_corrects: boolean[]` — required; `is_corrects[i]` grades `samples[i]`
 *   (the README spells it `is_correct`, which is accepted too);
 * - `samples: string[]` — optional completions, used only through `extractAnswer`;
 * - `answers: (string | null)[]` — optional extracted answers (not in the
 *   release; for users who extracted them), one per sample;
 * - `gt_answer: string` — optional ground truth (GSM8K / MATH).
 *
 * The release has no token counts or scores, so the table has neither. The
 * repository writes one YAML file per problem; convert those to JSON Lines
 * first (the dataset release is JSON). Sample `i` of a record becomes sample
 * index `i`.
 *
 * @param path - JSON Lines or a JSON array of records
 * @param options - id field, answer extraction and `onError` policy
 * @returns the table and the errors of skipped records
 * @throws PartialReadError under `onError: "throw"` (default) for the first bad record
 */
export function importMonkeys(path: string, options: ImportMonkeysOptions = {}): Promise<ReadResult> {
  return importRecords(path, options, (r, index, fail) => {
    const field = r.is_corrects !== undefined ? "is_corrects" : "is_correct";
    const raw = r[field];
    if (raw === undefined) fail("is_corrects", "missing required field");
    if (!Array.isArray(raw) || raw.length === 0) fail(field, `expected a non-empty array of booleans, got ${formatValue(raw)}`);
    const flags = raw as unknown[];
    const bad = flags.findIndex((f) => typeof f !== "boolean");
    if (bad >= 0) fail(`${field}[${bad}]`, `expected a boolean, got ${formatValue(flags[bad])}`);
    const answers = answersOf(r, flags.length, options.extractAnswer, fail);
    let problem = String(index);
    if (options.idField !== undefined) {
      const id = r[options.idField];
      if (typeof id !== "string" && typeof id !== "number") fail(options.idField, `expected a string or a number, got ${formatValue(id)}`);
      problem = String(id);
    }
    const gt = r.gt_answer;
    if (gt !== undefined && gt !== null && typeof gt !== "string" && typeof gt !== "number") fail("gt_answer", `expected a string, got ${formatValue(gt)}`);
    return flags.map((correct, i): SampleRow => {
      const row: SampleRow = { problem, sample: i, answer: answers[i] ?? null, correct: correct as boolean };
      if (gt !== undefined && gt !== null) row.groundTruth = String(gt);
      return row;
    });
  });
}

function answersOf(
  r: Record<string, unknown>,
  n: number,
  extract: ((sample: string) => string | null) | undefined,
  fail: (field: string, problem: string) => never,
): (string | null)[] {
  const list = r.answers ?? (extract ? r.samples : undefined);
  const field = r.answers !== undefined ? "answers" : "samples";
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length !== n) fail(field, `expected an array of ${n} entries (one per is_corrects entry), got ${formatValue(list)}`);
  return list.map((v: unknown, i) => {
    if (field === "samples") {
      if (typeof v !== "string") fail(`samples[${i}]`, `expected a string, got ${formatValue(v)}`);
      return (extract as (s: string) => string | null)(v);
    }
    if (v !== null && typeof v !== "string" && typeof v !== "number") fail(`answers[${i}]`, `expected a string or null, got ${formatValue(v)}`);
    return v === null ? null : String(v);
  });
}
