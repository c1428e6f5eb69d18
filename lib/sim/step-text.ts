import { requireArg, requireEach } from "../core/errors.ts";

/**
 * The text format of the step-wise simulated world. Tokens are words
 * separated by single spaces, plus the step separator `"\n"`, which is a token
 * of its own. A step of length ℓ is its head `v<value>.<nonce>/<ℓ>`, ℓ − 2
 * filler tokens `f`, and either `"\n"` or — on a solution's last step — the
 * answer token `answer=<a>`. Everything after the head follows from the head,
 * so a step cut after τ tokens continues the same way whoever continues it.
 */
export interface SimStepHead {
  /** The value this step computes; right when it equals the hidden chain's. */
  value: number;
  /** Random tag that makes samples distinct. */
  nonce: string;
  /** Tokens in the step, separator or answer included (≥ 2). */
  length: number;
}

/** The separator between steps. */
export const SIM_STEP_SEPARATOR = "\n";

const HEAD_RE = /^v(\d+)\.([0-9a-z]+)\/(\d+)$/;

/** The head token of a step. */
export function headToken(h: SimStepHead): string {
  return `v${h.value}.${h.nonce}/${h.length}`;
}

/** The ℓ tokens of a step: head, fillers, then `"\n"` or (last step) `answer=<answer>`. */
export function stepTokens(h: SimStepHead, answer: string | null): string[] {
  return [headToken(h), ...Array.from({ length: h.length - 2 }, () => "f"), answer === null ? SIM_STEP_SEPARATOR : `answer=${answer}`];
}

/** Text of tokens `from..to−1` of a step (a space before every word but the head; none before `"\n"`). */
export function renderTokens(tokens: readonly string[], from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) {
    const t = tokens[i] as string;
    s += i === 0 || t === SIM_STEP_SEPARATOR ? t : ` ${t}`;
  }
  return s;
}

/**
 * Tokens of `text` in the simulated world: words plus newlines.
 * @example
 * countSimTokens("v12.k9/4 f f\n"); // 4
 */
export function countSimTokens(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (c === 10) n++;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/**
 * The answer a simulated solution commits to (its `answer=` token), or null.
 * @example
 * extractSimAnswer("v5.a/3 f answer=9"); // "9"
 */
export function extractSimAnswer(text: string): string | null {
  const at = text.lastIndexOf("answer=");
  if (at < 0) return null;
  const rest = text.slice(at + 7);
  const end = rest.search(/\s/);
  const a = end < 0 ? rest : rest.slice(0, end);
  return a === "" ? null : a;
}

/** One step of a parsed solution. */
export interface ParsedSimStep {
  head: SimStepHead;
  /** Tokens of it present in the text. */
  tokens: number;
  /** All ℓ tokens are present. */
  complete: boolean;
  /** The answer, when this is a last step that got to its answer token. */
  answer: string | null;
}

/**
 * Parse a solution (the text after the prompt) into steps; the last one may be partial.
 * @throws InvalidArgumentError when a step does not start with a head token or is longer than its head says
 * @example
 * parseSimSolution("v12.k9/4 f f\nv5.a/3")[1]; // { head: { value: 5, nonce: "a", length: 3 }, tokens: 1, complete: false, answer: null }
 */
export function parseSimSolution(text: string): ParsedSimStep[] {
  const pieces = text.split(SIM_STEP_SEPARATOR);
  const steps: ParsedSimStep[] = [];
  pieces.forEach((piece, i) => {
    const ended = i < pieces.length - 1;
    if (piece === "") {
      requireArg("parseSimSolution", !ended, "no empty steps", text);
      return;
    }
    const words = piece.split(" ");
    const m = HEAD_RE.exec(words[0] as string);
    requireEach("parseSimSolution", m !== null, "each step to start with a head token v<value>.<nonce>/<length>", () => `${JSON.stringify(piece)} at step ${i}`);
    const head = { value: Number(m[1]), nonce: m[2] as string, length: Number(m[3]) };
    const tokens = words.length + (ended ? 1 : 0);
    requireEach("parseSimSolution", tokens <= head.length, "steps no longer than their head says", () => `${JSON.stringify(piece)} at step ${i}`);
    const last = words[words.length - 1] as string;
    const answer = last.startsWith("answer=") ? last.slice(7) : null;
    steps.push({ head, tokens, complete: tokens === head.length, answer });
  });
  return steps;
}
