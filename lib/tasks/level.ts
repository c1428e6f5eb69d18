import { requireArg } from "../core/errors.ts";

/**
 * Every value in a chain task lives modulo this base: intermediate results and
 * answers are integers in [0, 1000), always written with three digits.
 *
 * Why 1000 and not 10 or 97: the answer space is large (a blind guess is right
 * 1 time in 1000), reducing modulo 1000 is just "drop the thousands digit"
 * (no long division for a tiny model to learn), and `+`, `−` and `×` by a unit
 * are bijections modulo 1000, so answers stay uniform and never collapse to a
 * constant the way `×0` (or `×2` then `×5`) would.
 */
export const MODULUS = 1000;

/** Multipliers allowed in `×` steps: the units modulo 1000 below 10 (not 1). */
export const UNIT_MULTIPLIERS: readonly number[] = [3, 7, 9];

/** The shape of the problems at one difficulty level. */
export interface TaskSpec {
  /** Number of operations after the start value; one solution line each. */
  steps: number;
  /** `+` and `−` operands are uniform integers in [1, maxOperand]. */
  maxOperand: number;
  /**
   * Multipliers for `×` steps (each must be a unit modulo {@link MODULUS},
   * i.e. odd and not a multiple of 5, and ≥ 2). Empty: no `×` steps. When
   * non-empty, each step is `+`, `−` or `×` with probability 1/3 each;
   * otherwise `+` or `−` with probability 1/2.
   */
  multipliers: readonly number[];
}

/**
 * The difficulty levels, easiest first (`LEVELS[0]` is level 1). Two knobs
 * grow together so accuracy degrades gradually rather than falling off a cliff
 * at one chain length: the number of steps (errors compound per step) and the
 * operand size (more digits, more carries per step); the top levels add `×` by
 * 3, 7 or 9, the hardest single step.
 *
 * | level | steps | operands | ops   | solution chars (max) |
 * |-------|-------|----------|-------|----------------------|
 * | 1     | 2     | 1–9      | + −   | 18                   |
 * | 2     | 3     | 1–9      | + −   | 25                   |
 * | 3     | 4     | 1–99     | + −   | 36                   |
 * | 4     | 6     | 1–99     | + −   | 52                   |
 * | 5     | 8     | 1–999    | + −   | 76                   |
 * | 6     | 10    | 1–999    | + − × | 94                   |
 * | 7     | 14    | 1–999    | + − × | 130                  |
 * | 8     | 20    | 1–999    | + − × | 184                  |
 *
 * Solution chars: the longest reference solution (step lines like `+12=345`,
 * the answer line `#345`, separators; BOS/EOS excluded), i.e.
 * steps × (operand digits + 6) + 4. Where a model's cliff falls
 * elsewhere, pass a custom {@link TaskSpec} instead of a level number.
 */
export const LEVELS: readonly TaskSpec[] = [
  { steps: 2, maxOperand: 9, multipliers: [] },
  { steps: 3, maxOperand: 9, multipliers: [] },
  { steps: 4, maxOperand: 99, multipliers: [] },
  { steps: 6, maxOperand: 99, multipliers: [] },
  { steps: 8, maxOperand: 999, multipliers: [] },
  { steps: 10, maxOperand: 999, multipliers: UNIT_MULTIPLIERS },
  { steps: 14, maxOperand: 999, multipliers: UNIT_MULTIPLIERS },
  { steps: 20, maxOperand: 999, multipliers: UNIT_MULTIPLIERS },
];

/** Most steps a spec may have (keeps sequences within a tiny model's context). */
export const MAX_STEPS = 64;

/**
 * Resolve a level number (1 … `LEVELS.length`) or a custom spec to a validated
 * {@link TaskSpec}.
 *
 * @throws InvalidArgumentError for an unknown level number or an invalid spec
 * @example
 * levelSpec(1); // { steps: 2, maxOperand: 9, multipliers: [] }
 */
export function levelSpec(level: number | TaskSpec): TaskSpec {
  if (typeof level === "number") {
    requireArg("levelSpec", Number.isInteger(level) && level >= 1 && level <= LEVELS.length, `a level in 1..${LEVELS.length}`, level);
    return LEVELS[level - 1] as TaskSpec;
  }
  const { steps, maxOperand, multipliers } = level;
  requireArg("levelSpec", Number.isInteger(steps) && steps >= 1 && steps <= MAX_STEPS, `integer steps in 1..${MAX_STEPS}`, steps);
  requireArg("levelSpec", Number.isInteger(maxOperand) && maxOperand >= 1 && maxOperand < MODULUS, `integer maxOperand in 1..${MODULUS - 1}`, maxOperand);
  requireArg(
    "levelSpec",
    Array.isArray(multipliers) && multipliers.every((m) => Number.isInteger(m) && m >= 2 && m < MODULUS && m % 2 !== 0 && m % 5 !== 0),
    "multipliers that are units modulo 1000 (odd, not a multiple of 5, in 2..999)",
    multipliers,
  );
  return level;
}
