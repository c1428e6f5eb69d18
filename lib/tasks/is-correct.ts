import type { ChainProblem } from "./chain-problem.ts";
import { checkSteps } from "./check-steps.ts";
import { formatSolution } from "./format.ts";

/**
 * Grade a completion: true only when every step line and the answer line are
 * exactly the reference ones and nothing follows (one trailing step separator
 * is tolerated). A guessed answer with a wrong trace is wrong.
 *
 * @param completion - the text generated after the prompt, without BOS/EOS
 * @example
 * isCorrect(p, formatSolution(p)); // true
 */
export function isCorrect(problem: ChainProblem, completion: string): boolean {
  return checkSteps(problem, completion).correct;
}

/**
 * Whether a partial completion (possibly ending mid-line) is still a prefix of
 * the reference solution: the exact-checker label for early rejection and for
 * scoring partial steps.
 *
 * @example
 * isCorrectPrefix(p, "+5=7245"); // true when the first step line starts with these pairs
 */
export function isCorrectPrefix(problem: ChainProblem, partial: string): boolean {
  return formatSolution(problem).startsWith(partial);
}
