import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { SIM_STEP_WORLD_DEFAULTS, simStepWorld } from "../sim/step-world.ts";
import { beamSearch } from "./beam-search.ts";
import { dvts } from "./dvts.ts";
import { TREE_PROMPT, treeAnswer, treePolicy, treeVerifier } from "./scripted-world.test-util.ts";

describe("dvts", () => {
  const values: Record<string, number> = { a: 0.7, b: 0.2, aa: 0.4, ab: 0.9, ba: 0.95, bb: 0.1 };
  const tree = () => ({ policy: treePolicy(2, 2), verifier: treeVerifier((p) => values[p] as number), rng: rng(1) });

  it("runs N/M greedy subtrees of width M and returns every subtree's last M children (hand count)", async () => {
    const res = await dvts([TREE_PROMPT], tree(), { n: 4, beamWidth: 2, extractAnswer: treeAnswer });
    const p = res.problems[0]!;
    // Both subtrees move to "a" (0.7 > 0.2), then expand it into "aa" (0.4) and "ab" (0.9).
    expect(p.candidates.map((c) => [c.text, c.status])).toEqual([
      ["a\na.", "finished"],
      ["a\nb.", "finished"],
      ["a\na.", "finished"],
      ["a\nb.", "finished"],
    ]);
    expect([p.answer, p.chosen, p.pool]).toEqual(["ab", 1, [0, 1, 2, 3]]);
    const l = p.ledger;
    // Round 0: the prompt (2) read 4 times, 4 × 2 generated, KV 2 + 8. Round 1: two distinct "a" nodes, prefixes of 4 read 4 times,
    // 4 × 2 generated, KV 2 + 2 + 2 + 8. PRM: 4 × (2 + 2) then 4 × (2 + 4).
    expect([l.policyCalls, l.policyReadTokens, l.policyGeneratedTokens, l.peakKvTokens]).toEqual([2, 8 + 16, 16, 14]);
    expect([l.verifierCalls, l.verifierTokens]).toEqual([2, 16 + 24]);
  });

  it("with one subtree (M = N) makes the same choices as beam search keeping one beam", async () => {
    const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 4 }, rng(31));
    const collab = { policy: world.policy, verifier: world.verifier, rng: rng(32) };
    const a = await dvts(world.prompts, collab, { n: 6, beamWidth: 6, extractAnswer: world.extractAnswer });
    const b = await beamSearch(world.prompts, collab, { n: 6, beamWidth: 6, extractAnswer: world.extractAnswer });
    a.problems.forEach((p, i) => {
      const q = b.problems[i]!;
      expect(p.candidates[p.chosen]!.text).toBe(q.candidates[q.chosen]!.text);
    });
    expect(a.ledger.policyGeneratedTokens).toBe(b.ledger.policyGeneratedTokens);
  });

  it("keeps its subtrees apart: on the simulator they end in different solutions", async () => {
    const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 2 }, rng(33));
    const res = await dvts(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(34) }, { n: 12, beamWidth: 3, extractAnswer: world.extractAnswer });
    for (const p of res.problems) {
      expect(p.candidates).toHaveLength(12);
      // Each subtree's M candidates share its path up to the last step; the N/M paths are all different.
      const paths = p.candidates.map((c) => c.steps.slice(0, -1).join(""));
      for (let t = 0; t < 4; t++) expect(new Set(paths.slice(3 * t, 3 * t + 3)).size).toBe(1);
      expect(new Set(paths).size).toBe(4);
    }
  });

  it("refuses a width that does not divide N", async () => {
    await expect(dvts([TREE_PROMPT], tree(), { n: 5, beamWidth: 2, extractAnswer: treeAnswer })).rejects.toThrow("dvts requires integers n and beamWidth >= 1 with beamWidth dividing n");
  });
});
