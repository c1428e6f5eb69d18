import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { shortMAtK } from "../estimators/short-m-at-k.ts";
import { chainPolicy } from "./scripted-world.test-util.ts";
import { shortMAtKOnline } from "./short-m-at-k-online.ts";

const extractAnswer = (t: string) => /=(\S+)\s*$/.exec(t)?.[1] ?? null;

/** A random chain world: k chains of distinct lengths 3..k+2 (shuffled) answering A, B or C; the truth is A. */
function chains(seed: number, k: number) {
  const r = rng(seed);
  const lengths = r.shuffle(Array.from({ length: k }, (_, j) => 3 + j));
  const answers = lengths.map(() => "ABC"[r.int(3)] as string);
  return { lengths, answers, correct: answers.map((a) => a === "A") };
}

describe("shortMAtKOnline", () => {
  it("agrees with the offline estimator at k = N: same correctness, and its thinking tokens when chunks are one token", async () => {
    let right = 0;
    for (let seed = 0; seed < 24; seed++) {
      const k = 3 + (seed % 5);
      const m = 1 + (seed % k);
      const { lengths, answers, correct } = chains(seed, k);
      const offline = shortMAtK(answers, lengths, correct, m, k, { rng: rng(0) });
      const online = await shortMAtKOnline(["P\n"], { policy: chainPolicy(lengths, answers), rng: rng(seed) }, { k, m, chunkTokens: 1, extractAnswer });
      const p = online.problems[0]!;
      expect(p.answer === "A" ? 1 : 0).toBe(offline.accuracy);
      expect(p.ledger.policyGeneratedTokens).toBe(offline.thinkingTokens);
      expect(p.pool).toHaveLength(m);
      right += offline.accuracy;
    }
    expect(right).toBeGreaterThan(3);
    expect(right).toBeLessThan(21);
  });

  it("waits for the m shortest chains and votes among them, a tie going to the shortest chain's answer (hand case)", async () => {
    // Lengths 5, 3, 9, 4, 7 → finishing order: chain 1 (B), 3 (A), 0 (A), 4 (B), 2 (C).
    const lengths = [5, 3, 9, 4, 7];
    const answers = ["A", "B", "C", "A", "B"];
    const run = (m: number, chunkTokens = 1) => shortMAtKOnline(["P\n"], { policy: chainPolicy(lengths, answers), rng: rng(1) }, { k: 5, m, chunkTokens, extractAnswer });
    expect((await run(1)).problems[0]!.answer).toBe("B");
    expect((await run(2)).problems[0]!.answer).toBe("B"); // B and A tie 1–1: B's chain finished first
    expect((await run(3)).problems[0]!.answer).toBe("A");
    const p = (await run(3)).problems[0]!;
    expect(p.pool).toEqual([1, 3, 0]);
    expect(p.candidates.map((c) => c.status)).toEqual(["finished", "finished", "unfinished", "finished", "unfinished"]);
    expect(p.ledger.policyGeneratedTokens).toBe(5 + 3 + 5 + 4 + 5); // every chain up to the 3rd finish at 5 tokens
    // Chunks of 4 tokens: the same voters, but chains run on to the end of the chunk in which the 3rd finishes (token 8).
    const chunked = (await run(3, 4)).problems[0]!;
    expect([chunked.answer, chunked.pool]).toEqual(["A", [1, 3, 0]]);
    expect(chunked.ledger.policyGeneratedTokens).toBe(5 + 3 + 8 + 4 + 7);
  });

  it("lets chains that reach maxTokens unfinished drop out without voting", async () => {
    const res = await shortMAtKOnline(["P\n"], { policy: chainPolicy([6, 9], ["A", "B"]), rng: rng(1) }, { k: 2, m: 2, chunkTokens: 4, maxTokens: 8, extractAnswer });
    const p = res.problems[0]!;
    expect(p.candidates.map((c) => c.status)).toEqual(["finished", "truncated"]);
    expect([p.answer, p.pool]).toEqual(["A", [0]]);
  });

  it("refuses m > k", async () => {
    await expect(shortMAtKOnline(["P\n"], { policy: chainPolicy([3], ["A"]), rng: rng(1) }, { k: 1, m: 2, extractAnswer })).rejects.toThrow("shortMAtKOnline requires integers 1 <= m <= k");
  });
});
