import { SampleTable } from "../data/sample-table.ts";
import type { SimProblem } from "./world.ts";

/**
 * Pack simulated problems into a {@link SampleTable} (answers, correctness,
 * outcome scores, completion tokens, ground truth), so every offline analysis
 * and writer (JSONL, CSV, Parquet) works on simulated dumps too.
 *
 * @param problems - from `simulateWorld`
 * @returns a validated table, one row per sample, problems in order
 */
export function simToSampleTable(problems: readonly SimProblem[]): SampleTable {
  const offsets = new Uint32Array(problems.length + 1);
  problems.forEach((p, i) => (offsets[i + 1] = (offsets[i] as number) + p.correct.length));
  const n = offsets[problems.length] as number;
  const sample = new Uint32Array(n);
  const correct = new Uint8Array(n);
  const score = new Float64Array(n);
  const completionTokens = new Uint32Array(n);
  const answer: (string | null)[] = new Array(n);
  problems.forEach((p, i) => {
    const o = offsets[i] as number;
    correct.set(p.correct, o);
    score.set(p.scores, o);
    completionTokens.set(p.tokens, o);
    for (let s = 0; s < p.correct.length; s++) {
      sample[o + s] = s;
      answer[o + s] = p.answers[s] ?? null;
    }
  });
  return new SampleTable({
    problemIds: problems.map((p) => p.id),
    offsets,
    sample,
    answer,
    correct,
    score,
    completionTokens,
    groundTruth: problems.map((p) => p.truth),
  });
}
