/** The train/test splits of the task family. */
export type TaskSplit = "train" | "test";

/**
 * Fraction of all possible problem texts that belong to the held-out test
 * split. Fixed (not an option) so that every generator, in every run, agrees
 * on which problems are held out.
 */
export const TEST_FRACTION = 0.1;

/** Salt mixed into the hash; changing it would reshuffle the splits. */
const SPLIT_SALT = "ttc-lab/tasks/split/v1:";

/**
 * The split a problem belongs to, decided by hashing its canonical text (not
 * by the seed that drew it), so a problem is in the same split whichever
 * generator, seed or level produced it, and train and test never overlap.
 *
 * @param text - a problem's canonical text (`ChainProblem.text`)
 * @returns `"test"` for about {@link TEST_FRACTION} of texts, else `"train"`
 * @example
 * splitOf("347+5-8*7"); // always the same answer
 */
export function splitOf(text: string): TaskSplit {
  return hashText(SPLIT_SALT + text) / 2 ** 32 < TEST_FRACTION ? "test" : "train";
}

/**
 * 32-bit FNV-1a hash of a string's UTF-16 code units, finished with a
 * murmur3-style avalanche so nearby texts land far apart.
 *
 * @returns an unsigned 32-bit integer
 */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
