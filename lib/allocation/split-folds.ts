import { requireArg, requireEach } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";

/**
 * Split problems into two halves stratified by difficulty level: each level's
 * problems are shuffled and dealt half to each fold; a level with an odd count
 * gives its extra problem to the fold that is smaller so far (a coin flip on a
 * tie), so the folds differ in size by at most one. Each fold lists its
 * problems in input order.
 *
 * @param problems - problem ids (distinct)
 * @param levels - difficulty level of every problem (e.g. `estimateDifficulty(...).levels`)
 * @param rng - random source; the same seed gives the same folds
 * @returns the two folds
 * @throws InvalidArgumentError on repeated ids or a problem without a level
 * @example
 * splitFolds(["a", "b", "c", "d"], new Map([["a", 1], ["b", 1], ["c", 2], ["d", 2]]), rng(1)) // one of a/b and one of c/d in each fold
 * @see Snell et al. 2024, §3.2: strategies are selected on one half of the problems and evaluated on the other
 */
export function splitFolds(problems: readonly string[], levels: ReadonlyMap<string, number>, rng: Rng): [string[], string[]] {
  const fn = "splitFolds";
  requireArg(fn, new Set(problems).size === problems.length, "distinct problem ids", problems.length - new Set(problems).size + " repeated");
  const byLevel = new Map<number, number[]>();
  problems.forEach((p, i) => {
    const level = levels.get(p);
    requireEach(fn, level !== undefined, "a difficulty level for every problem", () => p);
    byLevel.set(level, [...(byLevel.get(level) ?? []), i]);
  });
  const fold = new Int8Array(problems.length);
  const size = [0, 0];
  for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
    const idx = rng.fork(`level-${level}`).shuffle([...(byLevel.get(level) as number[])]);
    const half = Math.floor(idx.length / 2);
    let extra = -1;
    if (idx.length % 2 === 1) extra = size[0] === size[1] ? rng.fork(`extra-${level}`).int(2) : (size[0] as number) < (size[1] as number) ? 0 : 1;
    idx.forEach((p, j) => {
      const f = j < half ? 0 : j < 2 * half ? 1 : extra;
      fold[p] = f;
      size[f]!++;
    });
  }
  return [problems.filter((_, i) => fold[i] === 0), problems.filter((_, i) => fold[i] === 1)];
}
