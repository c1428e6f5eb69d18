import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { MODULUS, levelSpec, type TaskSpec } from "./level.ts";

/** One operation of a chain: `+` and `−` add or subtract the operand, `*` multiplies by it (all modulo 1000). */
export type ChainOpKind = "+" | "-" | "*";

/** One step of a chain problem. */
export interface ChainOp {
  kind: ChainOpKind;
  /** A positive integer below {@link MODULUS}. */
  operand: number;
}

/**
 * A chained-arithmetic problem: start from `start`, apply `ops` left to right
 * modulo {@link MODULUS}. Its text is the start value (three digits) followed by
 * the ops, e.g. `"347+5-8*7"` means ((347 + 5) − 8) × 7 mod 1000 = 408.
 */
export interface ChainProblem {
  start: number;
  ops: readonly ChainOp[];
  /** The canonical problem text; also the key that assigns it to a split. */
  text: string;
}

/**
 * Draw one problem of a difficulty level.
 *
 * The start value is uniform on [0, 1000), so the answer is uniform too
 * (every op is a bijection modulo 1000). Draws exactly the random numbers it
 * needs from `rng`, so the same stream gives the same problems on every run.
 *
 * @param rng - the random source (advanced)
 * @param level - a level number 1 … 8 (see {@link LEVELS}) or a custom spec
 * @throws InvalidArgumentError for an unknown level or invalid spec
 * @example
 * const p = generateProblem(rng(1).fork("problems"), 3);
 * p.text; // e.g. "518+42-7+90-13"
 */
export function generateProblem(rng: Rng, level: number | TaskSpec): ChainProblem {
  const spec = levelSpec(level);
  const kinds: ChainOpKind[] = spec.multipliers.length > 0 ? ["+", "-", "*"] : ["+", "-"];
  const start = rng.int(MODULUS);
  const ops: ChainOp[] = [];
  for (let i = 0; i < spec.steps; i++) {
    const kind = kinds[rng.int(kinds.length)] as ChainOpKind;
    const operand = kind === "*" ? (spec.multipliers[rng.int(spec.multipliers.length)] as number) : 1 + rng.int(spec.maxOperand);
    ops.push({ kind, operand });
  }
  return makeProblem(start, ops);
}

/**
 * Build a problem from its parts (validated) and compute its canonical text.
 *
 * @throws InvalidArgumentError for a start outside [0, 1000), no ops, or an operand outside [1, 1000)
 */
export function makeProblem(start: number, ops: readonly ChainOp[]): ChainProblem {
  requireArg("makeProblem", Number.isInteger(start) && start >= 0 && start < MODULUS, `an integer start in 0..${MODULUS - 1}`, start);
  requireArg("makeProblem", ops.length >= 1, "at least one op", ops);
  for (const op of ops) {
    requireArg("makeProblem", op.kind === "+" || op.kind === "-" || op.kind === "*", 'op kinds "+", "-" or "*"', op);
    requireArg("makeProblem", Number.isInteger(op.operand) && op.operand >= 1 && op.operand < MODULUS, `integer operands in 1..${MODULUS - 1}`, op);
  }
  const text = formatValue3(start) + ops.map((op) => `${op.kind}${op.operand}`).join("");
  return { start, ops: ops.map((op) => ({ ...op })), text };
}

/** Apply one op to a value modulo {@link MODULUS}; the result is in [0, 1000). */
export function applyOp(value: number, op: ChainOp): number {
  const raw = op.kind === "+" ? value + op.operand : op.kind === "-" ? value - op.operand : value * op.operand;
  return ((raw % MODULUS) + MODULUS) % MODULUS;
}

/**
 * The true intermediate results of a problem, one per op; the last is the answer.
 *
 * @example
 * referenceValues(makeProblem(347, [{ kind: "+", operand: 5 }, { kind: "*", operand: 7 }])); // [352, 464]
 */
export function referenceValues(problem: ChainProblem): number[] {
  const out: number[] = [];
  let value = problem.start;
  for (const op of problem.ops) {
    value = applyOp(value, op);
    out.push(value);
  }
  return out;
}

/** A value in [0, 1000) written with exactly three digits: 7 → `"007"`. */
export function formatValue3(value: number): string {
  return String(value).padStart(3, "0");
}
