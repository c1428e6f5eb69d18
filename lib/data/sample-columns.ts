import { InvalidArgumentError, requireArg } from "../core/errors.ts";

/**
 * A ragged column: row `i`'s values are `values.subarray(offsets[i], offsets[i + 1])`.
 * `offsets` has one entry more than the table has rows, starts at 0 and ends at `values.length`.
 */
export interface Ragged<T extends Float64Array | Uint32Array> {
  values: T;
  offsets: Uint32Array;
}

/**
 * The columns of a {@link SampleTable}, in its canonical layout: rows grouped
 * by problem (problem `p` owns rows `offsets[p]` to `offsets[p + 1] - 1`), and
 * within a problem ordered by ascending sample index. Per-sample columns have
 * one entry per row (N); per-problem columns one per problem (P).
 */
export interface SampleColumns {
  /** Problem ids, unique, in table order (P). */
  problemIds: readonly string[];
  /** Row ranges per problem (P + 1): strictly increasing (every problem has a sample), from 0 to N. */
  offsets: Uint32Array;
  /** Sample index of each row (N), strictly increasing within a problem. */
  sample: Uint32Array;
  /** Extracted answer of each row (N), `null` when none. */
  answer: readonly (string | null)[];
  /** 1 when the row's answer is correct, else 0 (N). */
  correct: Uint8Array;
  /** Completion tokens per row (N), or `null` when the table has none. */
  completionTokens?: Uint32Array | null;
  /** Outcome score per row (N), finite, or `null` when the table has none. */
  score?: Float64Array | null;
  /** Per-step scores (ragged over N rows), finite, or `null`. */
  stepScores?: Ragged<Float64Array> | null;
  /** Per-step token counts (ragged over N rows), or `null`; same step counts as `stepScores` when both exist. */
  stepTokens?: Ragged<Uint32Array> | null;
  /** Ground-truth answer per problem (P), `null` when unknown; omitted means all unknown. */
  groundTruth?: readonly (string | null)[] | null;
  /** Level per problem (P), `NaN` when unknown; omitted means all unknown. */
  level?: Float64Array | null;
}

const FN = "SampleTable";

/**
 * Check that `c` is a valid canonical layout (see {@link SampleColumns}).
 *
 * @throws InvalidArgumentError naming the first broken requirement and the row or problem
 */
export function validateColumns(c: SampleColumns): void {
  const P = c.problemIds.length;
  const N = c.correct.length;
  requireArg(FN, c.offsets.length === P + 1, `offsets of length problems + 1 = ${P + 1}`, c.offsets.length);
  requireArg(FN, c.offsets[0] === 0 && c.offsets[P] === N, `offsets from 0 to the row count ${N}`, [c.offsets[0], c.offsets[P]]);
  const seen = new Set<string>();
  for (let p = 0; p < P; p++) {
    const id = c.problemIds[p];
    need(typeof id === "string" && !seen.has(id), () => `unique string problem ids (problem ${p})`, id);
    seen.add(id);
    const start = c.offsets[p] as number;
    const end = c.offsets[p + 1] as number;
    need(end > start, () => `at least one sample per problem (problem ${JSON.stringify(id)})`, end - start);
    for (let i = start + 1; i < end; i++) {
      const prev = c.sample[i - 1] as number;
      need((c.sample[i] as number) > prev, () => `unique sample indices, ascending within a problem (row ${i})`, c.sample[i]);
    }
  }
  for (const [name, length] of [
    ["sample", c.sample.length],
    ["answer", c.answer.length],
    ["completionTokens", c.completionTokens?.length ?? N],
    ["score", c.score?.length ?? N],
  ] as const) {
    requireArg(FN, length === N, `column ${name} of length ${N}`, length);
  }
  for (let i = 0; i < N; i++) {
    const a = c.answer[i];
    need(a === null || typeof a === "string", () => `string or null answers (row ${i})`, a);
    need((c.correct[i] as number) <= 1, () => `correct values 0 or 1 (row ${i})`, c.correct[i]);
  }
  if (c.score) checkFiniteArray(c.score, "finite scores");
  if (c.stepScores) {
    checkRagged(c.stepScores, N, "stepScores");
    checkFiniteArray(c.stepScores.values, "finite step scores");
  }
  if (c.stepTokens) checkRagged(c.stepTokens, N, "stepTokens");
  if (c.stepScores && c.stepTokens) {
    const a = c.stepScores.offsets;
    const b = c.stepTokens.offsets;
    for (let i = 0; i < N; i++) {
      const sa = (a[i + 1] as number) - (a[i] as number);
      const sb = (b[i + 1] as number) - (b[i] as number);
      need(sa === sb, () => `as many step tokens as step scores (row ${i}: ${sa} scores)`, sb);
    }
  }
  if (c.groundTruth) {
    requireArg(FN, c.groundTruth.length === P, `groundTruth of length ${P}`, c.groundTruth.length);
    c.groundTruth.forEach((g, p) => need(g === null || typeof g === "string", () => `string or null ground truths (problem ${p})`, g));
  }
  if (c.level) {
    requireArg(FN, c.level.length === P, `level of length ${P}`, c.level.length);
    c.level.forEach((l, p) => need(Number.isNaN(l) || Number.isFinite(l), () => `finite levels or NaN (problem ${p})`, l));
  }
}

function checkFiniteArray(a: Float64Array, what: string): void {
  for (let i = 0; i < a.length; i++) need(Number.isFinite(a[i]), () => `${what} (index ${i})`, a[i]);
}

function checkRagged(r: Ragged<Float64Array | Uint32Array>, rows: number, name: string): void {
  const o = r.offsets;
  requireArg(FN, o.length === rows + 1, `${name} offsets of length rows + 1 = ${rows + 1}`, o.length);
  requireArg(FN, o[0] === 0 && o[rows] === r.values.length, `${name} offsets from 0 to ${r.values.length}`, [o[0], o[rows]]);
  for (let i = 0; i < rows; i++) need((o[i + 1] as number) >= (o[i] as number), () => `non-decreasing ${name} offsets (row ${i})`, o[i + 1]);
}

/** Like `requireArg`, but builds the condition text only on failure (these checks run once per row). */
function need(ok: boolean, condition: () => string, got: unknown): asserts ok {
  if (!ok) throw new InvalidArgumentError(FN, condition(), got);
}
