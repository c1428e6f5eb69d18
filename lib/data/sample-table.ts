import { requireArg } from "../core/errors.ts";
import { validateColumns, type Ragged, type SampleColumns } from "./sample-columns.ts";
import type { ProblemMeta, SampleRow } from "./sample-row.ts";
import { gatherProblems } from "./gather-problems.ts";
import { toDataFrame, type DataFrameLike } from "./to-data-frame.ts";

/** A problem given by id (string) or by its 0-based position in {@link SampleTable.problemIds} (number). */
export type ProblemRef = string | number;

/** Samples drawn (`n`) and correct (`c`) for one problem: what pass@k needs. */
export interface ProblemCount {
  problem: string;
  n: number;
  c: number;
}

/**
 * A validated, columnar store of graded samples: the offline dump every
 * estimator reads. Rows are grouped by problem (in order of first appearance)
 * and sorted by sample index within a problem, so every per-problem view below
 * is a zero-copy `subarray`. Numeric columns are typed arrays; do not mutate
 * them. Build one with {@link SampleTableBuilder}, a reader (`readJsonl`,
 * `readCsv`, `readParquet`), an importer, or directly from
 * {@link SampleColumns}.
 */
export class SampleTable {
  /** Row ranges per problem (P + 1): problem `p` owns rows `offsets[p]` to `offsets[p + 1] - 1`. */
  readonly offsets: Uint32Array;
  /** Sample index per row (N). */
  readonly sample: Uint32Array;
  /** Extracted answer per row (N), `null` when none; see {@link answerCodes} for integer keys. */
  readonly answer: readonly (string | null)[];
  /** 1 = correct, 0 = wrong, per row (N). */
  readonly correct: Uint8Array;
  /** Completion tokens per row (N), or `null` when the table has no such column. */
  readonly completionTokens: Uint32Array | null;
  /** Outcome score per row (N, finite), or `null`. */
  readonly score: Float64Array | null;
  /** Per-step scores (ragged over rows), or `null`. */
  readonly stepScores: Ragged<Float64Array> | null;
  /** Per-step token counts (ragged over rows), or `null`. */
  readonly stepTokens: Ragged<Uint32Array> | null;
  /** Ground truth per problem (P), `null` when unknown. */
  readonly groundTruth: readonly (string | null)[];
  /** Level per problem (P), `NaN` when unknown. */
  readonly level: Float64Array;
  private readonly ids: readonly string[];
  private readonly index = new Map<string, number>();
  private codes: Int32Array | undefined;

  /**
   * @param columns - the canonical layout, see {@link SampleColumns}; arrays are kept, not copied
   * @throws InvalidArgumentError when the columns break a requirement (lengths, order, NaN scores, duplicates)
   */
  constructor(columns: SampleColumns) {
    validateColumns(columns);
    this.ids = columns.problemIds;
    this.ids.forEach((id, p) => this.index.set(id, p));
    this.offsets = columns.offsets;
    this.sample = columns.sample;
    this.answer = columns.answer;
    this.correct = columns.correct;
    this.completionTokens = columns.completionTokens ?? null;
    this.score = columns.score ?? null;
    this.stepScores = columns.stepScores ?? null;
    this.stepTokens = columns.stepTokens ?? null;
    this.groundTruth = columns.groundTruth ?? this.ids.map(() => null);
    this.level = columns.level ?? new Float64Array(this.ids.length).fill(NaN);
  }

  /** Number of samples (rows). */
  get size(): number {
    return this.correct.length;
  }

  /** Problem ids in table order. */
  problemIds(): readonly string[] {
    return this.ids;
  }

  /** The optional columns this table has, e.g. `["score", "stepScores"]`. */
  columnNames(): string[] {
    const present: [string, unknown][] = [
      ["completionTokens", this.completionTokens],
      ["score", this.score],
      ["stepScores", this.stepScores],
      ["stepTokens", this.stepTokens],
    ];
    return present.filter(([, col]) => col !== null).map(([name]) => name);
  }

