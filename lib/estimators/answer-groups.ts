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
  const groups: AnswerGroups = { answers: [], groupOf: new Int32Array(n), sizes: [], correct: [] };
  for (let i = 0; i < n; i++) {
    const a = answers[i];
    if (a === null || a === undefined) {
      groups.groupOf[i] = -1;
      continue;
    }
    let g = index.get(a);
    if (g === undefined) {
      g = groups.answers.length;
      index.set(a, g);
      groups.answers.push(a);
      groups.sizes.push(0);
      groups.correct.push(Boolean(correct[i]));
    }
    requireEach(fn, groups.correct[g] === Boolean(correct[i]), "samples with the same answer to agree on correctness", () => `answer ${JSON.stringify(a)} at index ${i}`);
    groups.groupOf[i] = g;
    groups.sizes[g] = (groups.sizes[g] as number) + 1;
  }
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
