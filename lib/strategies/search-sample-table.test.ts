import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../core/errors.ts";
import { Ledger } from "./ledger.ts";
import type { Candidate, ProblemResult, SearchResult } from "./search-types.ts";
import { searchSampleTable } from "./search-sample-table.ts";

const cand = (answer: string | null, score: number | null, stepScores: number[], tokens: number, status: Candidate["status"] = "finished"): Candidate => ({
  text: "t",
  steps: ["t"],
  stepScores,
  score,
  answer,
  tokens,
  status,
});

function result(problems: Omit<ProblemResult, "prompt" | "ledger" | "answer" | "chosen">[]): SearchResult {
  return { problems: problems.map((p, i) => ({ ...p, prompt: `q${i}`, answer: null, chosen: -1, ledger: new Ledger() })), ledger: new Ledger() };
}

describe("searchSampleTable", () => {
  it("writes one row per pool candidate with answer, correctness, tokens and scores", () => {
    const res = result([
      { candidates: [cand("7", 0.9, [0.5, 0.9], 12), cand("8", 0.2, [0.2], 5), cand(null, 0.1, [0.1], 30, "rejected")], pool: [1, 0] },
      { candidates: [cand("3", 0.4, [0.4], 9)], pool: [0] },
    ]);
    const table = searchSampleTable(res, { problems: [{ id: "a", answer: 7 }, { id: "b", answer: "4" }] });
    // Hand-derived: pool order [1, 0] for "a" (the rejected candidate 2 is left out), then "b".
    expect([...table.rows()]).toEqual([
      { problem: "a", sample: 0, answer: "8", correct: false, completionTokens: 5, score: 0.2, stepScores: [0.2], groundTruth: "7" },
      { problem: "a", sample: 1, answer: "7", correct: true, completionTokens: 12, score: 0.9, stepScores: [0.5, 0.9], groundTruth: "7" },
      { problem: "b", sample: 0, answer: "3", correct: false, completionTokens: 9, score: 0.4, stepScores: [0.4], groundTruth: "4" },
    ]);
    const all = searchSampleTable(res, { problems: [{ id: "a", answer: 7 }, { id: "b", answer: "4" }], candidates: "all", isCorrect: (c) => c.tokens > 10 });
    expect([...all.rows()].map((r) => [r.problem, r.sample, r.answer, r.correct])).toEqual([
      ["a", 0, "7", true],
      ["a", 1, "8", false],
      ["a", 2, null, true],
      ["b", 0, "3", false],
    ]);
  });

  it("leaves out the score columns when some candidate was never scored (majority voting)", () => {
    const res = result([{ candidates: [cand("1", null, [], 4), cand("1", null, [], 6)], pool: [0, 1] }]);
    const rows = [...searchSampleTable(res, { problems: [{ id: "p", answer: 1 }] }).rows()];
    expect(rows.map((r) => [r.correct, r.completionTokens, r.score, r.stepScores])).toEqual([
      [true, 4, undefined, undefined],
      [true, 6, undefined, undefined],
    ]);
  });

  it("requires one problem per result, with distinct ids", () => {
    const res = result([{ candidates: [], pool: [] }, { candidates: [], pool: [] }]);
    expect(() => searchSampleTable(res, { problems: [{ id: "a", answer: 1 }] })).toThrow(InvalidArgumentError);
    expect(() => searchSampleTable(res, { problems: [{ id: "a", answer: 1 }, { id: "a", answer: 2 }] })).toThrow(/distinct ids/);
  });
});
