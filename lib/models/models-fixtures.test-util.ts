// Test fixtures for lib/models (not exported from the package).
import { rng } from "../core/rng.ts";
import { encodeExample } from "../tasks/encode-example.ts";
import { generateProblems } from "../tasks/generate-problems.ts";
import type { TrainExample } from "./batch.ts";
import type { TransformerConfig } from "./transformer-config.ts";

/** A very small config for fast tests (≈ 9k parameters). */
export const TINY: TransformerConfig = { vocabSize: 20, dModel: 24, layers: 2, heads: 4, dFF: 64, maxLen: 96 };

/** Level-`level` training examples (train split), deterministic. */
export function chainExamples(level: number, count: number, seed = 1): TrainExample[] {
  return generateProblems({ rng: rng(seed).fork(`level-${level}`), level, count }).map((p) => encodeExample(p));
}

/** Index of the largest value in `xs[offset … offset + n)` (lowest on ties). */
export function argmax(xs: ArrayLike<number>, offset = 0, n = xs.length - offset): number {
  let best = 0;
  for (let i = 1; i < n; i++) if ((xs[offset + i] as number) > (xs[offset + best] as number)) best = i;
  return best;
}
