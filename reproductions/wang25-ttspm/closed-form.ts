/**
 * TTSPM's closed forms (Wang et al. 2025, §3), per problem and averaged over problems.
 *
 * Parallel: N independent samples, each right with probability p; the chance that at least one is
 * right ("Hit@N") is 1 − (1 − p)^N. Sequential: a two-state chain — wrong → right with probability r
 * per round, right → wrong with probability d (TTSPM: d = 0, right is absorbing) — started right
 * with probability p: F(N) = A + (p − A)·(1 − r − d)^(N−1), A = r/(r + d) (A = 1 when d = 0).
 * Both are one structure, F(N) = A − (A − F(1))·q^(N−1): a ceiling approached geometrically.
 */

/** Mean over problems of 1 − (1 − p_i)^N, for N = 1…maxN (index N − 1). */
export function parallelHit(ps: readonly number[], maxN: number): number[] {
  return Array.from({ length: maxN }, (_, k) => ps.reduce((s, p) => s + 1 - Math.pow(1 - p, k + 1), 0) / ps.length);
}

/** Mean over problems of the sequential chain's accuracy after N rounds, N = 1…maxN. */
export function sequentialAccuracy(ps: readonly number[], rethink: number, breakRate: number, maxN: number): number[] {
  return Array.from({ length: maxN }, (_, k) => ps.reduce((s, p) => {
    const r = rethink * p;
    const ceiling = r + breakRate > 0 ? r / (r + breakRate) : p;
    return s + ceiling + (p - ceiling) * Math.pow(1 - r - breakRate, k);
  }, 0) / ps.length);
}

/**
 * The saturation budget: the smallest N whose next unit of budget gains less than ε,
 * F(N + 1) − F(N) < ε (the first N if the curve starts flat); `null` if no N < curve length qualifies.
 * For a single problem with parallel sampling this is ⌈ln(ε/p)/ln(1 − p)⌉ (F(N+1) − F(N) = p(1 − p)^N).
 */
export function saturationBudget(curve: readonly number[], epsilon: number): number | null {
  for (let i = 0; i + 1 < curve.length; i++) if ((curve[i + 1] as number) - (curve[i] as number) < epsilon) return i + 1;
  return null;
}

/**
 * The homogeneous reading: one success rate x for every problem, F(N) = 1 − (1 − x)^N, saturating at
 * N* = ⌈ln(ε/x)/ln(1 − x)⌉ (the smallest N with x(1 − x)^N < ε); 1 when x ≤ ε already at N = 1.
 */
export function homogeneousSaturation(x: number, epsilon: number): number {
  if (x <= 0 || x >= 1) return 1;
  return Math.max(1, Math.ceil(Math.log(epsilon / x) / Math.log(1 - x)));
}
