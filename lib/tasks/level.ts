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
 * | level | steps | operands | ops         | solution chars (max) | tokens (max, BOS…EOS) |
 * |-------|-------|----------|-------------|----------------------|-----------------------|
 * | 1     | 2     | 1–9      | + −         | 24                   | 34                    |
 * | 2     | 3     | 1–9      | + −         | 34                   | 46                    |
 * | 3     | 4     | 1–99     | + −         | 48                   | 66                    |
 * | 4     | 6     | 1–99     | + −         | 70                   | 94                    |
 * | 5     | 8     | 1–999    | + −         | 100                  | 138                   |
 * | 6     | 8     | 1–999    | + − ×3      | 100                  | 138                   |
 * | 7     | 10    | 1–999    | + − ×3,7,9  | 124                  | 170                   |
 * | 8     | 16    | 1–999    | + − ×3,7,9  | 196                  | 266                   |
 *
 * Solution chars: the longest reference solution (step lines like
 * `+12=724533`, the answer line `#345`, separators; BOS/EOS excluded), i.e.
 * steps × (operand digits + 9) + 4; a model that trains on every level needs
 * `maxLen` ≥ 272. Where a model's cliff falls elsewhere, pass a custom
 * {@link TaskSpec} instead of a level number.
 *
 * Why this layout (probes on this 2-core CPU, 2-layer d-48 policy ≈ 62k
 * parameters, batch 32, lr 3e-3, 4 minutes ≈ 1,700–2,000 steps, trained on
 * chains of 2–8 steps with operands 1–9; greedy exact-trace pass@1 on 100
 * held-out problems at 2 / 3 / 4 / 6 / 8 steps):
 *
 * | step line for 347+5  | pass@1 at 2 / 3 / 4 / 6 / 8 steps | correct leading steps |
 * |----------------------|-----------------------------------|-----------------------|
 * | `+5=352` (old)       | 0 everywhere (10 minutes, levels 1–5 of the old table, 3,250 steps) | — |
 * | `+5=253` reversed    | .01 / 0 / 0 / 0 / 0               | 3% / 2% / 3% / 2% / 1% |
 * | `743+5=253` restated | 0 / 0 / 0 / 0 / 0                 | 5% / 3% / 3% / 1% / 1% |
 * | `+5=724533` pairs    | .21 / .40 / .13 / .09 / 0         | 61% / 55% / 45% / 32% / 22% |
 *
 * (A reversed, zero-padded operand, `+500=253`, did not even learn to copy
 * the ops in 3 minutes.) In the first three the model learned the layout and
 * copying the tens and hundreds digits but not the units digit's addition;
 * with pairs the units digit is a function of the digit just written and an
 * operand digit at a fixed distance, and its loss kept falling (0.13
 * nats/token at 4 minutes). Answers stay three digits (1,000 possible, uniform).
 * Learning is a phase change, not a slope: the pair probe's loss sat at ≈ 1.3
 * for 600 steps, then fell to 0.6 within 200. A 34.5k policy (2 × 32) on the
 * full mix of these levels (recipe `policy-30k`, schedule shortened to 900
 * steps, 3.5 minutes) was still on that plateau (loss 1.32, pass@1 0 at every
 * level): the full recipes (2,400–3,000 steps) are not yet verified.
 */
export const LEVELS: readonly TaskSpec[] = [
  { steps: 2, maxOperand: 9, multipliers: [] },
  { steps: 3, maxOperand: 9, multipliers: [] },
  { steps: 4, maxOperand: 99, multipliers: [] },
  { steps: 6, maxOperand: 99, multipliers: [] },
  { steps: 8, maxOperand: 999, multipliers: [] },
  { steps: 8, maxOperand: 999, multipliers: [3] },
  { steps: 10, maxOperand: 999, multipliers: UNIT_MULTIPLIERS },
  { steps: 16, maxOperand: 999, multipliers: UNIT_MULTIPLIERS },
];

/** Longest sequence (BOS … EOS, in tokens) of any problem of the {@link LEVELS}: a policy trained on every level needs `maxLen` ≥ this − 1. */
export const LEVELS_MAX_TOKENS = 266;

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
