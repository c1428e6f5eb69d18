import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { subsetMean } from "./subsets.test-util.ts";
import { drawHypergeometric, hypergeometric, LogGammaTable } from "./hypergeometric.ts";
import { majorityAtK } from "./majority-at-k.ts";

/** Reference: mean over every k-subset of P(vote picks a correct answer), ties split uniformly, missing answers not voting. */
function majorityReference(answers: (string | null)[], correct: boolean[], k: number, weights?: number[]): number {
  return subsetMean(answers.length, k, (s) => {
    const totals = new Map<string, number>();
    for (const i of s) {
      const a = answers[i];
      if (a === null || a === undefined) continue;
      totals.set(a, (totals.get(a) ?? 0) + (weights ? weights[i]! : 1));
    }
    const best = Math.max(0, ...totals.values());
    if (best <= 0) return 0;
    const top = [...totals.entries()].filter(([, t]) => t === best).map(([a]) => a);
    const right = top.filter((a) => correct[answers.indexOf(a)]).length;
    return right / top.length;
  });
}

function randomCase(r: ReturnType<typeof rng>, n: number) {
  const pool = ["1", "2", "3", "4"];
  const answers = Array.from({ length: n }, () => (r.next() < 0.15 ? null : pool[r.int(1 + r.int(4))]!));
  const correct = answers.map((a) => a === "1");
  return { answers, correct };
}

describe("majorityAtK", () => {
  it("exact path equals exhaustive enumeration over k-subsets, with ties and missing answers, N ≤ 12", () => {
    const r = rng("maj");
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + r.int(12);
      const { answers, correct } = randomCase(r, n);
      for (let k = 1; k <= n; k++) {
        const res = majorityAtK(answers, correct, k);
        expect(res.method).toBe("exact");
        expect(Math.abs(res.value - majorityReference(answers, correct, k))).toBeLessThan(1e-12);
      }
    }
  });

  it("weighted exact path equals enumeration", () => {
    const r = rng("wmaj");
    for (let trial = 0; trial < 25; trial++) {
      const n = 2 + r.int(9);
      const { answers, correct } = randomCase(r, n);
      const weights = answers.map(() => r.int(3) / 2); // ties in weighted totals happen
      for (let k = 1; k <= n; k++) {
        const res = majorityAtK(answers, correct, k, { weights });
        expect(Math.abs(res.value - majorityReference(answers, correct, k, weights))).toBeLessThan(1e-12);
      }
    }
  });

  it("Monte Carlo agrees with the exact value within 4 standard errors (unweighted and weighted)", () => {
    const r = rng("mc-case");
    const { answers, correct } = randomCase(r, 60);
    const weights = answers.map(() => r.next());
    for (const k of [5, 15, 31]) {
      const exact = majorityAtK(answers, correct, k);
      expect(exact.method).toBe("exact"); // few answers → few count vectors
      const mc = majorityAtK(answers, correct, k, { exactLimit: 1, rng: rng(`mc-${k}`), samples: 20_000 });
      expect(mc.method).toBe("monte-carlo");
      expect(mc.stderr).toBeGreaterThan(0);
      expect(Math.abs(mc.value - exact.value)).toBeLessThan(4 * mc.stderr + 1e-9);
      const wmc = majorityAtK(answers.slice(0, 12), correct.slice(0, 12), 5, { weights: weights.slice(0, 12), exactLimit: 1, rng: rng(`w-${k}`), samples: 20_000 });
      const wex = majorityAtK(answers.slice(0, 12), correct.slice(0, 12), 5, { weights: weights.slice(0, 12) });
      expect(Math.abs(wmc.value - wex.value)).toBeLessThan(4 * wmc.stderr + 1e-9);
    }
  });

  it("weighted exact path handles k = N without recursion (N = 20,000 would overflow a recursive enumeration)", () => {
    const n = 20_000;
    const answers = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 3 === 0 ? "right" : "wrong"));
    const correct = answers.map((a) => a === "right");
    // "right" is on ~26.7% of samples, "wrong" on ~53.3%; weight "right" 3× so it wins the full-set vote
    const weights = answers.map((a) => (a === "right" ? 3 : 1));
    const res = majorityAtK(answers, correct, n, { weights });
    expect(res).toEqual({ value: 1, stderr: 0, method: "exact", evaluations: 1 });
  });

  it("is deterministic for a seed, and says what is wrong with bad input", () => {
    const { answers, correct } = randomCase(rng(2), 40);
    const a = majorityAtK(answers, correct, 20, { exactLimit: 1, rng: rng(9), samples: 500 });
    const b = majorityAtK(answers, correct, 20, { exactLimit: 1, rng: rng(9), samples: 500 });
    expect(a).toEqual(b);
    expect(() => majorityAtK(answers, correct, 20, { exactLimit: 1 })).toThrow(/majorityAtK requires an rng option/);
    expect(() => majorityAtK(["a", "a"], [true, false], 1)).toThrow('majorityAtK requires samples with the same answer to agree on correctness, got "answer \\"a\\" at index 1"');
    expect(() => majorityAtK(["a"], [true], 2)).toThrow("majorityAtK requires an integer k with 1 <= k <= N (N = 1), got 2");
    expect(() => majorityAtK(["a", "b"], [true, false], 1, { weights: [1, -1] })).toThrow('majorityAtK requires finite weights >= 0, got "-1 at index 1"');
  });
});

describe("hypergeometric", () => {
  it("matches the exact pmf (chi-square over the support, 40k draws) and stays in its support", () => {
    const [N, K, n] = [50, 18, 20];
    const r = rng("hg");
    const counts = new Map<number, number>();
    const draws = 40_000;
    for (let t = 0; t < draws; t++) {
      const x = hypergeometric(N, K, n, r);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    const choose = (a: number, b: number) => { let v = 1; for (let i = 1; i <= b; i++) v = (v * (a - b + i)) / i; return v; };
    let chi2 = 0;
    let dof = -1;
    for (let x = 0; x <= n; x++) {
      const p = (choose(K, x) * choose(N - K, n - x)) / choose(N, n);
      if (p * draws < 5) continue; // pool nothing; skip sparse tails for the statistic
      chi2 += ((counts.get(x) ?? 0) - p * draws) ** 2 / (p * draws);
      dof++;
    }
    // 0.999 quantile of chi-square with ≤ 12 degrees of freedom is < 33
    expect(dof).toBeLessThanOrEqual(12);
    expect(chi2).toBeLessThan(33);
    expect(Math.min(...counts.keys())).toBeGreaterThanOrEqual(0);
    expect(Math.max(...counts.keys())).toBeLessThanOrEqual(K);
    expect(hypergeometric(10, 10, 4, r)).toBe(4);
    expect(hypergeometric(10, 0, 4, r)).toBe(0);
  });

  it("draws the same values with a log-Γ table as without (the table holds logGamma's own values)", () => {
    const table = new LogGammaTable(3002);
    const [a, b, params] = [rng("hg-table"), rng("hg-table"), rng("hg-params")];
    for (let t = 0; t < 3000; t++) {
      const N = 1 + params.int(3000);
      const K = params.int(N + 1);
      const n = params.int(N + 1);
      expect(drawHypergeometric(N, K, n, a, table)).toBe(hypergeometric(N, K, n, b));
    }
  });
});
