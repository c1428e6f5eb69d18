import { applyOp, referenceValues, type ChainProblem } from "./chain-problem.ts";
import { extractAnswer } from "./extract-answer.ts";
import { formatAnswer, formatStep, STEP_SEPARATOR, unpairDigits } from "./format.ts";

/**
 * Verdict on one line of a completion:
 * - `ok`: exactly the reference line;
 * - `malformed`: not of the form `<op><operand>=<dddddd>` (step: six pair digits) or `#<ddd>` (answer);
 * - `wrong-op`: a well-formed step whose op or operand is not the problem's op at that step;
 * - `wrong-input`: the right op, but the restated input (the pairs' first digits) is not the value the
 *   previous line wrote (the start value for the first line): a copy error;
 * - `wrong-result`: any other step line that is not the reference one (an error carried forward from an
 *   earlier line included), or an answer line with a wrong value;
 * - `missing`: the completion ended before this line;
 * - `extra`: text after the answer line.
 */
export type LineStatus = "ok" | "malformed" | "wrong-op" | "wrong-input" | "wrong-result" | "missing" | "extra";

export interface LineVerdict {
  /** `step` lines (one per op), then the `answer` line, then at most one `extra` verdict for trailing text. */
  kind: "step" | "answer" | "extra";
  status: LineStatus;
  /** What the completion wrote on this line (undefined when missing). */
  text: string | undefined;
  /** The reference line (undefined for `extra`). */
  expected: string | undefined;
  /**
   * For a well-formed step line: whether it is right *given the previous
   * line's written result* (an error carried forward is not a new error): its
   * restated input equals that result and its result is the op applied to
   * it. False for other lines.
   */
  locallyCorrect: boolean;
}

export interface CheckStepsResult {
  /** One verdict per step line, then the answer line, then an `extra` verdict if text follows it. */
  lines: LineVerdict[];
  /**
   * Index into `lines` of the first line that is not `ok` (step i is line i;
   * the answer line is line `problem.ops.length`), or null when the whole
   * trace is right.
   */
  firstWrongStep: number | null;
  /** Number of leading step lines that are exactly right (0 … ops.length). */
  correctSteps: number;
  /** The answer the completion gave (see {@link extractAnswer}), if any. */
  answer: number | undefined;
  /** The true answer. */
  expectedAnswer: number;
  /** Whether the extracted answer equals the true answer (guessable alone; prefer `correct`). */
  answerCorrect: boolean;
  /** Every line right and nothing after the answer line: the whole trace checks. */
  correct: boolean;
}

const STEP_LINE_RE = /^([+\-*])(\d{3})=(\d{6})$/;

/**
 * Check a completion line by line against a problem's reference solution and
 * say which step first went wrong.
 *
 * @param completion - the text generated after the prompt, without BOS/EOS
 *   (one trailing step separator is tolerated)
 * @example
 * const p = parseProblem("347+5-8*7");
 * checkSteps(p, "+5=724533\n-8=255433\n*7=554134\n#415").firstWrongStep; // 1
 */
export function checkSteps(problem: ChainProblem, completion: string): CheckStepsResult {
  const values = referenceValues(problem);
  const body = completion.endsWith(STEP_SEPARATOR) ? completion.slice(0, -STEP_SEPARATOR.length) : completion;
  const written = body.length === 0 ? [] : body.split(STEP_SEPARATOR);
  const lines: LineVerdict[] = [];
  let previous: number | undefined = problem.start;
  let referenceInput = problem.start;

  problem.ops.forEach((op, i) => {
    const text = written[i];
    const expected = formatStep(referenceInput, op, values[i] as number);
    referenceInput = values[i] as number;
    const m = text === undefined ? null : STEP_LINE_RE.exec(text);
    let status: LineStatus;
    let locallyCorrect = false;
    const pair = m === null ? undefined : unpairDigits(m[3] as string);
    if (text === undefined) status = "missing";
    else if (m === null || pair === undefined) status = "malformed";
    else {
      const copiedFrom = previous ?? (i === 0 ? problem.start : (values[i - 1] as number));
      if (m[1] !== op.kind || Number(m[2]) !== op.operand) status = "wrong-op";
      else status = text === expected ? "ok" : pair.input !== copiedFrom ? "wrong-input" : "wrong-result";
      locallyCorrect = status !== "wrong-op" && previous !== undefined && pair.input === previous && pair.result === applyOp(previous, op);
    }
    previous = pair?.result;
    lines.push({ kind: "step", status, text, expected, locallyCorrect });
  });

  const expectedAnswer = values[values.length - 1] as number;
  const answerText = written[problem.ops.length];
  const answerLine = formatAnswer(expectedAnswer);
  const answerStatus: LineStatus =
    answerText === undefined ? "missing" : answerText === answerLine ? "ok" : /^#\d{3}$/.test(answerText) ? "wrong-result" : "malformed";
  lines.push({ kind: "answer", status: answerStatus, text: answerText, expected: answerLine, locallyCorrect: false });
  if (written.length > problem.ops.length + 1) {
    const text = written.slice(problem.ops.length + 1).join(STEP_SEPARATOR);
    lines.push({ kind: "extra", status: "extra", text, expected: undefined, locallyCorrect: false });
  }

  const first = lines.findIndex((l) => l.status !== "ok");
  const firstWrongStep = first === -1 ? null : first;
  const correctSteps = Math.min(firstWrongStep ?? problem.ops.length, problem.ops.length);
  const answer = extractAnswer(completion);
  return { lines, firstWrongStep, correctSteps, answer, expectedAnswer, answerCorrect: answer === expectedAnswer, correct: firstWrongStep === null };
}
