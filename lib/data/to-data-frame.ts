import { TtcError } from "../core/errors.ts";
import type { SampleTable } from "./sample-table.ts";

/** The part of a danfojs `DataFrame` ttc-lab relies on; cast to `dfd.DataFrame` for the rest. */
export interface DataFrameLike {
  readonly shape: number[];
  readonly columns: string[];
  print(): void;
}

/** Options of {@link toDataFrame}. */
export interface ToDataFrameOptions {
  /** Loads the danfojs module; defaults to `import("danfojs-node")`. For tests and for danfojs builds under another name. */
  load?: () => Promise<unknown>;
}

/**
 * One row per sample as a danfojs `DataFrame`: columns `problem`, `sample`,
 * `answer`, `correct`, then whichever optional columns the table has
 * (`stepScores` / `stepTokens` as JSON-array strings, since danfojs has no
 * list columns), then `groundTruth` and `level` repeated per row. For notebook
 * display and ad-hoc exploration only: danfojs is slow, and estimators read
 * the table's typed arrays instead.
 *
 * danfojs-node is an optional peer dependency, imported here dynamically so
 * that nothing else in ttc-lab loads it.
 *
 * @param table - the table to convert
 * @returns a danfojs `DataFrame`
 * @throws TtcError when danfojs-node cannot be imported (with how to install it)
 */
export async function toDataFrame(table: SampleTable, options: ToDataFrameOptions = {}): Promise<DataFrameLike> {
  const spec = "danfojs-node";
  const load = options.load ?? (() => import(/* @vite-ignore */ spec));
  let dfd: { DataFrame?: new (data: Record<string, unknown[]>) => DataFrameLike };
  try {
    dfd = (await load()) as typeof dfd;
  } catch (e) {
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new TtcError(`SampleTable.toDataFrame requires the optional package danfojs-node (npm install danfojs-node), got an import failure: ${why}`);
  }
  if (typeof dfd.DataFrame !== "function") {
    throw new TtcError("SampleTable.toDataFrame requires a danfojs module exporting DataFrame, got one without it");
  }
  const rows = Array.from({ length: table.size }, (_, i) => i);
  const problemOf = new Array<number>(table.size);
  table.problemIds().forEach((_, p) => {
    for (let i = table.offsets[p] as number; i < (table.offsets[p + 1] as number); i++) problemOf[i] = p;
  });
  const ids = table.problemIds();
  const data: Record<string, unknown[]> = {
    problem: rows.map((i) => ids[problemOf[i] as number]),
    sample: Array.from(table.sample),
    answer: [...table.answer],
    correct: Array.from(table.correct, (c) => c === 1),
  };
  if (table.completionTokens) data.completionTokens = Array.from(table.completionTokens);
  if (table.score) data.score = Array.from(table.score);
  if (table.stepScores) data.stepScores = rows.map((i) => JSON.stringify(Array.from(table.stepScoresOf(i))));
  if (table.stepTokens) data.stepTokens = rows.map((i) => JSON.stringify(Array.from(table.stepTokensOf(i))));
  data.groundTruth = rows.map((i) => table.groundTruth[problemOf[i] as number] ?? null);
  data.level = rows.map((i) => table.level[problemOf[i] as number]);
  return new dfd.DataFrame(data);
}