  /**
   * Position of a problem in {@link problemIds}.
   * @throws InvalidArgumentError for an unknown id or an out-of-range position
   */
  problemIndex(problem: ProblemRef, fn = "SampleTable.problemIndex"): number {
    if (typeof problem === "number") {
      requireArg(fn, Number.isInteger(problem) && problem >= 0 && problem < this.ids.length, `a problem position in [0, ${this.ids.length})`, problem);
      return problem;
    }
    const p = this.index.get(problem);
    requireArg(fn, p !== undefined, "a problem id in the table", problem);
    return p;
  }

  /** Row range `[start, end)` of a problem. */
  rangeOf(problem: ProblemRef): [number, number] {
    const p = this.problemIndex(problem, "SampleTable.rangeOf");
    return [this.offsets[p] as number, this.offsets[p + 1] as number];
  }

  /** Row indices of a problem's samples, in sample order (a fresh array). */
  rowsOf(problem: ProblemRef): Uint32Array {
    const [start, end] = this.rangeOf(problem);
    return Uint32Array.from({ length: end - start }, (_, i) => start + i);
  }

  /** `{ problem, n, c }` for every problem, in table order. */
  counts(): ProblemCount[] {
    const { n, c } = this.countArrays();
    return this.ids.map((problem, p) => ({ problem, n: n[p] as number, c: c[p] as number }));
  }

  /** Samples `n` and correct samples `c` per problem as typed arrays (table order), for vectorised estimators. */
  countArrays(): { problems: readonly string[]; n: Uint32Array; c: Uint32Array } {
    const P = this.ids.length;
    const n = new Uint32Array(P);
    const c = new Uint32Array(P);
    for (let p = 0; p < P; p++) {
      const start = this.offsets[p] as number;
      const end = this.offsets[p + 1] as number;
      n[p] = end - start;
      let sum = 0;
      for (let i = start; i < end; i++) sum += this.correct[i] as number;
      c[p] = sum;
    }
    return { problems: this.ids, n, c };
  }

  /** A problem's answers (a copy; `null` = none extracted). */
  answersOf(problem: ProblemRef): (string | null)[] {
    const [start, end] = this.rangeOf(problem);
    return this.answer.slice(start, end);
  }

  /**
   * Answers as integer codes (view over the whole table): equal answers share a
   * code, `-1` marks a missing answer. Computed once. What majority voting needs.
   */
  answerCodes(): Int32Array {
    if (this.codes) return this.codes;
    const dict = new Map<string, number>();
    const codes = new Int32Array(this.size);
    this.answer.forEach((a, i) => {
      if (a === null) codes[i] = -1;
      else {
        let code = dict.get(a);
        if (code === undefined) dict.set(a, (code = dict.size));
        codes[i] = code;
      }
    });
    return (this.codes = codes);
  }

  /** A problem's answer codes (see {@link answerCodes}), zero-copy. */
  answerCodesOf(problem: ProblemRef): Int32Array {
    const [start, end] = this.rangeOf(problem);
    return this.answerCodes().subarray(start, end);
  }

  /** A problem's correctness flags (1 = correct), zero-copy. */
  correctOf(problem: ProblemRef): Uint8Array {
    const [start, end] = this.rangeOf(problem);
    return this.correct.subarray(start, end);
  }

  /**
   * A problem's outcome scores, zero-copy.
   * @throws InvalidArgumentError when the table has no score column
   */
  scoresOf(problem: ProblemRef): Float64Array {
    requireArg("SampleTable.scoresOf", this.score !== null, "a score column", this.columnNames());
    const [start, end] = this.rangeOf(problem);
    return this.score.subarray(start, end);
  }

  /**
   * A problem's completion token counts, zero-copy.
   * @throws InvalidArgumentError when the table has no completionTokens column
   */
  tokensOf(problem: ProblemRef): Uint32Array {
    requireArg("SampleTable.tokensOf", this.completionTokens !== null, "a completionTokens column", this.columnNames());
    const [start, end] = this.rangeOf(problem);
    return this.completionTokens.subarray(start, end);
  }

