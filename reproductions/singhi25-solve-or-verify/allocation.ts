/** Compute-matched views of an accuracy surface: the best (S, V) for a budget S·(1 + λV), and budget crossings. */

/** The best GenRM configuration affordable at one budget. */
export interface Allocation {
  /** Mean success of the best configuration. */
  success: number;
  solutions: number;
  verifications: number;
  /** Its cost S·(1 + λV), in solution units (≤ the budget). */
  cost: number;
}

/**
 * For each budget C, the (S, V) with S·(1 + λV) ≤ C and the highest success; `null` where not even
 * S = V = 1 is affordable (C < 1 + λ). Ties go to the cheaper configuration, then to more solutions.
 *
 * @param surface - success at `surface[(V − 1)·maxS + (S − 1)]`
 * @param lambda - verification tokens / solution tokens
 * @see FORMULAS.md "Solve vs verify budget"
 */
export function bestAllocations(surface: ArrayLike<number>, maxS: number, maxV: number, lambda: number, budgets: readonly number[]): (Allocation | null)[] {
  const configs: Allocation[] = [];
  for (let v = 1; v <= maxV; v++) {
    for (let s = 1; s <= maxS; s++) {
      configs.push({ success: surface[(v - 1) * maxS + (s - 1)] as number, solutions: s, verifications: v, cost: s * (1 + lambda * v) });
    }
  }
  configs.sort((a, b) => a.cost - b.cost || b.solutions - a.solutions);
  return budgets.map((c) => {
    let best: Allocation | null = null;
    for (const cfg of configs) {
      if (cfg.cost > c * (1 + 1e-12)) break;
      if (best === null || cfg.success > best.success) best = cfg;
    }
    return best;
  });
}

/**
 * The budget at which a curve first reaches `target`, interpolating linearly in log budget between
 * the grid points that bracket the crossing; `null` if it never does.
 */
export function firstBudgetReaching(budgets: readonly number[], values: readonly (number | null)[], target: number): number | null {
  let prev: { c: number; y: number } | null = null;
  for (let i = 0; i < budgets.length; i++) {
    const y = values[i];
    const c = budgets[i] as number;
    if (y === null || y === undefined) continue;
    if (y >= target) {
      if (prev === null) return c;
      const t = (target - prev.y) / (y - prev.y);
      return Math.exp(Math.log(prev.c) + t * (Math.log(c) - Math.log(prev.c)));
    }
    prev = { c, y };
  }
  return null;
}
