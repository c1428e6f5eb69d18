/**
 * The content of the last `\boxed{...}` (or `\fbox{...}`) in a completion,
 * braces matched, or `null` when there is none or it is unclosed. This is the
 * usual final-answer convention of MATH-style prompts (search-and-learn's
 * `extract_answer` also takes the last boxed expression); pass your own
 * extractor to the importers for other conventions.
 *
 * @param text - a completion
 * @returns the boxed answer, trimmed, or `null`
 * @example
 * extractBoxed("so x = \\boxed{\\frac{1}{2}}.") // "\\frac{1}{2}"
 */
export function extractBoxed(text: string): string | null {
  const start = Math.max(text.lastIndexOf("\\boxed{"), text.lastIndexOf("\\fbox{"));
  if (start < 0) return null;
  const open = text.indexOf("{", start);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return text.slice(open + 1, i).trim();
  }
  return null;
}

/**
 * A light normalisation of a math answer for string comparison: drops
 * whitespace, `$`, `\!`, `\left`/`\right`, a trailing period, and turns
 * `\dfrac`/`\tfrac` into `\frac`. Not a symbolic equivalence check: for
 * grading as the papers did (e.g. search-and-learn's sympy-based canonical
 * form), pass `isCorrect` to the importer.
 *
 * @param answer - an extracted answer
 * @returns the normalised string
 */
export function normalizeAnswer(answer: string): string {
  return answer
    .replace(/\\left|\\right|\\!|\$|\s+/g, "")
    .replace(/\\[dt]frac/g, "\\frac")
    .replace(/\.$/, "");
}
