import { requireArg } from "../core/errors.ts";
import type { SampleTable } from "../data/sample-table.ts";
import { SampleTableBuilder } from "../data/sample-table-builder.ts";
import type { Candidate, SearchResult } from "./search-types.ts";

/** A searched problem's id and ground truth, in the order of the search's prompts. */
export interface SearchedProblem {
  id: string;
  /** Ground-truth answer; compared with a candidate's answer as a string unless `isCorrect` is given. */
  answer: string | number;
}

/** Options of {@link searchSampleTable}. */
export interface SearchSampleTableOptions {
  /** One entry per problem of the result, in the same order. */
  problems: readonly SearchedProblem[];
  /** Whether a candidate is correct; default: its answer equals `String(problem.answer)`. */
  isCorrect?: (candidate: Candidate, problem: SearchedProblem) => boolean;
  /** `"pool"` (default): the candidates the final selection chose among; `"all"`: rejected ones too. */
  candidates?: "pool" | "all";
}

/**
 * A search's candidates as a {@link SampleTable}, one row per candidate: the
 * dump that the offline estimators (coverage, majority@k, best-of-N@k) and
 * `writeJsonl` / `writeParquet` take. Row k of a problem is its k-th candidate
 * (in `pool` order, or `candidates` order with `"all"`): answer, correctness,
 * tokens generated along its path, and — when every row has them — the
 * aggregated verifier score (`score`) and the per-step scores (`stepScores`).
 * A problem without candidates has no rows.
 *
 * Beam-search candidates share prefixes, so they are not independent draws:
 * estimators that resample k of N treat them as if they were.
 *
 * @param result - what `bestOfN`, `beamSearch`, `dvts`, … returned
 * @param options - the problems' ids and ground truths, in prompt order
 * @returns the table (problems in prompt order)
 * @throws InvalidArgumentError unless there is one problem per result, with distinct ids
 * @example
 * const res = await bestOfN(prompts, { policy, verifier, rng: rng(1) }, { n: 8, extractAnswer });
 * const table = searchSampleTable(res, { problems: problems.map((p) => ({ id: p.id, answer: p.answer })) });
 * await writeJsonl(table, "best-of-8.jsonl");
 * coverageCurve(table, [1, 2, 4, 8]);
 */
export function searchSampleTable(result: SearchResult, options: SearchSampleTableOptions): SampleTable {
  const fn = "searchSampleTable";
  const { problems } = options;
  requireArg(fn, problems.length === result.problems.length, `one problem per searched prompt (${result.problems.length})`, problems.length);
  requireArg(fn, new Set(problems.map((p) => p.id)).size === problems.length, "problems with distinct ids", problems.map((p) => p.id));
  const isCorrect = options.isCorrect ?? ((c: Candidate, p: SearchedProblem) => c.answer !== null && c.answer === String(p.answer));
  const picked = result.problems.map((r) => (options.candidates === "all" ? r.candidates : r.pool.map((i) => r.candidates[i] as Candidate)));
  const all = picked.flat();
  const scored = all.length > 0 && all.every((c) => c.score !== null);
  const stepped = scored && all.every((c) => c.stepScores.length > 0);
  const builder = new SampleTableBuilder({ source: fn });
  picked.forEach((cands, i) => {
    const p = problems[i] as SearchedProblem;
    cands.forEach((c, k) =>
      builder.add({
        problem: p.id,
        sample: k,
        answer: c.answer,
        correct: isCorrect(c, p),
        completionTokens: c.tokens,
        ...(scored ? { score: c.score as number } : {}),
        ...(stepped ? { stepScores: c.stepScores } : {}),
        groundTruth: String(p.answer),
      }),
    );
  });
  return builder.build();
}
