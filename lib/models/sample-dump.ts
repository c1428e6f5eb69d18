import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { SampleTable } from "../data/sample-table.ts";
import { SampleTableBuilder } from "../data/sample-table-builder.ts";
import { scoreCompletions, samplePolicy } from "../rewards/reward-recipe.ts";
import { completionLines } from "../rewards/step-labels.ts";
import { formatValue3, referenceValues } from "../tasks/chain-problem.ts";
import { extractAnswer } from "../tasks/extract-answer.ts";
import { generateProblems } from "../tasks/generate-problems.ts";
import { isCorrect } from "../tasks/is-correct.ts";
import { LEVELS } from "../tasks/level.ts";
import type { Transformer } from "./transformer.ts";

/** Options of {@link tinySampleDump}. */
export interface TinySampleDumpOptions {
  policy: Transformer;
  /** Levels to draw held-out (test-split) problems from (default all). */
  levels?: readonly number[];
  /** Problems per level. */
  problemsPerLevel: number;
  /** Samples per problem. */
  n: number;
  /** Sampling temperature (default 1). */
  temperature?: number;
  rng: Rng;
  /** Process reward model: adds `stepScores` (one per line) to every sample. */
  prm?: Transformer;
  /** Outcome reward model: adds `score` to every sample. */
  orm?: Transformer;
  /** Sequences per generate call (default 256). */
  maxBatch?: number;
  /** Called after each level with (level, samples so far). */
  onProgress?: (level: number, samples: number) => void;
}

/**
 * Sample a tiny policy on held-out chain problems and return the graded
 * dump as a {@link SampleTable}: problem id (`L<level>-<index>`), sample
 * index, extracted answer (three digits, or null), exact-trace correctness,
 * completion tokens (EOS included when written), tokens per line, the ORM's
 * score and the PRM's per-line scores when those models are given, and per
 * problem the ground truth and level. Every offline estimator runs on it.
 *
 * Problems come from `generateProblems(rng.fork("problems/level-L"), split "test")`
 * and sample j of problem i draws from its own stream, so the dump does not
 * depend on batching.
 *
 * @throws InvalidArgumentError on bad counts or levels
 * @example
 * const table = tinySampleDump({ policy, problemsPerLevel: 50, n: 16, rng: rng(1), prm });
 */
export function tinySampleDump(options: TinySampleDumpOptions): SampleTable {
  const levels = options.levels ?? LEVELS.map((_, i) => i + 1);
  const { problemsPerLevel, n } = options;
  requireArg("tinySampleDump", Number.isSafeInteger(problemsPerLevel) && problemsPerLevel >= 1, "a positive integer problemsPerLevel", problemsPerLevel);
  requireArg("tinySampleDump", Number.isSafeInteger(n) && n >= 1, "a positive integer n", n);
  requireArg("tinySampleDump", levels.length > 0 && levels.every((l) => Number.isInteger(l) && l >= 1 && l <= LEVELS.length), `levels in 1..${LEVELS.length}`, levels);
  const builder = new SampleTableBuilder();
  for (const level of levels) {
    const problems = generateProblems({ rng: options.rng.fork(`problems/level-${level}`), level, count: problemsPerLevel, split: "test" });
    const sampled = samplePolicy(options.policy, problems.map((problem) => ({ problem, level })), n, options.temperature ?? 1, options.rng.fork(`samples/level-${level}`), options.maxBatch);
    const prm = options.prm === undefined ? undefined : scoreCompletions(options.prm, "prm", sampled);
    const orm = options.orm === undefined ? undefined : scoreCompletions(options.orm, "orm", sampled);
    sampled.forEach((s, k) => {
      const [i, j] = [Math.floor(k / n), k % n];
      const answer = extractAnswer(s.completion);
      const lines = completionLines(s.completion);
      const truth = referenceValues(s.problem).at(-1) as number;
      builder.add({
        problem: `L${level}-${i}`,
        sample: j,
        answer: answer === undefined ? null : formatValue3(answer),
        correct: isCorrect(s.problem, s.completion),
        completionTokens: s.tokens,
        stepTokens: lines.map((l) => l.length),
        ...(orm ? { score: (orm[k] as number[])[0] as number } : {}),
        ...(prm ? { stepScores: prm[k] as number[] } : {}),
        groundTruth: formatValue3(truth),
        level,
      });
    });
    options.onProgress?.(level, builder.size);
  }
  return builder.build();
}
