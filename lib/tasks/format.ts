import { requireArg } from "../core/errors.ts";
import { formatValue3, makeProblem, referenceValues, type ChainOp, type ChainOpKind, type ChainProblem } from "./chain-problem.ts";

/**
 * Text layout of a chain task (what a model reads and writes):
 *
 * ```
 * 347+5-8*7        ← prompt: the problem text, then a step separator
 * +5=352           ← one line per step: the op, its operand, `=`, the result (3 digits)
 * -8=344
 * *7=408
 * #408             ← answer line: `#` and the final result; then EOS
 * ```
 *
 * Each step line restates its op so it can be checked on its own, and every
 * result has three digits, so answers are all the same length.
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

/** One step line, e.g. `formatStep({ kind: "+", operand: 5 }, 352)` → `"+5=352"`. */
export function formatStep(op: ChainOp, result: number): string {
  return `${op.kind}${op.operand}=${formatValue3(result)}`;
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
 * formatSolution(p); // "+5=352\n-8=344\n*7=408\n#408"
 */
export function formatSolution(problem: ChainProblem): string {
  const values = referenceValues(problem);
  const lines = problem.ops.map((op, i) => formatStep(op, values[i] as number));
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
