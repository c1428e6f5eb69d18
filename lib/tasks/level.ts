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
 * The difficulty levels, easiest first (`LEVELS[0]` is level 1). Three knobs
 * grow together so accuracy degrades gradually rather than falling off a cliff
 * at one chain length: the number of steps (errors compound per step), the
 * operand size (operand digits join the pair arithmetic: more carries per
 * step), and `×` steps (by 3 first, then 3, 7 or 9: the hardest single step,
 * whose carries reach 2 … 8 and are not visible in the previous pair).
 *
 * | level | steps | operands | ops         | solution chars | tokens (BOS…EOS) |
 * |-------|-------|----------|-------------|----------------|------------------|
 * | 1     | 2     | 1–9      | + −         | 28             | 82               |
 * | 2     | 3     | 1–9      | + −         | 40             | 94               |
 * | 3     | 4     | 1–99     | + −         | 52             | 106              |
 * | 4     | 6     | 1–99     | + −         | 76             | 130              |
 * | 5     | 8     | 1–999    | + −         | 100            | 154              |
 * | 6     | 8     | 1–999    | + − ×3      | 100            | 154              |
 * | 7     | 10    | 1–999    | + − ×3,7,9  | 124            | 178              |
 * | 8     | 12    | 1–999    | + − ×3,7,9  | 148            | 202              |
 *
 * Solution chars: steps × 12 + 4 (step lines like `+012=724533` and their
 * separators, then the answer line `#345`; BOS/EOS excluded). Every prompt of
 * these levels is 52 characters (start, {@link PROMPT_SLOTS} op slots,
 * separator), so a model that trains on every level needs `maxLen` ≥ 201.
 * Where a model's cliff falls elsewhere, pass a custom {@link TaskSpec}
 * instead of a level number.
 *
 * How the layout was found (probes on this 2-core CPU, 2-layer d-48 policy
 * ≈ 62k parameters, batch 32, lr 3e-3): with the result written most
 * significant first (`+5=352`), reversed (`+5=253`) or with the input
 * restated (`743+5=253`) the model learned the layout but not the units
 * digit's addition; with digit pairs it did (greedy exact-trace pass@1
 * .21 / .40 / .13 / .09 / 0 at 2 / 3 / 4 / 6 / 8 steps after 4 minutes on
 * chains of 2–8 steps). Trained on 2-step problems alone it learned them
 * completely in one minute (loss 6e-4), but on a mix of lengths it stalled
 * (8.5 minutes, 5.5M tokens: pass@1 0.015 on 2 steps) because, with prompts
 * of varying length, the position of op i depended on the number of steps.
 * Hence the slotted prompt and fixed-width operands of {@link formatPrompt}.
 */
export const LEVELS: readonly TaskSpec[] = [
  { steps: 2, maxOperand: 9, multipliers: [] },
  { steps: 3, maxOperand: 9, multipliers: [] },
  { steps: 4, maxOperand: 99, multipliers: [] },
  { steps: 6, maxOperand: 99, multipliers: [] },
  { steps: 8, maxOperand: 999, multipliers: [] },
  { steps: 8, maxOperand: 999, multipliers: [3] },
  { steps: 10, maxOperand: 999, multipliers: UNIT_MULTIPLIERS },
  { steps: 12, maxOperand: 999, multipliers: UNIT_MULTIPLIERS },
];

/** Longest sequence (BOS … EOS, in tokens) of any problem of the {@link LEVELS}: a policy trained on every level needs `maxLen` ≥ this − 1. */
export const LEVELS_MAX_TOKENS = 202;

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
