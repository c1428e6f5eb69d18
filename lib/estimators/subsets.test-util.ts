/** Test helper: every k-subset of {0, …, n−1}, as index arrays (for exhaustive references). */
export function* subsets(n: number, k: number): Generator<number[]> {
  const pick: number[] = [];
  function* rec(start: number): Generator<number[]> {
    if (pick.length === k) {
      yield [...pick];
      return;
    }
    for (let i = start; i <= n - (k - pick.length); i++) {
      pick.push(i);
      yield* rec(i + 1);
      pick.pop();
    }
  }
  yield* rec(0);
}

/** Mean of f over all k-subsets. */
export function subsetMean(n: number, k: number, f: (s: number[]) => number): number {
  let total = 0;
  let count = 0;
  for (const s of subsets(n, k)) {
    total += f(s);
    count++;
  }
  return total / count;
}
