/**
 * One graded sample, as it appears in a JSONL line, a CSV record or a Parquet
 * row, and as {@link SampleTableBuilder.add} takes it. Field names are the
 * column names of every file format ttc-lab reads and writes.
 *
 * Required: `problem` and `correct`. Optional columns (`sample`,
 * `completionTokens`, `score`, `stepScores`, `stepTokens`) are on every row of
 * a table or on none: the first row decides. `answer` may be `null` (no answer
 * could be extracted). `groundTruth` and `level` describe the problem, not the
 * sample; they may be repeated on each row of the problem (or given on only
 * some rows) but must agree.
 */
export interface SampleRow {
  /** Problem id. */
  problem: string;
  /** Sample index within the problem, a non-negative integer; when absent, rows are numbered 0, 1, ... per problem in arrival order. */
  sample?: number;
  /** Extracted final answer as a string key for voting; `null` when none was extracted. Absent means `null`. */
  answer?: string | null;
  /** Whether the sample's answer is correct. */
  correct: boolean;
  /** Tokens in the completion, a non-negative integer. */
  completionTokens?: number;
  /** Outcome score from a verifier / reward model, finite. */
  score?: number;
  /** Per-step scores from a process reward model, finite. */
  stepScores?: readonly number[];
  /** Tokens per step, non-negative integers; as many as `stepScores` when both are given. */
  stepTokens?: readonly number[];
  /** The problem's ground-truth answer. */
  groundTruth?: string | null;
  /** The problem's level / difficulty (e.g. MATH levels 1–5), finite. */
  level?: number | null;
}

/** Per-problem metadata kept by a {@link SampleTable}. */
export interface ProblemMeta {
  /** Ground-truth answer, `null` when unknown. */
  groundTruth: string | null;
  /** Level / difficulty, `null` when unknown. */
  level: number | null;
}

/** The optional per-sample columns, in file order. */
export const OPTIONAL_COLUMNS = ["sample", "completionTokens", "score", "stepScores", "stepTokens"] as const;

/** Name of an optional per-sample column. */
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

/** Every column name, in the order writers emit them. */
export const SAMPLE_COLUMNS = [
  "problem",
  "sample",
  "answer",
  "correct",
  "completionTokens",
  "score",
  "stepScores",
  "stepTokens",
  "groundTruth",
  "level",
] as const;

/** Largest value a `Uint32Array` column holds (sample indices, token counts). */
export const MAX_UINT32 = 0xffffffff;
