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
 * product ∏_{i=n−c+1}^{n} (1 − k/i) into one reused buffer, up to the largest c
 * and no further than where it underflows to 0, so each problem costs O(1) per k
 * and the whole curve O(distinct n × |ks| × n + problems × |ks|). The absolute error
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
  for (let p = 0; p < counts.length; p++) {
    const { n, c } = counts[p] as ProblemCounts;
    if (!(Number.isSafeInteger(n) && n >= 1 && Number.isSafeInteger(c) && c >= 0 && c <= n)) requireArg("coverageCurve", false, "counts with 0 <= c <= n", { problem: p, n, c });
    const list = byN.get(n);
    if (list) list.push(c);
    else byN.set(n, [c]);
  }
  let minN = Infinity;
  for (const n of byN.keys()) minN = Math.min(minN, n);
  for (const k of ks) requireArg("coverageCurve", Number.isSafeInteger(k) && k >= 1 && k <= minN, `every k in [1, smallest n = ${minN}]`, k);
  const out = new Float64Array(ks.length);
  // One buffer for every (n, k): fail[c] = ∏_{i=n−c+1}^{n} (1 − k/i), filled only as far as needed.
  let buffer = new Float64Array(0);
  for (let ki = 0; ki < ks.length; ki++) {
    const k = ks[ki] as number;
    let total = 0;
    for (const [n, cs] of byN) {
      if (cs.length < 4) {
        for (const c of cs) total += passAtK(n, c, k);
        continue;
      }
      // Running product over c = 1 … min(n − k, largest c here) (plain multiplications: relative error ≲ c·2⁻⁵³).
      // Once it underflows to 0 it stays 0 (pass@k = 1 to double precision), so the loop stops there;
      // beyond n − k every draw of k contains a correct sample.
      let maxC = 0;
      for (const c of cs) if (c > maxC) maxC = c;
      const top = Math.min(n - k, maxC);
      if (buffer.length < top + 1) buffer = new Float64Array(Math.max(top + 1, 2 * buffer.length));
      const fail = buffer;
      fail[0] = 1;
      let last = top; // fail[c] is 0 for c > last
      let v = 1;
      for (let c = 1; c <= top; c++) {
        v *= 1 - k / (n - c + 1);
        fail[c] = v;
        if (v === 0) {
          last = c;
          break;
        }
      }
      for (const c of cs) total += c > last ? 1 : 1 - (fail[c] as number);
    }
    out[ki] = total / counts.length;
  }
  return out;
}
