import { requireArg } from "../core/errors.ts";
import { formatValue3, makeProblem, referenceValues, type ChainOp, type ChainOpKind, type ChainProblem } from "./chain-problem.ts";

/**
 * Text layout of a chain task (what a model reads and writes):
 *
 * ```
 * 347+005-008*007.....… ← prompt: start, ops with 3-digit operands, `.` filler up to
 *                         PROMPT_SLOTS ops, then a step separator
 * +005=724533           ← one line per step: the op, its operand, `=`, then digit pairs
 * -008=245433           ←   (input digit, result digit), least significant first:
 * *007=484034           ←   `72 45 33` is 347 → 352, read right to left
 * #408                  ← answer line: `#` and the final result (most significant first); then EOS
 * ```
 *
 * Why fixed widths everywhere (the "slotted" prompt): with operands always
 * three digits and the prompt always {@link PROMPT_SLOTS} ops long, step line
 * i starts at the same position for every problem and its operand sits at the
 * same position of the prompt, so a transformer with learned absolute
 * positions finds what it must copy by position alone. With variable-length
 * prompts (the previous layout) the 62k policy learned 2-step problems alone
 * in one minute (loss 6e-4) but, trained on a mix of 2–16 steps for 8.5
 * minutes (5.5M tokens), never learned even the units digit of a 2-step
 * problem (pass@1 0.015): where op i lives depended on the number of steps.
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
/** Filler for unused op slots of the prompt. */
export const SLOT_FILLER = ".";
/** Op slots every prompt is padded to (longer chains use as many slots as steps). */
export const PROMPT_SLOTS = 12;

/**
 * The prompt for a problem: the start value, each op with its operand padded
 * to three digits, four {@link SLOT_FILLER}s per unused slot up to
 * {@link PROMPT_SLOTS}, and a step separator.
 *
 * @example
 * formatPrompt(p); // "347+005-008*007" + ".".repeat(36) + "\n"
 */
export function formatPrompt(problem: ChainProblem): string {
  const ops = problem.ops.map((op) => op.kind + formatValue3(op.operand)).join("");
  const unused = Math.max(0, PROMPT_SLOTS - problem.ops.length);
  return formatValue3(problem.start) + ops + SLOT_FILLER.repeat(4 * unused) + STEP_SEPARATOR;
}

/**
 * One step line: op, operand, `=`, then the pairs (input digit, result digit)
 * for the units, tens and hundreds.
 *
 * @param input - the value the step starts from (the previous result, or the start value)
 * @example
 * formatStep(347, { kind: "+", operand: 5 }, 352); // "+005=724533"
 */
export function formatStep(input: number, op: ChainOp, result: number): string {
  const [a, b] = [formatValue3(input), formatValue3(result)];
  let pairs = "";
  for (let j = 2; j >= 0; j--) pairs += (a.charAt(j) + b.charAt(j));
  return `${op.kind}${formatValue3(op.operand)}=${pairs}`;
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
 * formatSolution(p); // "+005=724533\n-008=245433\n*007=484034\n#408"
 */
export function formatSolution(problem: ChainProblem): string {
  const values = referenceValues(problem);
  const lines = problem.ops.map((op, i) => formatStep(i === 0 ? problem.start : (values[i - 1] as number), op, values[i] as number));
  lines.push(formatAnswer(values[values.length - 1] as number));
  return lines.join(STEP_SEPARATOR);
}

const PROBLEM_RE = /^(\d{3})((?:[+\-*][1-9]\d{0,2})+)$/;
const OP_RE = /([+\-*])([1-9]\d{0,2})/g;
const PROMPT_RE = /^(\d{3})((?:[+\-*]\d{3})+)(\.*)$/;
const PADDED_OP_RE = /([+\-*])(\d{3})/g;

/**
 * Parse a problem text or a prompt back into a problem. Two forms parse: the
 * canonical text (a three-digit start, then ops with operands in 1..999
 * written without leading zeros, e.g. `347+5-8*7`) and the prompt
 * {@link formatPrompt} writes (three-digit operands, exactly the filler it
 * pads with); either may end with one step separator.
 *
 * @throws InvalidArgumentError when the text is neither form
 * @example
 * parseProblem("347+5-8*7\n").ops.length; // 3
 * parseProblem(formatPrompt(p)); // equals p
 */
export function parseProblem(text: string): ChainProblem {
  const body = text.endsWith(STEP_SEPARATOR) ? text.slice(0, -STEP_SEPARATOR.length) : text;
  const canonical = PROBLEM_RE.exec(body);
  if (canonical !== null) {
    const ops: ChainOp[] = [];
    for (const [, kind, operand] of (canonical[2] as string).matchAll(OP_RE)) ops.push({ kind: kind as ChainOpKind, operand: Number(operand) });
    return makeProblem(Number(canonical[1]), ops);
  }
  const padded = PROMPT_RE.exec(body);
  const ops: ChainOp[] = [];
  if (padded !== null) for (const [, kind, operand] of (padded[2] as string).matchAll(PADDED_OP_RE)) ops.push({ kind: kind as ChainOpKind, operand: Number(operand) });
  const fillerOk = padded !== null && (padded[3] as string).length === 4 * Math.max(0, PROMPT_SLOTS - ops.length);
  requireArg("parseProblem", fillerOk && ops.every((op) => op.operand >= 1), 'a problem text like "347+5-8*7" or its prompt "347+005-008*007…"', text);
  return makeProblem(Number((padded as RegExpExecArray)[1]), ops);
}
