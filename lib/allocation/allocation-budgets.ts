import { requireArg } from "../core/errors.ts";
import type { OutcomeMatrix } from "./outcome-table.ts";

/** What a budget counts: generations (the rows' `budget`) or cost (the rows' `cost`, e.g. FLOPs from the ledger). */
export type AllocationAxis = "generations" | "cost";

/**
 * The budgets of a compute-optimal curve, ascending, checked against the table.
 * Generations: without `requested`, every strategy must have been run at the
 * same set of budgets (otherwise a strategy would silently drop out at some
 * budgets); with it, every strategy must have each requested budget. Cost:
 * `requested` is required (positive, finite) and the table must carry costs.
 *
 * @param fn - the calling function, for error messages
 * @param m - the validated table
 * @param axis - what a budget counts
 * @param requested - budgets asked for, any order (duplicates dropped)
 * @returns distinct budgets, ascending
 * @throws InvalidArgumentError on mismatched budgets across strategies, a requested budget some strategy lacks, a cost axis without costs or budgets, or budgets ≤ 0
 * @example
 * allocationBudgets("computeOptimal", outcomeMatrix("computeOptimal", rows), "generations", undefined) // e.g. [1, 4, 16]
 */
export function allocationBudgets(fn: string, m: OutcomeMatrix, axis: AllocationAxis, requested: readonly number[] | undefined): number[] {
  requireArg(fn, axis === "generations" || axis === "cost", 'axis "generations" or "cost"', axis);
  if (requested !== undefined) requireArg(fn, requested.length > 0 && requested.every((b) => Number.isFinite(b) && b > 0), "a non-empty list of finite budgets > 0", requested);
  const ascending = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);
  if (axis === "cost") {
    requireArg(fn, m.cost !== null, "a cost on every row for the cost axis", "rows without cost");
    requireArg(fn, requested !== undefined, "budgets for the cost axis", requested);
    return ascending(requested);
  }
  const byStrategy = new Map<string, Set<number>>();
  for (const c of m.configs) byStrategy.set(c.strategy, (byStrategy.get(c.strategy) ?? new Set()).add(c.budget));
  const grids = Object.fromEntries([...byStrategy].map(([s, b]) => [s, ascending(b)]));
  if (requested === undefined) {
    const same = new Set(Object.values(grids).map((g) => g.join(","))).size === 1;
    requireArg(fn, same, "every strategy run at the same budgets (or pass budgets to use a common subset)", grids);
    return ascending(m.configs.map((c) => c.budget));
  }
  const lacking = Object.entries(grids).filter(([, g]) => requested.some((b) => !g.includes(b)));
  requireArg(fn, lacking.length === 0, `every strategy run at each requested budget ${JSON.stringify(ascending(requested))}`, Object.fromEntries(lacking));
  return ascending(requested);
}
