import type { Rng } from "../../lib/core/rng.ts";

/**
 * Simulate sequential refinement: for each problem, `chains` independent chains of `maxN` rounds.
 * Round 1 is a fresh answer, right with probability p; afterwards a wrong answer becomes right with
 * probability rethink·p and a right one wrong with probability breakRate. Returns the mean accuracy
 * after N rounds, N = 1…maxN (index N − 1), over problems and chains.
 *
 * @param ps - each problem's latent single-sample success probability
 * @param rng - one stream; each problem forks its own (`problem-<i>`)
 */
export function simulateSequential(ps: readonly number[], chains: number, rethink: number, breakRate: number, maxN: number, rng: Rng): number[] {
  const right = new Float64Array(maxN);
  ps.forEach((p, i) => {
    const r = rng.fork(`problem-${i}`);
    const fix = rethink * p;
    for (let c = 0; c < chains; c++) {
      let ok = r.next() < p;
      for (let n = 0; n < maxN; n++) {
        if (n > 0) ok = ok ? !(breakRate > 0 && r.next() < breakRate) : r.next() < fix;
        if (ok) right[n]! += 1;
      }
    }
  });
  const total = ps.length * chains;
  return Array.from(right, (x) => x / total);
}
