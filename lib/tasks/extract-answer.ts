import { ANSWER_MARK, STEP_SEPARATOR } from "./format.ts";

const ANSWER_LINE_RE = /^#(\d{3})$/;

/**
 * The answer a completion commits to: the value on its first answer line
 * (`#` and exactly three digits). This is what majority voting counts; grade
 * with {@link isCorrect}, which checks the whole trace.
 *
 * @param completion - the text generated after the prompt
 * @returns the answer in [0, 1000), or undefined when no line is an answer line
 * @example
 * extractAnswer("+5=724533\n#352"); // 352
 * extractAnswer("+5=724533\n#35");  // undefined
 */
export function extractAnswer(completion: string): number | undefined {
  if (!completion.includes(ANSWER_MARK)) return undefined;
  for (const line of completion.split(STEP_SEPARATOR)) {
    const m = ANSWER_LINE_RE.exec(line);
    if (m !== null) return Number(m[1]);
  }
  return undefined;
}
