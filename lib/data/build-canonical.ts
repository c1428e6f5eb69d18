import { takeRows } from "./gather-problems.ts";
import type { Ragged } from "./sample-columns.ts";
import { SampleTable } from "./sample-table.ts";

/** Columns in arrival order, each row tagged with its problem's position. */
export interface ArrivalColumns {
  problemIds: string[];
  /** Problem position of each row (N). */
  problemOf: Uint32Array;
  sample: Uint32Array;
  answer: readonly (string | null)[];
  correct: Uint8Array;
  completionTokens: Uint32Array | null;
  score: Float64Array | null;
  stepScores: Ragged<Float64Array> | null;
  stepTokens: Ragged<Uint32Array> | null;
  groundTruth: (string | null)[];
  level: Float64Array;
}

/**
 * Reorder rows that arrived in any order into a {@link SampleTable}'s
 * canonical layout: grouped by problem (positions as given), then by ascending
 * sample index. A counting sort by problem keeps arrival order, so a problem
 * whose samples arrived in order (the usual case) needs no further sorting.
 *
 * @param c - the arrival-order columns (not modified)
 * @returns the validated table
 * @throws InvalidArgumentError from the table's validation (e.g. a duplicate sample index)
 */
export function buildCanonical(c: ArrivalColumns): SampleTable {
  const P = c.problemIds.length;
  const N = c.problemOf.length;
  const offsets = new Uint32Array(P + 1);
  for (let i = 0; i < N; i++) {
    const slot = (c.problemOf[i] as number) + 1;
    offsets[slot] = (offsets[slot] as number) + 1;
  }
  for (let p = 0; p < P; p++) offsets[p + 1] = (offsets[p + 1] as number) + (offsets[p] as number);
  const next = offsets.slice(0, P);
  const order = new Uint32Array(N);
  for (let i = 0; i < N; i++) {
    const p = c.problemOf[i] as number;
    const at = next[p] as number;
    order[at] = i;
    next[p] = at + 1;
  }
  for (let p = 0; p < P; p++) {
    const start = offsets[p] as number;
    const end = offsets[p + 1] as number;
    let sorted = true;
    for (let j = start + 1; j < end && sorted; j++) sorted = (c.sample[order[j] as number] as number) > (c.sample[order[j - 1] as number] as number);
    if (!sorted) order.subarray(start, end).sort((a, b) => (c.sample[a] as number) - (c.sample[b] as number));
  }
  return new SampleTable({
    problemIds: c.problemIds,
    offsets,
    ...takeRows(c, order),
    groundTruth: c.groundTruth,
    level: c.level,
  });
}
