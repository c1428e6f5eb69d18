import { DataError, formatValue } from "../core/errors.ts";
import { checkCount, checkFinite, checkList } from "./checks.ts";
import { Growable } from "./growable.ts";
import { buildCanonical } from "./build-canonical.ts";
import { OPTIONAL_COLUMNS, type OptionalColumn, type SampleRow } from "./sample-row.ts";
import { SampleTable } from "./sample-table.ts";
import { ProblemState } from "./problem-state.ts";

/** Options of {@link SampleTableBuilder}. */
export interface SampleTableBuilderOptions {
  /** Name used as the "file" of every {@link DataError} (default `"SampleTableBuilder"`); readers pass the file path. */
  source?: string;
}

/**
 * Builds a {@link SampleTable} one row at a time, checking each row as it
 * arrives: value types and ranges, NaN / infinite scores, duplicate
 * (problem, sample) pairs, conflicting problem metadata, and a stable schema
 * (an optional column is on every row or on none; the first row decides). A
 * rejected row leaves the builder unchanged, so a reader can report it and go
 * on. Numeric columns accumulate in growable typed arrays.
 *
 * @example
 * const b = new SampleTableBuilder();
 * b.add({ problem: "p1", answer: "4", correct: true, score: 0.9 });
 * b.add({ problem: "p1", answer: "5", correct: false, score: 0.2 });
 * const table = b.build(); // 2 rows, samples numbered 0 and 1
 */
export class SampleTableBuilder {
  readonly source: string;
  private readonly problems = new Map<string, ProblemState>();
  private readonly ids: string[] = [];
  private readonly problemOf = new Growable(Uint32Array);
  private readonly sample = new Growable(Uint32Array);
  private readonly answer: (string | null)[] = [];
  private readonly correct = new Growable(Uint8Array);
  private readonly tokens = new Growable(Uint32Array);
  private readonly score = new Growable(Float64Array);
  private readonly steps = { values: new Growable(Float64Array), offsets: new Growable(Uint32Array) };
  private readonly stepTokens = { values: new Growable(Uint32Array), offsets: new Growable(Uint32Array) };
  private schema: { mask: number; line: number } | undefined;
  private calls = 0;

  constructor(options: SampleTableBuilderOptions = {}) {
    this.source = options.source ?? "SampleTableBuilder";
    this.steps.offsets.push(0);
    this.stepTokens.offsets.push(0);
  }

  /** Rows accepted so far. */
  get size(): number {
    return this.answer.length;
  }

  /**
   * Check and append one row.
   *
   * @param row - the sample; see {@link SampleRow} for each field's rules
   * @param line - where the row came from, for errors (default: the 1-based count of `add` calls)
   * @returns this builder
   * @throws DataError naming source, line and field; the row is then not added
   */
  add(row: SampleRow, line?: number): this {
    const at = line ?? this.calls + 1;
    this.calls++;
    if (typeof row !== "object" || row === null) this.fail(at, undefined, `expected an object, got ${formatValue(row)}`);
    if (typeof row.problem !== "string") this.fail(at, "problem", `expected a string, got ${formatValue(row.problem)}`);
    if (typeof row.correct !== "boolean") this.fail(at, "correct", `expected a boolean, got ${formatValue(row.correct)}`);
    const answer = row.answer ?? null;
    if (answer !== null && typeof answer !== "string") this.fail(at, "answer", `expected a string or null, got ${formatValue(answer)}`);
    let mask = 0;
    if (row.sample !== undefined) mask |= this.check(at, "sample", checkCount(row.sample), 1);
    if (row.completionTokens !== undefined) mask |= this.check(at, "completionTokens", checkCount(row.completionTokens), 2);
    if (row.score !== undefined) mask |= this.check(at, "score", checkFinite(row.score), 4);
    if (row.stepScores !== undefined) mask |= this.checkSteps(at, "stepScores", row.stepScores, checkFinite, 8);
    if (row.stepTokens !== undefined) mask |= this.checkSteps(at, "stepTokens", row.stepTokens, checkCount, 16);
    if (row.level !== undefined && row.level !== null) this.check(at, "level", checkFinite(row.level), 0);
    if (row.stepScores && row.stepTokens && row.stepScores.length !== row.stepTokens.length) {
      this.fail(at, "stepTokens", `has ${row.stepTokens.length} steps but stepScores has ${row.stepScores.length}`);
    }
    const groundTruth = row.groundTruth ?? null;
    if (groundTruth !== null && typeof groundTruth !== "string") this.fail(at, "groundTruth", `expected a string or null, got ${formatValue(groundTruth)}`);
    if (this.schema && mask !== this.schema.mask) this.schemaMismatch(at, mask);
    const state = this.problems.get(row.problem) ?? new ProblemState(this.ids.length);
    const sample = row.sample ?? state.count;
    const earlier = state.lineOf(sample);
    if (earlier !== undefined) {
      this.fail(at, "sample", `duplicate (problem, sample) pair (${formatValue(row.problem)}, ${sample}), first on line ${earlier}`);
    }
    const conflict = state.metaConflict(groundTruth, row.level ?? null);
    if (conflict) this.fail(at, conflict.field, conflict.problem);

    // Every check passed: commit.
    if (!this.problems.has(row.problem)) {
      this.problems.set(row.problem, state);
      this.ids.push(row.problem);
    }
    state.commit(sample, at, groundTruth, row.level ?? null);
    this.schema ??= { mask, line: at };
    this.problemOf.push(state.index);
    this.sample.push(sample);
    this.answer.push(answer);
    this.correct.push(row.correct ? 1 : 0);
    if (row.completionTokens !== undefined) this.tokens.push(row.completionTokens);
    if (row.score !== undefined) this.score.push(row.score);
    if (row.stepScores !== undefined) appendRagged(this.steps, row.stepScores);
    if (row.stepTokens !== undefined) appendRagged(this.stepTokens, row.stepTokens);
    return this;
  }

