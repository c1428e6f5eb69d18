import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { SIM_STEP_WORLD_DEFAULTS, simStepWorld } from "../sim/step-world.ts";
import { bestOfN } from "../strategies/best-of-n.ts";
import { outcomeRows } from "./outcome-rows.ts";

describe("outcomeRows", () => {
  it("writes one row per problem with its grade and its ledger's cost", async () => {
    const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 6 }, rng(1));
    const res = await bestOfN(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(2) }, { n: 4, select: "weighted", extractAnswer: world.extractAnswer });
    const rows = outcomeRows(res, { strategy: "best-of-n", params: { select: "weighted" }, budget: 4, isCorrect: world.isCorrect, problemId: (_, i) => `p${i}`, cost: (l) => l.policyGeneratedTokens });
    expect(rows).toHaveLength(6);
    rows.forEach((r, i) => {
      const p = res.problems[i]!;
      expect(r).toEqual({ problem: `p${i}`, strategy: "best-of-n", params: { select: "weighted" }, budget: 4, correct: world.isCorrect(p.prompt, p.answer) ? 1 : 0, cost: p.ledger.policyGeneratedTokens });
    });
    expect(rows.reduce((a, r) => a + (r.cost as number), 0)).toBe(res.ledger.policyGeneratedTokens);
    // Defaults: the prompt as id, FLOPs (0 for this unpriced ledger) as cost.
    expect(outcomeRows(res, { strategy: "b", budget: 4, isCorrect: world.isCorrect })[0]).toMatchObject({ problem: world.prompts[0], params: {}, cost: 0 });
    expect(() => outcomeRows(res, { strategy: "b", budget: 0, isCorrect: world.isCorrect })).toThrow("outcomeRows requires a budget > 0, got 0");
  });
});
