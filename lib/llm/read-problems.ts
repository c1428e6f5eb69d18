import { DataError, formatValue } from "../core/errors.ts";
import { jsonLines } from "../data/json-lines.ts";

/** A problem with its ground-truth answer, as `ttc sample` reads it. */
export interface DatasetProblem {
  /** Unique id. */
  id: string;
  /** The problem text (what the policy is prompted with, through the prompt template). */
  problem: string;
  /** The ground-truth answer, or a reference solution holding it (`\boxed{…}` / `#### …`). */
  answer: string;
}

/**
 * Read a JSONL file of problems, one `{"id", "problem", "answer"}` object per
 * line (blank lines skipped). Ids may be strings or integers (kept as their
 * decimal string) and must be unique; `answer` may be a number (kept as
 * written by `String`). Extra fields are ignored.
 *
 * @param path - the dataset file
 * @returns the problems in file order
 * @throws DataError naming file, line and field for bad JSON, a missing or mistyped field, a duplicate id, or an empty file
 * @example
 * const problems = await readProblems("gsm8k-test.jsonl");
 */
export async function readProblems(path: string): Promise<DatasetProblem[]> {
  const problems: DatasetProblem[] = [];
  const lineOf = new Map<string, number>();
  for await (const entry of jsonLines(path)) {
    if (entry.error) throw entry.error;
    const { line, value } = entry;
    const fail = (field: string | undefined, problem: string): never => {
      throw new DataError(path, line, field, problem);
    };
    if (typeof value !== "object" || value === null || Array.isArray(value)) fail(undefined, `expected an object with id, problem and answer, got ${formatValue(value)}`);
    const v = value as Record<string, unknown>;
    const id = typeof v.id === "string" && v.id !== "" ? v.id : Number.isSafeInteger(v.id) ? String(v.id) : fail("id", `expected a non-empty string or an integer, got ${formatValue(v.id)}`);
    if (typeof v.problem !== "string" || v.problem.trim() === "") fail("problem", `expected a non-empty string, got ${formatValue(v.problem)}`);
    const answer = typeof v.answer === "string" ? v.answer : typeof v.answer === "number" && Number.isFinite(v.answer) ? String(v.answer) : fail("answer", `expected a string or a number, got ${formatValue(v.answer)}`);
    const first = lineOf.get(id);
    if (first !== undefined) fail("id", `duplicate id ${formatValue(id)}, first on line ${first}`);
    lineOf.set(id, line);
    problems.push({ id, problem: v.problem as string, answer });
  }
  if (problems.length === 0) throw new DataError(path, undefined, undefined, "no problems (expected one JSON object per line)");
  return problems;
}
