import { formatValue } from "../core/errors.ts";
import { extractBoxed, normalizeAnswer } from "./extract-boxed.ts";
import type { ReadOptions, ReadResult } from "./read-options.ts";
import { importRecords } from "./record-importer.ts";
import type { SampleRow } from "./sample-row.ts";

/** How the outcome score of a completion is formed from its per-step PRM scores. */
export type OutcomeScore = "last" | "min" | "prod" | "agg_scores" | "none";

/** Options of {@link importSearchAndLearn}. */
export interface ImportSearchAndLearnOptions extends ReadOptions {
  /** Extracts the final answer from a completion; default {@link extractBoxed} (last `\boxed{}`). */
  extractAnswer?: (completion: string) => string | null;
  /** Grades an extracted answer against the record's `answer`; default: equal after {@link normalizeAnswer}. */
  isCorrect?: (answer: string, groundTruth: string) => boolean;
  /**
   * Outcome score per completion (default `"last"`, as search-and-learn's
   * `score()` aggregates): `"last"`, `"min"` or `"prod"` of its step scores;
   * `"agg_scores"` reads the record's `agg_scores` list; `"none"` keeps only
   * the step scores.
   */
  outcome?: OutcomeScore;
}

/**
 * Import the completions file of huggingface/search-and-learn
 * (`{approach}_completions.jsonl`, written by `dataset.to_json(..., lines=True)`
 * in `src/sal/utils/data.py`): one record per problem. Fields used, as confirmed
 * in the repository (commit 6f81cac: `src/sal/search/best_of_n.py`,
 * `beam_search.py`, `src/sal/utils/score.py`, default dataset MATH-500):
 *
 * - `completions: string[]` — required, the N completions;
 * - `scores: number[][]` — required, per-step PRM scores of each completion;
 * - `answer: string` — required, the ground truth (MATH-500's field);
 * - `completion_tokens: number[]` — optional, tokens per completion;
 * - `agg_scores: number[]` — optional, added by `score()` (last-step aggregate);
 * - `unique_id` — optional problem id (MATH-500), else `problem` text, else the record position;
 * - `level` — optional difficulty (MATH-500 integers 1–5, or MATH's "Level 3").
 *
 * `pred` is NOT a per-completion answer: it is the full text of the single
 * completion with the highest aggregated score (`completion[np.argmax(s)]`),
 * so it is ignored. Each completion's answer is extracted with `extractAnswer`
 * and graded with `isCorrect`; the dump holds no grades of its own. Completion
 * `i` becomes sample index `i`.
 *
 * @param path - JSON Lines (or a JSON array of records)
 * @param options - extraction, grading, outcome score and `onError` policy
 * @returns the table (with `stepScores`, and `score` / `completionTokens` when available) and the errors of skipped records
 * @throws PartialReadError under `onError: "throw"` (default) for the first bad record
 */
export function importSearchAndLearn(path: string, options: ImportSearchAndLearnOptions = {}): Promise<ReadResult> {
  const extract = options.extractAnswer ?? extractBoxed;
  const isCorrect = options.isCorrect ?? ((a: string, g: string) => normalizeAnswer(a) === normalizeAnswer(g));
  const outcome = options.outcome ?? "last";
  return importRecords(path, options, (r, index, fail) => {
    const completions = r.completions;
    if (completions === undefined) fail("completions", "missing required field");
    if (!Array.isArray(completions) || completions.length === 0) fail("completions", `expected a non-empty array of strings, got ${formatValue(completions)}`);
    const n = (completions as unknown[]).length;
    const texts = (completions as unknown[]).map((c, i) => (typeof c === "string" ? c : fail(`completions[${i}]`, `expected a string, got ${formatValue(c)}`)));
    const scores = numberLists(r.scores, "scores", n, fail);
    const groundTruth = r.answer;
    if (groundTruth === undefined) fail("answer", "missing required field");
    if (typeof groundTruth !== "string" && typeof groundTruth !== "number") fail("answer", `expected a string, got ${formatValue(groundTruth)}`);
    const truth = String(groundTruth);
    const tokens = r.completion_tokens === undefined ? undefined : numberList(r.completion_tokens, "completion_tokens", n, fail);
    const agg = outcome === "agg_scores" ? numberList(r.agg_scores, "agg_scores", n, fail) : undefined;
    const id = r.unique_id ?? r.problem ?? String(index);
    if (typeof id !== "string" && typeof id !== "number") fail(r.unique_id !== undefined ? "unique_id" : "problem", `expected a string, got ${formatValue(id)}`);
    const level = levelOf(r.level);
    return texts.map((text, i): SampleRow => {
      const answer = extract(text);
      const steps = scores[i] as number[];
      const row: SampleRow = { problem: String(id), sample: i, answer, correct: answer !== null && isCorrect(answer, truth), stepScores: steps, groundTruth: truth };
      if (tokens) row.completionTokens = tokens[i] as number;
      if (outcome !== "none") {
        if (outcome !== "agg_scores" && steps.length === 0) fail(`scores[${i}]`, `cannot take the "${outcome}" outcome score of an empty step list`);
        row.score = outcome === "agg_scores" ? ((agg as number[])[i] as number) : aggregate(steps, outcome);
      }
      if (level !== null) row.level = level;
      return row;
    });
  });
}

function aggregate(steps: number[], how: "last" | "min" | "prod"): number {
  if (how === "last") return steps[steps.length - 1] as number;
  if (how === "min") return Math.min(...steps);
  return steps.reduce((a, b) => a * b, 1);
}

/** MATH-500 levels are integers; MATH's are "Level 3"; anything else is unknown. */
function levelOf(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  const m = typeof v === "string" ? /^\s*(?:level\s*)?(\d+)\s*$/i.exec(v) : null;
  return m ? Number(m[1]) : null;
}

type Fail = (field: string, problem: string) => never;

function numberList(v: unknown, field: string, n: number, fail: Fail): number[] {
  if (v === undefined) fail(field, "missing required field");
  if (!Array.isArray(v) || v.length !== n) fail(field, `expected an array of ${n} numbers (one per completion), got ${formatValue(v)}`);
  return (v as unknown[]).map((x, i) => (Number.isFinite(x) ? (x as number) : fail(`${field}[${i}]`, `expected a finite number, got ${formatValue(x)}`)));
}

function numberLists(v: unknown, field: string, n: number, fail: Fail): number[][] {
  if (v === undefined) fail(field, "missing required field");
  if (!Array.isArray(v) || v.length !== n) fail(field, `expected ${n} lists of step scores (one per completion), got ${formatValue(v)}`);
  return (v as unknown[]).map((steps, i) => {
    if (!Array.isArray(steps)) fail(`${field}[${i}]`, `expected a list of step scores, got ${formatValue(steps)}`);
    return (steps as unknown[]).map((x, j) => (Number.isFinite(x) ? (x as number) : fail(`${field}[${i}][${j}]`, `expected a finite number, got ${formatValue(x)}`)));
  });
}
