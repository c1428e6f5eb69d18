import { requireArg, requireEach } from "../core/errors.ts";

/** Samples grouped by their extracted answer (missing answers kept apart: they never win a vote). */
export interface AnswerGroups {
  /** Distinct answers, in order of first appearance. */
  answers: string[];
  /** Group index per sample, or −1 for a missing answer. */
  groupOf: Int32Array;
  /** Number of samples per group. */
  sizes: number[];
  /** Whether each group's answer is correct. */
  correct: boolean[];
}

/**
 * Group samples by answer and check that correctness is a property of the
 * answer (two samples with the same answer cannot disagree on correctness).
 *
 * @throws InvalidArgumentError on mismatched lengths or inconsistent correctness
 */
export function groupAnswers(fn: string, answers: ArrayLike<string | null | undefined>, correct: ArrayLike<boolean | number>): AnswerGroups {
  const n = answers.length;
  requireArg(fn, correct.length === n, `correct of the same length as answers (${n})`, correct.length);
  const index = new Map<string, number>();
  const groupOf = new Int32Array(n);
  const names: string[] = [];
  const sizes: number[] = [];
  const rightOf: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const a = answers[i];
    if (a === null || a === undefined) {
      groupOf[i] = -1;
      continue;
    }
    let g = index.get(a);
    if (g === undefined) {
      g = names.length;
      index.set(a, g);
      names.push(a);
      sizes.push(0);
      rightOf.push(Boolean(correct[i]));
    }
    if (rightOf[g] !== Boolean(correct[i])) requireEach(fn, false, "samples with the same answer to agree on correctness", () => `answer ${JSON.stringify(a)} at index ${i}`);
    groupOf[i] = g;
    sizes[g] = (sizes[g] as number) + 1;
  }
  const groups: AnswerGroups = { answers: names, groupOf, sizes, correct: rightOf };
  return groups;
}

/**
 * The probability that a vote with these per-answer totals picks a correct
 * answer: the answers with the largest positive total tie, and a tie is broken
 * uniformly at random. 0 when no answer got a vote.
 */
export function voteCorrect(totals: ArrayLike<number>, correct: readonly boolean[]): number {
  let best = 0;
  let tied = 0;
  let tiedCorrect = 0;
  for (let g = 0; g < totals.length; g++) {
    const t = totals[g] as number;
    if (t <= 0) continue;
    if (t > best) {
      best = t;
      tied = 0;
      tiedCorrect = 0;
    }
    if (t === best) {
      tied++;
      if (correct[g]) tiedCorrect++;
    }
  }
  return tied === 0 ? 0 : tiedCorrect / tied;
}
