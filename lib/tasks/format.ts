import { requireArg } from "../core/errors.ts";
import { formatValue3, makeProblem, referenceValues, type ChainOp, type ChainOpKind, type ChainProblem } from "./chain-problem.ts";

/**
 * Text layout of a chain task (what a model reads and writes):
 *
 * ```
 * 347+5-8*7        ← prompt: the problem text, then a step separator
 * +5=724533        ← one line per step: the op, its operand, `=`, then digit pairs
 * -8=245433        ←   (input digit, result digit), least significant first:
 * *7=484034        ←   `72 45 33` is 347 → 352, read right to left
 * #408             ← answer line: `#` and the final result (most significant first); then EOS
 * ```
 *
 * Why digit pairs, least significant first (the "paired-digit scratch"): a
 * step line holds its own input — the previous result, restated digit by
 * digit — interleaved with its result, so every result digit is a *local*
 * function: result digit j depends on the input digit just written, the
 * operand digit j (always at the same distance before the pair: the operand
 * ends right before `=`) and the carry, which the pair just before it shows
 * (for `+`, result digit < input digit means a carry). A 60k-parameter,
 * 2-layer transformer learns this in minutes on one CPU core; with results
 * written most significant first (`+5=352`) the same model, trained ten
 * minutes, learned the layout but not one correct 3-digit step (the carry
 * has to be known before the first digit is written), and restating the
 * input as a whole number (`743+5=253`) or writing results reversed
 * (`+5=253`) still left the units digit unlearned after four minutes.
 * Probe numbers are in {@link LEVELS}' documentation.
 *
 * Each step line restates its op, so it can be checked on its own, and every
 * line has six digits, so values are always three digits (answers too).
 */
export const STEP_SEPARATOR = "\n";
/** First character of the answer line. */
export const ANSWER_MARK = "#";

/**
 * The prompt for a problem: its text and a step separator.
 *
 * @example
 * formatPrompt(p); // "347+5-8*7\n"
 */
export function formatPrompt(problem: ChainProblem): string {
  return problem.text + STEP_SEPARATOR;
}

/**
 * One step line: op, operand, `=`, then the pairs (input digit, result digit)
 * for the units, tens and hundreds.
 *
 * @param input - the value the step starts from (the previous result, or the start value)
 * @example
 * formatStep(347, { kind: "+", operand: 5 }, 352); // "+5=724533"
 */
export function formatStep(input: number, op: ChainOp, result: number): string {
  const [a, b] = [formatValue3(input), formatValue3(result)];
  let pairs = "";
  for (let j = 2; j >= 0; j--) pairs += (a.charAt(j) + b.charAt(j));
  return `${op.kind}${op.operand}=${pairs}`;
}

/**
 * Read the six pair digits of a step line back into its input and result
 * (the inverse of the tail of {@link formatStep}).
 *
 * @param pairs - exactly six digits
 * @example
 * unpairDigits("724533"); // { input: 347, result: 352 }
 */
export function unpairDigits(pairs: string): { input: number; result: number } {
  requireArg("unpairDigits", /^\d{6}$/.test(pairs), "six digits", pairs);
  const d = (i: number) => pairs.charAt(i);
  return { input: Number(d(4) + d(2) + d(0)), result: Number(d(5) + d(3) + d(1)) };
}

/** The answer line, e.g. `formatAnswer(8)` → `"#008"`. */
export function formatAnswer(answer: number): string {
  return ANSWER_MARK + formatValue3(answer);
}

/**
 * The reference solution: every step line, then the answer line, joined by
 * step separators (no trailing separator; the model ends it with EOS).
 *
 * @example
 * formatSolution(p); // "+5=724533\n-8=245433\n*7=484034\n#408"
 */
export function formatSolution(problem: ChainProblem): string {
  const values = referenceValues(problem);
  const lines = problem.ops.map((op, i) => formatStep(i === 0 ? problem.start : (values[i - 1] as number), op, values[i] as number));
  lines.push(formatAnswer(values[values.length - 1] as number));
  return lines.join(STEP_SEPARATOR);
}

const PROBLEM_RE = /^(\d{3})((?:[+\-*][1-9]\d{0,2})+)$/;
const OP_RE = /([+\-*])([1-9]\d{0,2})/g;

/**
 * Parse a problem text (or a prompt: one trailing step separator is allowed)
 * back into a problem. Only canonical texts parse: a three-digit start, then
 * ops with operands in 1..999 written without leading zeros.
 *
 * @throws InvalidArgumentError when the text is not a canonical problem
 * @example
 * parseProblem("347+5-8*7\n").ops.length; // 3
 */
export function parseProblem(text: string): ChainProblem {
  const body = text.endsWith(STEP_SEPARATOR) ? text.slice(0, -STEP_SEPARATOR.length) : text;
  const m = PROBLEM_RE.exec(body);
  requireArg("parseProblem", m !== null, "a problem text like \"347+5-8*7\"", text);
  const ops: ChainOp[] = [];
  for (const [, kind, operand] of (m[2] as string).matchAll(OP_RE)) ops.push({ kind: kind as ChainOpKind, operand: Number(operand) });
  return makeProblem(Number(m[1]), ops);
}
