import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { SIM_STEP_WORLD_DEFAULTS, simStepWorld } from "../sim/step-world.ts";
import { beamSearch } from "./beam-search.ts";
import { bestOfN } from "./best-of-n.ts";
import { earlyRejection } from "./early-rejection.ts";
import { TREE_PROMPT, treeAnswer, treePolicy, treeVerifier } from "./scripted-world.test-util.ts";
import type { SearchResult } from "./search-types.ts";

const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 5 }, rng(41));
const collab = { policy: world.policy, verifier: world.verifier, rng: rng(42) };
const base = { extractAnswer: world.extractAnswer, pricing: { policyShape: "Qwen3-0.6B", verifierShape: "Qwen3-0.6B" } };
const json = (r: SearchResult) => JSON.parse(JSON.stringify(r));
const outcome = (r: SearchResult) => r.problems.map((p) => ({ answer: p.answer, chosen: p.chosen, candidates: p.candidates }));

describe("earlyRejection", () => {
  it("with τ beyond every step and keepFraction 1 equals plain beam search exactly, ledger included", async () => {
    const plain = await beamSearch(world.prompts, collab, { ...base, n: 8, beamWidth: 2 });
    // Steps are ~8 tokens (log-normal, σ = 0.4): one over 64 would be a 5-σ event; 256 is the step limit itself.
    for (const tau of [64, 256]) {
      const er = await earlyRejection(world.prompts, collab, { ...base, strategy: "beam-search", n: 8, beamWidth: 2, tau, keepFraction: 1 });
      expect(json(er)).toEqual(json(plain));
    }
  });

  it("with τ beyond every step and keepFraction 1 equals step-wise best-of-N, plus one PRM call on the first steps", async () => {
    const plain = await bestOfN(world.prompts, collab, { ...base, n: 6, stepwise: true });
    const er = await earlyRejection(world.prompts, collab, { ...base, strategy: "best-of-n", n: 6, tau: 256, keepFraction: 1 });
    expect(outcome(er)).toEqual(outcome(plain));
    expect(er.ledger.policyGeneratedTokens).toBe(plain.ledger.policyGeneratedTokens);
    expect(er.ledger.policyCalls).toBe(plain.ledger.policyCalls);
    expect(er.ledger.verifierCalls - plain.ledger.verifierCalls).toBe(world.prompts.length);
  });

  it("cutting steps after τ tokens and keeping all changes only the bill: same candidates, more calls", async () => {
    const plain = await beamSearch(world.prompts, collab, { ...base, n: 8, beamWidth: 2 });
    const er = await earlyRejection(world.prompts, collab, { ...base, strategy: "beam-search", n: 8, beamWidth: 2, tau: 3, keepFraction: 1 });
    expect(outcome(er)).toEqual(outcome(plain)); // the simulator continues a cut step the way it would have gone
    expect(er.ledger.policyGeneratedTokens).toBe(plain.ledger.policyGeneratedTokens);
    expect(er.ledger.policyCalls).toBeGreaterThan(plain.ledger.policyCalls);
    expect(er.ledger.verifierCalls).toBeGreaterThan(plain.ledger.verifierCalls);
  });

  it("rejects after τ tokens by partial score and finishes only the survivors (hand count, beam N = M = 2, τ = 1, keep ½)", async () => {
    const values: Record<string, number> = { a: 0.6, b: 0.4, aa: 0.3, ab: 0.8, ba: 0.9, bb: 0.1 };
    const res = await earlyRejection([TREE_PROMPT], { policy: treePolicy(2, 2), verifier: treeVerifier((p) => values[p] as number), rng: rng(1) }, {
      strategy: "beam-search",
      n: 2,
      beamWidth: 2,
      tau: 1,
      keepFraction: 0.5,
      extractAnswer: treeAnswer,
    });
    const p = res.problems[0]!;
    // Round 0: "a" | "b" cut after the letter, "a" kept and finished with "\n". Round 1: "a\na" | "a\nb", "a\nb" kept, finished with ".".
    expect(p.candidates.map((c) => [c.text, c.stepScores])).toEqual([["a\nb.", [0.6, 0.8]]]);
    expect(p.answer).toBe("ab");
    const l = p.ledger;
    // Calls: 2 per round. Generated 1 + 1, 1, 1 + 1, 1. Read: 2 × 2, 3, 2 × 4, 5. KV peak: 2 + 1 + 1 + 2 (round 1's cut).
    expect([l.policyCalls, l.policyGeneratedTokens, l.policyReadTokens, l.peakKvTokens]).toEqual([4, 6, 20, 6]);
    // PRM reads: 2 × 3, 4, 2 × 5, 6 characters.
    expect([l.verifierCalls, l.verifierTokens]).toEqual([4, 26]);
  });

  it("in best-of-N returns rejected candidates with their partial scores and saves their tokens", async () => {
    const n = 8;
    const plain = await bestOfN(world.prompts, collab, { ...base, n, stepwise: true });
    const er = await earlyRejection(world.prompts, collab, { ...base, strategy: "best-of-n", n, tau: 2, keepFraction: 0.25 });
    for (const p of er.problems) {
      expect(p.candidates).toHaveLength(n);
      const rejected = p.candidates.filter((c) => c.status === "rejected");
      expect(rejected).toHaveLength(n - 2);
      for (const c of rejected) expect([c.tokens, c.stepScores.length]).toEqual([2, 1]);
      expect(p.pool).toEqual([0, 1]);
      for (const c of p.candidates.slice(0, 2)) expect(c.status).toBe("finished"); // ⌈0.25 · 8⌉ survivors, finished to the end
    }
    expect(er.ledger.policyGeneratedTokens).toBeLessThan(0.5 * plain.ledger.policyGeneratedTokens);
  });

  it("in best-of-N keeps the best partial scores (hand case: N = 2, τ = 1, keep ½)", async () => {
    const values: Record<string, number> = { a: 0.6, b: 0.4, aa: 0.3, ab: 0.8, ba: 0.9, bb: 0.1 };
    const res = await earlyRejection([TREE_PROMPT], { policy: treePolicy(2, 2), verifier: treeVerifier((p) => values[p] as number), rng: rng(1) }, {
      strategy: "best-of-n",
      n: 2,
      tau: 1,
      keepFraction: 0.5,
      extractAnswer: treeAnswer,
    });
    // "a" (0.6) survives its cut and goes on as continuation 0 ("a\na."); "b" (0.4) is rejected after one token although "ba" would have scored 0.9.
    expect(res.problems[0]!.candidates.map((c) => [c.text, c.status, c.tokens, c.stepScores])).toEqual([
      ["a\na.", "finished", 4, [0.6, 0.3]],
      ["b", "rejected", 1, [0.4]],
    ]);
  });

  it("checks τ, the kept fraction and the strategy", async () => {
    const o = { ...base, n: 4, beamWidth: 2 };
    await expect(earlyRejection(world.prompts, collab, { ...o, strategy: "beam-search", tau: 0, keepFraction: 1 })).rejects.toThrow("earlyRejection requires an integer tau >= 1, got 0");
    await expect(earlyRejection(world.prompts, collab, { ...o, strategy: "beam-search", tau: 2, keepFraction: 0 })).rejects.toThrow("keepFraction in (0, 1]");
    await expect(earlyRejection(world.prompts, collab, { ...o, strategy: "dvts" as never, tau: 2, keepFraction: 1 })).rejects.toThrow('a strategy "best-of-n" or "beam-search"');
  });
});
