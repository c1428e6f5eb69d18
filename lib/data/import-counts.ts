import { DataError, formatValue, requireArg } from "../core/errors.ts";
import { csvNumber } from "./csv-cells.ts";
import { csvRecords } from "./csv-records.ts";
import { jsonRecords } from "./json-records.ts";
import { PartialReadError, type ReadOptions } from "./read-options.ts";
import { SampleTable, type ProblemCount } from "./sample-table.ts";

/** What {@link importCounts} returns. */
export interface CountsResult {
  /** One entry per problem, in file order. */
  counts: ProblemCount[];
  /** One error per skipped record (empty under `onError: "throw"`). */
  errors: DataError[];
}

/**
 * Read per-problem counts `(problem, num_samples, num_correct)` — the form
 * papers and leaderboards release when the samples themselves are not — from
 * a CSV file (header `problem,num_samples,num_correct`, other columns ignored)
 * or a JSON / JSONL file of records with those fields. Counts are kept as
 * counts: pass@k and coverage need nothing else, and `coverageCurve` takes
 * them directly; {@link expandCounts} turns them into a table when a
 * table-shaped API is wanted.
 *
 * @param path - a `.csv` file, or JSON Lines / a JSON array of records otherwise
 * @param options - `onError` policy, see {@link ReadOptions}
 * @returns the counts and the errors of skipped records
 * @throws PartialReadError (its `partial` is {@link expandCounts} of the counts read so far) under `"throw"`
 */
export async function importCounts(path: string, options: ReadOptions = {}): Promise<CountsResult> {
  const counts: ProblemCount[] = [];
  const errors: DataError[] = [];
  const seen = new Map<string, number>();
  const reject = (e: DataError) => {
    if (options.onError !== "collect") throw new PartialReadError(e, expandCounts(counts));
    errors.push(e);
  };
  const accept = (r: Record<string, unknown>, line: number) => {
    const fail = (field: string, problem: string) => new DataError(path, line, field, problem);
    const problem = r.problem;
    if (problem === undefined) throw fail("problem", "missing required field");
    if (typeof problem !== "string" && !(typeof problem === "number" && Number.isSafeInteger(problem))) {
      throw fail("problem", `expected a string or an integer, got ${formatValue(problem)}`);
    }
    const id = String(problem);
    const n = r.num_samples;
    const c = r.num_correct;
    if (n === undefined) throw fail("num_samples", "missing required field");
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) throw fail("num_samples", `expected a positive integer, got ${formatValue(n)}`);
    if (c === undefined) throw fail("num_correct", "missing required field");
    if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0 || c > n) {
      throw fail("num_correct", `expected an integer in [0, num_samples = ${n}], got ${formatValue(c)}`);
    }
    const first = seen.get(id);
    if (first !== undefined) throw fail("problem", `duplicate problem ${JSON.stringify(id)}, first on line ${first}`);
    seen.set(id, line);
    counts.push({ problem: id, n, c });
  };
  const guarded = (r: Record<string, unknown>, line: number) => {
    try {
      accept(r, line);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      reject(e);
    }
  };
  if (path.toLowerCase().endsWith(".csv")) {
    let header: string[] | undefined;
    for await (const entry of csvRecords(path)) {
      if (entry.error) reject(entry.error);
      else if (header === undefined) header = entry.record.fields.map((f) => f.trim());
      else {
        const { fields, line } = entry.record;
        const r: Record<string, unknown> = {};
        header.forEach((h, i) => {
          const cell = fields[i] ?? "";
          r[h] = h === "problem" || cell === "" ? (cell === "" ? undefined : cell) : csvNumber(cell);
        });
        guarded(r, line);
      }
    }
  } else {
    for await (const entry of jsonRecords(path)) {
      if (entry.error) reject(entry.error);
      else if (typeof entry.value !== "object" || entry.value === null) reject(new DataError(path, entry.line, undefined, "expected an object"));
      else guarded(entry.value as Record<string, unknown>, entry.line);
    }
  }
  return { counts, errors };
}

/**
 * A table with `n` samples per problem of which the first `c` are correct
 * (answers `null`, no scores or tokens). Exact for anything that depends only
 * on (n, c) — pass@k, coverage — and meaningless for majority voting or
 * best-of-n, which need the answers and scores counts do not have.
 *
 * @param counts - per-problem counts, problems distinct
 * @returns the expanded table (Σn rows)
 * @throws InvalidArgumentError for repeated problems or c > n
 */
export function expandCounts(counts: readonly ProblemCount[]): SampleTable {
  const offsets = new Uint32Array(counts.length + 1);
  counts.forEach((k, p) => (offsets[p + 1] = (offsets[p] as number) + k.n));
  const N = offsets[counts.length] as number;
  const sample = new Uint32Array(N);
  const correct = new Uint8Array(N);
  counts.forEach((k, p) => {
    const start = offsets[p] as number;
    for (let s = 0; s < k.n; s++) sample[start + s] = s;
    requireArg("expandCounts", Number.isInteger(k.n) && Number.isInteger(k.c) && k.c >= 0 && k.c <= k.n, "integers 0 <= c <= n", k);
    correct.fill(1, start, start + k.c);
  });
  return new SampleTable({ problemIds: counts.map((k) => k.problem), offsets, sample, answer: new Array<null>(N).fill(null), correct });
}
