import { extractBoxed } from "../data/extract-boxed.ts";

/**
 * The final answer of a MATH- or GSM8K-style solution: the last `\boxed{…}`
 * (MATH, and most instruction-tuned models), else the text after the last
 * `#### ` (GSM8K's format), else `null`.
 *
 * @param text - a completion or a reference solution
 * @returns the raw answer, trimmed, or `null`
 * @example
 * extractMathAnswer("… so \\boxed{\\frac{1}{2}}."); // "\\frac{1}{2}"
 * extractMathAnswer("… 6 * 12 = 72\n#### 72");     // "72"
 */
export function extractMathAnswer(text: string): string | null {
  const boxed = extractBoxed(text);
  if (boxed !== null) return boxed;
  const at = text.lastIndexOf("####");
  if (at < 0) return null;
  const line = text.slice(at + 4).split("\n")[0]?.trim() ?? "";
  return line === "" ? null : line;
}

/** An exact rational `num / den`, `den > 0`, in lowest terms. */
export interface Rational {
  num: bigint;
  den: bigint;
}

/**
 * Clean a LaTeX answer for comparison: drops `$`, `\left`/`\right`, spacing
 * commands (`\!`, `\,`, `\;`, `\:`, `\ `), whitespace, `\text{…}` and
 * `\mbox{…}` wrappers (keeping their content), degree marks, `\%` / `%`,
 * `\$`, a trailing period, a leading `x=`-style variable, thousands commas
 * (`1,000`) and a leading `+`; turns `\dfrac`/`\tfrac` into `\frac`.
 *
 * @param answer - an extracted answer
 * @returns the cleaned string
 */
export function cleanMathAnswer(answer: string): string {
  let s = answer
    .replace(/\\(?:text|textbf|mbox|mathrm)\{([^{}]*)\}/g, "$1")
    .replace(/\\%|%|\\\$/g, "")
    .replace(/\\left|\\right|\\[!,;: ]|\$|\s+/g, "")
    .replace(/\^\{?\\circ\}?|°/g, "")
    .replace(/\\[dt]frac/g, "\\frac")
    .replace(/\.$/, "");
  if (/^[a-zA-Z]=./.test(s)) s = s.slice(2);
  while (/\d,\d{3}(?!\d)/.test(s)) s = s.replace(/(\d),(\d{3})(?!\d)/, "$1$2");
  return s.replace(/^\+/, "");
}

/**
 * The exact value of a numeric answer (after {@link cleanMathAnswer}):
 * integers, decimals (`2.50`, `.5`), `a/b`, `\frac{a}{b}`, `\frac12`, with a
 * sign in front or inside; `null` for anything else.
 *
 * @param cleaned - a cleaned answer
 * @returns the value in lowest terms, or `null`
 * @example
 * parseRational("\\frac{-6}{4}"); // { num: -3n, den: 2n }
 */
export function parseRational(cleaned: string): Rational | null {
  const frac = /^([+-]?)\\frac(?:\{([^{}]+)\}|(\d))(?:\{([^{}]+)\}|(\d))$/.exec(cleaned);
  const slash = /^([+-]?)([^/]+)\/([^/]+)$/.exec(cleaned);
  if (frac || slash) {
    const m = (frac ?? slash) as RegExpExecArray;
    const a = decimal(frac ? (m[2] ?? m[3] ?? "") : (m[2] as string));
    const b = decimal(frac ? (m[4] ?? m[5] ?? "") : (m[3] as string));
    if (a === null || b === null || b.num === 0n) return null;
    return reduce((m[1] === "-" ? -1n : 1n) * a.num * b.den, a.den * b.num);
  }
  return decimal(cleaned);
}

function decimal(s: string): Rational | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  const num = BigInt((m[2] || "0") + frac) * (m[1] === "-" ? -1n : 1n);
  return reduce(num, 10n ** BigInt(frac.length));
}

function reduce(num: bigint, den: bigint): Rational {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  let a = num < 0n ? -num : num;
  let b = den;
  while (b !== 0n) [a, b] = [b, a % b];
  const g = a === 0n ? den : a;
  return { num: num / g, den: den / g };
}

/**
 * A canonical key for an answer, so that equal answers vote together: the
 * exact value for numbers (`"42"`, `"-3/2"`), else the cleaned string.
 *
 * @param answer - an extracted answer
 * @returns the key
 * @example
 * normalizeMathAnswer("\\dfrac{2}{4}"); // "1/2"
 * normalizeMathAnswer("1,000.0");       // "1000"
 */
export function normalizeMathAnswer(answer: string): string {
  const cleaned = cleanMathAnswer(answer);
  const r = parseRational(cleaned);
  if (r === null) return cleaned;
  return r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`;
}

/**
 * Whether two answers are the same: equal cleaned strings, or equal exact
 * values. Not a symbolic check (`\sqrt{8}` ≠ `2\sqrt{2}`).
 *
 * @example
 * mathAnswersEqual("0.5", "\\frac{1}{2}"); // true
 * mathAnswersEqual("50\\%", "50");         // true
 */
export function mathAnswersEqual(a: string, b: string): boolean {
  return normalizeMathAnswer(a) === normalizeMathAnswer(b);
}

/** What {@link gradeMathAnswer} found. */
export interface MathGrade {
  /** The completion's answer as a canonical key ({@link normalizeMathAnswer}), or `null` when it has none. */
  answer: string | null;
  correct: boolean;
}

/**
 * Grade a completion against a ground truth that is either a bare answer or a
 * reference solution (`\boxed{…}` or `#### …` in it).
 *
 * @param completion - the model's text
 * @param groundTruth - the reference answer or solution
 * @returns the completion's answer key and whether it is correct
 * @example
 * gradeMathAnswer("… so the total is \\boxed{1,200}.", "1200"); // { answer: "1200", correct: true }
 */
export function gradeMathAnswer(completion: string, groundTruth: string): MathGrade {
  const raw = extractMathAnswer(completion);
  if (raw === null) return { answer: null, correct: false };
  const answer = normalizeMathAnswer(raw);
  return { answer, correct: answer === normalizeMathAnswer(extractMathAnswer(groundTruth) ?? groundTruth) };
}
