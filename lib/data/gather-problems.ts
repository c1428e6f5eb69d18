import type { Ragged, SampleColumns } from "./sample-columns.ts";
import type { SampleTable } from "./sample-table.ts";

/**
 * The columns of a new table holding only the given problems of `table`, in
 * the given order (the rows of each problem keep their order).
 *
 * @param table - the source table
 * @param picked - problem positions in `table`, distinct and in range (callers check)
 * @returns columns for `new SampleTable(...)`; arrays are fresh copies
 */
export function gatherProblems(table: SampleTable, picked: readonly number[]): SampleColumns {
  const ids = table.problemIds();
  const offsets = new Uint32Array(picked.length + 1);
  picked.forEach((p, j) => {
    offsets[j + 1] = (offsets[j] as number) + (table.offsets[p + 1] as number) - (table.offsets[p] as number);
  });
  const N = offsets[picked.length] as number;
  const rows = new Uint32Array(N);
  let k = 0;
  for (const p of picked) {
    for (let i = table.offsets[p] as number; i < (table.offsets[p + 1] as number); i++) rows[k++] = i;
  }
  return {
    problemIds: picked.map((p) => ids[p] as string),
    offsets,
    ...takeRows(table, rows),
    groundTruth: picked.map((p) => table.groundTruth[p] ?? null),
    level: Float64Array.from(picked, (p) => table.level[p] as number),
  };
}

type Ctor<T> = { new (n: number): T };

/** The per-row columns a table (or a builder's arrival-order columns) carries. */
export type RowColumns = Pick<SampleColumns, "sample" | "answer" | "correct" | "completionTokens" | "score" | "stepScores" | "stepTokens">;

/** Every per-row column of `c` restricted to `rows`, in that order (fresh copies; absent columns stay null). */
export function takeRows(c: RowColumns, rows: Uint32Array): Required<RowColumns> {
  return {
    sample: take(c.sample, rows, Uint32Array),
    answer: Array.from(rows, (i) => c.answer[i] ?? null),
    correct: take(c.correct, rows, Uint8Array),
    completionTokens: c.completionTokens ? take(c.completionTokens, rows, Uint32Array) : null,
    score: c.score ? take(c.score, rows, Float64Array) : null,
    stepScores: c.stepScores ? takeRagged(c.stepScores, rows, Float64Array) : null,
    stepTokens: c.stepTokens ? takeRagged(c.stepTokens, rows, Uint32Array) : null,
  };
}

/** `out[j] = col[rows[j]]`. */
export function take<T extends Float64Array | Uint32Array | Uint8Array>(col: T, rows: Uint32Array, ctor: Ctor<T>): T {
  const out = new ctor(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = col[rows[j] as number] as number;
  return out;
}

/** The ragged rows `rows` of `r`, in that order. */
export function takeRagged<T extends Float64Array | Uint32Array>(r: Ragged<T>, rows: Uint32Array, ctor: Ctor<T>): Ragged<T> {
  const offsets = new Uint32Array(rows.length + 1);
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j] as number;
    offsets[j + 1] = (offsets[j] as number) + (r.offsets[i + 1] as number) - (r.offsets[i] as number);
  }
  const values = new ctor(offsets[rows.length] as number);
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j] as number;
    values.set(r.values.subarray(r.offsets[i], r.offsets[i + 1]), offsets[j]);
  }
  return { values, offsets };
}
