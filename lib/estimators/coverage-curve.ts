import { requireArg } from "../core/errors.ts";
import { passAtK } from "./pass-at-k.ts";

/** Per-problem sample counts: n drawn, c correct. */
export interface ProblemCounts {
  n: number;
  c: number;
}

/**
 * Coverage (mean pass@k over problems) at each budget in `ks`, exact.
 *
 * Problems that share the same n (the usual case: N samples per problem) are
 * done together: for each k, one pass over i = n, n−1, … builds the running
 * product ∏_{i=n−c+1}^{n} (1 − k/i), so each problem costs O(1) per k and the
 * whole curve O(distinct n × |ks| × n + problems × |ks|). The absolute error
 * per problem is below c·1.2e-16 (≈ 1e-12 at n = 10⁴, 1e-10 at n = 10⁶); use
 * {@link passAtK} when a tiny pass@k must be accurate in relative terms.
 *
 * @param source - one `{ n, c }` per problem, or a `SampleTable` (its `counts()`)
 * @param ks - budgets; each must satisfy 1 ≤ k ≤ n for every problem
 * @returns coverage per k, in the order of `ks`
 * @throws InvalidArgumentError for an empty problem list or a k outside [1, n] of some problem
 * @example
 * coverageCurve([{ n: 10, c: 1 }, { n: 10, c: 0 }], [1, 10]) // Float64Array [0.05, 0.5]
 * @see Chen et al. 2021, eq. 1; Brown et al. 2024 (Large Language Monkeys), coverage = mean pass@k
 */
export function coverageCurve(source: readonly ProblemCounts[] | { counts(): ProblemCounts[] }, ks: readonly number[]): Float64Array {
  const counts = "counts" in source && typeof source.counts === "function" ? source.counts() : (source as readonly ProblemCounts[]);
  requireArg("coverageCurve", counts.length > 0, "at least one problem", 0);
  const byN = new Map<number, number[]>();
  for (const [p, { n, c }] of counts.entries()) {
    requireArg("coverageCurve", Number.isSafeInteger(n) && n >= 1 && Number.isSafeInteger(c) && c >= 0 && c <= n, "counts with 0 <= c <= n", { problem: p, n, c });
    const list = byN.get(n) ?? [];
    list.push(c);
    byN.set(n, list);
  }
  const minN = Math.min(...byN.keys());
  const out = new Float64Array(ks.length);
  for (const [ki, k] of ks.entries()) {
    requireArg("coverageCurve", Number.isSafeInteger(k) && k >= 1 && k <= minN, `every k in [1, smallest n = ${minN}]`, k);
    let total = 0;
    for (const [n, cs] of byN) {
      if (cs.length < 4) {
        for (const c of cs) total += passAtK(n, c, k);
        continue;
      }
      // fail[c] = ∏_{i=n−c+1}^{n} (1 − k/i) for c = 0 … min(n − k, largest c here), by running product
      // (plain multiplications: relative error ≲ c·2⁻⁵³; an underflow to 0 means pass@k = 1 to double precision).
      // Beyond n − k every draw of k contains a correct sample.
      let maxC = 0;
      for (const c of cs) if (c > maxC) maxC = c;
      const top = Math.min(n - k, maxC);
      const fail = new Float64Array(top + 1);
      fail[0] = 1;
      for (let c = 1; c <= top; c++) fail[c] = (fail[c - 1] as number) * (1 - k / (n - c + 1));
      for (const c of cs) total += c > n - k ? 1 : 1 - (fail[c] as number);
    }
    out[ki] = total / counts.length;
  }
  return out;
}