  /** Step scores of one row, zero-copy. @throws InvalidArgumentError when the table has none */
  stepScoresOf(row: number): Float64Array {
    requireArg("SampleTable.stepScoresOf", this.stepScores !== null, "a stepScores column", this.columnNames());
    return raggedRow(this.stepScores, row, this.size);
  }

  /** Step token counts of one row, zero-copy. @throws InvalidArgumentError when the table has none */
  stepTokensOf(row: number): Uint32Array {
    requireArg("SampleTable.stepTokensOf", this.stepTokens !== null, "a stepTokens column", this.columnNames());
    return raggedRow(this.stepTokens, row, this.size);
  }

  /** Ground truth and level of a problem. */
  meta(problem: ProblemRef): ProblemMeta {
    const p = this.problemIndex(problem, "SampleTable.meta");
    const level = this.level[p] as number;
    return { groundTruth: this.groundTruth[p] ?? null, level: Number.isNaN(level) ? null : level };
  }

  /** Problem id of a row. */
  problemOfRow(row: number): string {
    requireArg("SampleTable.problemOfRow", Number.isInteger(row) && row >= 0 && row < this.size, `a row in [0, ${this.size})`, row);
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.offsets[mid] as number) <= row) lo = mid;
      else hi = mid - 1;
    }
    return this.ids[lo] as string;
  }

  /** Row `i` as a plain {@link SampleRow} (problem metadata included when known). */
  row(i: number): SampleRow {
    const problem = this.problemOfRow(i);
    const meta = this.meta(problem);
    const r: SampleRow = { problem, sample: this.sample[i] as number, answer: this.answer[i] ?? null, correct: this.correct[i] === 1 };
    if (this.completionTokens) r.completionTokens = this.completionTokens[i] as number;
    if (this.score) r.score = this.score[i] as number;
    if (this.stepScores) r.stepScores = Array.from(raggedRow(this.stepScores, i, this.size));
    if (this.stepTokens) r.stepTokens = Array.from(raggedRow(this.stepTokens, i, this.size));
    if (meta.groundTruth !== null) r.groundTruth = meta.groundTruth;
    if (meta.level !== null) r.level = meta.level;
    return r;
  }

  /** Every row as a plain object, in table order (for writers and tests; not a hot path). */
  *rows(): Generator<SampleRow> {
    for (let i = 0; i < this.size; i++) yield this.row(i);
  }

  /** A table with only the problems `keep` accepts (table order kept). */
  filter(keep: (problem: string, meta: ProblemMeta) => boolean): SampleTable {
    const picked = this.ids.flatMap((id, p) => (keep(id, this.meta(p)) ? [p] : []));
    return new SampleTable(gatherProblems(this, picked));
  }

  /**
   * A table with the given problems, in the given order.
   * @throws InvalidArgumentError for an unknown or repeated problem
   */
  select(problems: readonly ProblemRef[]): SampleTable {
    const picked = problems.map((q) => this.problemIndex(q, "SampleTable.select"));
    requireArg("SampleTable.select", new Set(picked).size === picked.length, "distinct problems", problems);
    return new SampleTable(gatherProblems(this, picked));
  }

  /**
   * One row per sample as a danfojs `DataFrame`, for notebook display and
   * ad-hoc exploration (not for hot paths). danfojs-node is an optional peer
   * dependency, imported only when this is called.
   * @throws TtcError when danfojs-node is not installed
   */
  toDataFrame(): Promise<DataFrameLike> {
    return toDataFrame(this);
  }
}

function raggedRow<T extends Float64Array | Uint32Array>(r: Ragged<T>, row: number, rows: number): T {
  requireArg("SampleTable", Number.isInteger(row) && row >= 0 && row < rows, `a row in [0, ${rows})`, row);
  return r.values.subarray(r.offsets[row], r.offsets[row + 1]) as T;
}