  private fail(line: number, field: string | undefined, problem: string): never {
    throw new DataError(this.source, line, field, problem);
  }

  /** Fail with `problem` if there is one, else return `bit` (the column's schema bit). */
  private check(line: number, field: string, problem: string | undefined, bit: number): number {
    if (problem !== undefined) this.fail(line, field, problem);
    return bit;
  }

  private checkSteps(line: number, field: string, values: unknown, check: (v: unknown) => string | undefined, bit: number): number {
    const bad = checkList(values, check);
    if (bad) this.fail(line, bad.index < 0 ? field : `${field}[${bad.index}]`, bad.problem);
    return bit;
  }

  /** The first accepted row fixed which optional columns exist (bit i = OPTIONAL_COLUMNS[i]); name the first that differs. */
  private schemaMismatch(line: number, mask: number): never {
    const schema = this.schema as { mask: number; line: number };
    const rule = "(a column is on every row or on none)";
    const i = OPTIONAL_COLUMNS.findIndex((_, b) => ((mask ^ schema.mask) >> b) & 1);
    const column = OPTIONAL_COLUMNS[i] as OptionalColumn;
    if ((mask >> i) & 1) this.fail(line, column, `present, but line ${schema.line} has none ${rule}`);
    this.fail(line, column, `missing, but line ${schema.line} has it ${rule}`);
  }

  /**
   * The table of all accepted rows, in canonical order (problems by first
   * appearance, samples ascending). The builder can keep accepting rows.
   */
  build(): SampleTable {
    const mask = this.schema?.mask ?? 0;
    const cols = new Set(OPTIONAL_COLUMNS.filter((_, b) => (mask >> b) & 1));
    const states = this.ids.map((id) => this.problems.get(id) as ProblemState);
    return buildCanonical({
      problemIds: [...this.ids],
      problemOf: this.problemOf.toArray(),
      sample: this.sample.toArray(),
      answer: this.answer,
      correct: this.correct.toArray(),
      completionTokens: cols.has("completionTokens") ? this.tokens.toArray() : null,
      score: cols.has("score") ? this.score.toArray() : null,
      stepScores: cols.has("stepScores") ? { values: this.steps.values.toArray(), offsets: this.steps.offsets.toArray() } : null,
      stepTokens: cols.has("stepTokens") ? { values: this.stepTokens.values.toArray(), offsets: this.stepTokens.offsets.toArray() } : null,
      groundTruth: states.map((s) => s.groundTruth),
      level: Float64Array.from(states, (s) => s.level ?? NaN),
    });
  }
}

function appendRagged(ragged: { values: Growable<Float64Array | Uint32Array>; offsets: Growable<Uint32Array> }, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) ragged.values.push(values[i] as number);
  ragged.offsets.push(ragged.values.length);
}
