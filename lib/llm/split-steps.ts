/**
 * The steps of a solution: its text split at `separator`, without the
 * separators; a trailing separator does not start an empty step, and an
 * empty solution has no steps. A partial last step (no separator yet) is a
 * step, so a verifier scores it too.
 *
 * @param solution - text after the prompt
 * @param separator - the policy's step separator, non-empty
 * @returns the steps, in order
 * @example
 * splitSteps("a\nb\n", "\n"); // ["a", "b"]
 * splitSteps("a\nb", "\n");   // ["a", "b"]
 * splitSteps("", "\n");       // []
 */
export function splitSteps(solution: string, separator: string): string[] {
  if (solution === "") return [];
  const parts = solution.split(separator);
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}
