import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { subsets } from "./subsets.test-util.ts";
import { shortMAtK } from "./short-m-at-k.ts";

/**
 * Reference on distinct lengths (so the finishing order is unambiguous): for each k-subset,
 * the m shortest vote; an answer tie goes to the answer of the shortest chain among the tied answers.
 */
function reference(answers: (string | null)[], lengths: number[], correct: boolean[], m: number, k: number) {
  let acc = 0, thinking = 0, wall = 0, count = 0;
  for (const s of subsets(answers.length, k)) {
    const byLen = [...s].sort((a, b) => lengths[a]! - lengths[b]!);
    const first = byLen.slice(0, m);
    const stop = lengths[first[m - 1]!]!;
    const votes = new Map<string, { n: number; firstLen: number; ok: boolean }>();
    for (const i of first) {
      const a = answers[i];
      if (a === null || a === undefined) continue;
      const v = votes.get(a) ?? { n: 0, firstLen: lengths[i]!, ok: correct[i]! };
      v.n++;
      votes.set(a, v);
    }
    const ranked = [...votes.values()].sort((x, y) => y.n - x.n || x.firstLen - y.firstLen);
    acc += ranked[0]?.ok ? 1 : 0;
    thinking += s.reduce((t, i) => t + Math.min(lengths[i]!, stop), 0);
    wall += stop;
    count++;
  }
  return { accuracy: acc / count, thinkingTokens: thinking / count, wallTokens: wall / count };
}

describe("shortMAtK", () => {
  it("equals exhaustive enumeration (accuracy, thinking tokens, wall tokens) for N ≤ 10, every m ≤ k", () => {
    const r = rng("short");
    for (let trial = 0; trial < 25; trial++) {
      const n = 1 + r.int(10);
      const lengths = r.shuffle(Array.from({ length: n }, (_, i) => 100 + 10 * i)); // distinct
      const answers = lengths.map(() => (r.next() < 0.1 ? null : ["x", "y", "z"][r.int(3)]!));
      const correct = answers.map((a) => a === "x");
      for (let k = 1; k <= n; k++) {
        for (let m = 1; m <= k; m++) {
          const got = shortMAtK(answers, lengths, correct, m, k, { rng: rng(trial) });
          const want = reference(answers, lengths, correct, m, k);
          expect(Math.abs(got.accuracy - want.accuracy)).toBeLessThan(1e-12);
          expect(Math.abs(got.thinkingTokens - want.thinkingTokens)).toBeLessThan(1e-9);
          expect(Math.abs(got.wallTokens - want.wallTokens)).toBeLessThan(1e-9);
        }
      }
    }
  });

  it("Monte Carlo agrees with the exact path within 4 standard errors", () => {
    const r = rng("short-mc");
    const n = 30;
    const lengths = Array.from({ length: n }, () => 50 + r.int(1000));
    const answers = lengths.map(() => ["a", "b", "c"][r.int(3)]!);
    const correct = answers.map((a) => a === "a");
    const exact = shortMAtK(answers, lengths, correct, 3, 4, { rng: rng(1) });
    const mc = shortMAtK(answers, lengths, correct, 3, 4, { rng: rng(1), exactLimit: 1, samples: 20_000 });
    expect(exact.method).toBe("exact");
    expect(mc.method).toBe("monte-carlo");
    expect(Math.abs(mc.accuracy - exact.accuracy)).toBeLessThan(4 * mc.stderr);
    expect(Math.abs(mc.wallTokens - exact.wallTokens) / exact.wallTokens).toBeLessThan(0.03);
  });

  it("short-1@k thinks k × the shortest chain; bad input names the rule", () => {
    const res = shortMAtK(["a", "b"], [10, 20], [true, false], 1, 2, { rng: rng(1) });
    expect(res).toMatchObject({ accuracy: 1, thinkingTokens: 20, wallTokens: 10 });
    expect(() => shortMAtK(["a"], [1], [true], 2, 1, { rng: rng(1) })).toThrow("shortMAtK requires an integer m with 1 <= m <= k (k = 1), got 2");
    expect(() => shortMAtK(["a"], [-1], [true], 1, 1, { rng: rng(1) })).toThrow('shortMAtK requires finite lengths >= 0, got "-1 at index 0"');
  });
});
