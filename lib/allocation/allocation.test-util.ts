import type { OutcomeRow } from "./outcome-table.ts";

/**
 * Rows from a compact table: `outcomes[strategy][budget]` is a string of 0/1,
 * one character per problem in `problems` order; `costs[strategy]` (optional)
 * is the cost of every row of that strategy times its budget.
 */
export function rowsFrom(problems: readonly string[], outcomes: Record<string, Record<number, string>>, costs: Record<string, number> = {}): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  for (const [strategy, byBudget] of Object.entries(outcomes)) {
    for (const [budget, bits] of Object.entries(byBudget)) {
      problems.forEach((problem, i) => {
        const row: OutcomeRow = { problem, strategy, budget: Number(budget), correct: Number(bits[i]) };
        if (costs[strategy] !== undefined) row.cost = (costs[strategy] as number) * Number(budget);
        rows.push(row);
      });
    }
  }
  return rows;
}

/**
 * The 2-fold protocol written out plainly from the rows (the reference the
 * implementation is checked against): for each budget, each training fold and
 * each level, the strategy with the best training mean at that budget (first
 * in the table on ties) is scored on the other fold's problems of that level;
 * the two folds' held-out accuracies are averaged.
 */
export function referenceComputeOptimal(rows: readonly OutcomeRow[], levels: ReadonlyMap<string, number>, folds: readonly [readonly string[], readonly string[]], budget: number): number {
  const at = rows.filter((r) => r.budget === budget);
  const strategies = [...new Set(at.map((r) => r.strategy))];
  const outcome = (s: string, p: string) => (at.find((r) => r.strategy === s && r.problem === p) as OutcomeRow).correct;
  const accs = [0, 1].map((f) => {
    const train = folds[f] as readonly string[];
    const test = folds[1 - f] as readonly string[];
    let right = 0;
    for (const level of new Set(test.map((p) => levels.get(p)))) {
      const tr = train.filter((p) => levels.get(p) === level);
      let best = strategies[0] as string;
      for (const s of strategies) if (tr.reduce((a, p) => a + outcome(s, p), 0) > tr.reduce((a, p) => a + outcome(best, p), 0)) best = s;
      for (const p of test) if (levels.get(p) === level) right += outcome(best, p);
    }
    return right / test.length;
  });
  return (accs[0]! + accs[1]!) / 2;
}
