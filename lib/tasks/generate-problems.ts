import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { generateProblem, type ChainProblem } from "./chain-problem.ts";
import type { TaskSpec } from "./level.ts";
import { splitOf, type TaskSplit } from "./split.ts";

export interface GenerateProblemsOptions {
  /** Random source; forked once per entry of `level`, so appending a level does not shift the others. */
  rng: Rng;
  /** A level number (1 … 8), a custom spec, or a list of them to cycle through (problem i gets `levels[i % levels.length]`). */
  level: number | TaskSpec | readonly (number | TaskSpec)[];
  /** How many problems to return. */
  count: number;
  /** Keep only problems of this split (default `"train"`); see {@link splitOf}. */
  split?: TaskSplit;
  /** Drop repeated problem texts (default true). */
  unique?: boolean;
}

/**
 * Draw `count` problems of one split. Problems of the other split are drawn
 * and discarded (rejection by the hash of the text), so a train set and a test
 * set never share a problem, whatever their seeds.
 *
 * @throws InvalidArgumentError for a non-integer or negative count, an empty
 *   level list, an unknown level, or when the level's problem space is too
 *   small to supply `count` unique problems
 * @example
 * const train = generateProblems({ rng: rng(1).fork("train"), level: 3, count: 1000 });
 * const test = generateProblems({ rng: rng(1).fork("test"), level: 3, count: 200, split: "test" });
 */
export function generateProblems(options: GenerateProblemsOptions): ChainProblem[] {
  const { rng, count } = options;
  const split = options.split ?? "train";
  const unique = options.unique ?? true;
  const levels = Array.isArray(options.level) ? options.level : [options.level as number | TaskSpec];
  requireArg("generateProblems", Number.isSafeInteger(count) && count >= 0, "a non-negative integer count", count);
  requireArg("generateProblems", levels.length > 0, "at least one level", options.level);
  requireArg("generateProblems", split === "train" || split === "test", 'split "train" or "test"', split);

  const streams = levels.map((_, i) => rng.fork(`slot-${i}`));
  const seen = new Set<string>();
  const out: ChainProblem[] = [];
  // Generous cap on draws: test problems are ~10% of texts, duplicates rare except at tiny specs.
  const maxDraws = 100 * count + 1000;
  let draws = 0;
  while (out.length < count) {
    const slot = out.length % levels.length;
    const problem = generateProblem(streams[slot] as Rng, levels[slot] as number | TaskSpec);
    draws++;
    requireArg("generateProblems", draws <= maxDraws, `a level with at least ${count} distinct ${split} problems`, options.level);
    if (splitOf(problem.text) !== split) continue;
    if (unique) {
      if (seen.has(problem.text)) continue;
      seen.add(problem.text);
    }
    out.push(problem);
  }
  return out;
}
