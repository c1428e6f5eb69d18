import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { addCosts } from "../cost/cost.ts";
import { decodeCost, prefillCost } from "../cost/decode-cost.ts";
import { modelShape } from "../cost/model-shapes.ts";
import { bestOfNAtK } from "../estimators/best-of-n-at-k.ts";
import { majorityAtK } from "../estimators/majority-at-k.ts";
import { SIM_STEP_WORLD_DEFAULTS, simStepWorld } from "../sim/step-world.ts";
import { bestOfN } from "./best-of-n.ts";
import type { SearchResult, Selection } from "./search-types.ts";
import { TREE_PROMPT, treeAnswer, treePolicy, treeVerifier } from "./scripted-world.test-util.ts";

describe("bestOfN", () => {
  it("charges a hand-counted ledger on the tree world", async () => {
    // N = 2 whole solutions of "a\na." and "b\nb." (4 tokens each) from the 2-token prompt "Q\n".
    const shape = modelShape("Qwen3-0.6B");
    const verifier = treeVerifier((p) => ({ a: 0.6, aa: 0.3, b: 0.4, bb: 0.7 })[p] as number);
    const res = await bestOfN([TREE_PROMPT], { policy: treePolicy(2, 2), verifier, rng: rng(1) }, { n: 2, extractAnswer: treeAnswer, pricing: { policyShape: shape } });
    const p = res.problems[0]!;
    expect(p.candidates.map((c) => [c.text, c.answer, c.tokens, c.stepScores])).toEqual([
      ["a\na.", "aa", 4, [0.6, 0.3]],
      ["b\nb.", "bb", 4, [0.4, 0.7]],
    ]);
    expect([p.chosen, p.answer]).toEqual([1, "bb"]); // naive, last-step score 0.7 > 0.3
    const l = p.ledger;
    expect([l.policyCalls, l.policyGeneratedTokens, l.policyReadTokens, l.peakKvTokens]).toEqual([1, 8, 4, 2 + 8]);
    expect([l.verifierCalls, l.verifierTokens]).toEqual([1, 2 * (2 + 4)]);
    // The prompt is prefilled once; both samples decode 4 tokens together, sharing its KV.
    const expected = addCosts(prefillCost(shape, { promptTokens: 2 }), decodeCost(shape, { contextTokens: 2, newTokens: 4, batch: 2, sharedPrefixTokens: 2 }));
    expect(l.policyCost).toEqual(expected);
    expect(res.ledger.toJSON()).toEqual(l.toJSON());
  });

  it("aggregates step scores as asked (min picks differently from last)", async () => {
    const verifier = treeVerifier((p) => ({ a: 0.9, aa: 0.5, b: 0.1, bb: 0.6 })[p] as number);
    const run = (aggregate: "last" | "min" | "prod" | "mean") =>
      bestOfN([TREE_PROMPT], { policy: treePolicy(2, 2), verifier, rng: rng(1) }, { n: 2, aggregate, extractAnswer: treeAnswer });
    expect((await run("last")).problems[0]!.answer).toBe("bb"); // 0.6 > 0.5
    expect((await run("min")).problems[0]!.answer).toBe("aa"); // 0.5 > 0.1
    expect((await run("prod")).problems[0]!.answer).toBe("aa"); // 0.45 > 0.06
    expect((await run("mean")).problems[0]!.answer).toBe("aa"); // 0.7 > 0.35
  });

  describe("selections agree with the offline estimators at k = N on the same samples", () => {
    const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 40, distractors: { count: 2, zipf: 0.5 } }, rng(21));
    const collab = { policy: world.policy, verifier: world.verifier, rng: rng(22) };
    const n = 8;
    const runs = {} as Record<Selection, SearchResult>;
    beforeAll(async () => {
      for (const select of ["naive", "majority", "weighted"] as const) runs[select] = await bestOfN(world.prompts, collab, { n, select, extractAnswer: world.extractAnswer });
    });

    it("draws the same samples whatever the selection", () => {
      const texts = (r: SearchResult) => r.problems.map((p) => p.candidates.map((c) => c.text));
      expect(texts(runs.majority)).toEqual(texts(runs.naive));
    });

    for (const select of ["naive", "majority", "weighted"] as const) {
      it(`${select}: the chosen answer's correctness is the estimator's value (or a tied winner)`, () => {
        let right = 0;
        let ties = 0;
        runs[select].problems.forEach((p, i) => {
          const answers = p.candidates.map((c) => c.answer);
          const correct = answers.map((a) => world.isCorrect(p.prompt, a));
          const scores = runs.naive.problems[i]!.candidates.map((c) => c.score as number);
          const value = select === "naive" ? bestOfNAtK(scores, correct, n) : majorityAtK(answers, correct, n, select === "weighted" ? { weights: scores } : {}).value;
          const chosenRight = world.isCorrect(p.prompt, p.answer) ? 1 : 0;
          if (value === 0 || value === 1) expect(chosenRight).toBe(value);
          else ties++;
          right += chosenRight;
        });
        expect(ties).toBeLessThan(8);
        expect(right).toBeGreaterThan(5); // both outcomes occur, so a wrong rule would show
        expect(right).toBeLessThan(40);
      });
    }
  });

  it("does not score for majority voting, and refuses naive selection without a verifier", async () => {
    const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 2 }, rng(4));
    const res = await bestOfN(world.prompts, { policy: world.policy, rng: rng(1) }, { n: 4, select: "majority", extractAnswer: world.extractAnswer });
    expect(res.ledger.verifierCalls).toBe(0);
    expect(res.problems[0]!.candidates[0]!.score).toBeNull();
    await expect(bestOfN(world.prompts, { policy: world.policy, rng: rng(1) }, { n: 4, extractAnswer: world.extractAnswer })).rejects.toThrow("requires a verifier");
    await expect(bestOfN(world.prompts, { policy: world.policy, rng: rng(1) }, { n: 0, extractAnswer: world.extractAnswer })).rejects.toThrow("bestOfN requires an integer n >= 1, got 0");
  });

  it("step-wise sampling makes one call per step and reads each prefix again", async () => {
    const res = await bestOfN([TREE_PROMPT], { policy: treePolicy(2, 3), verifier: treeVerifier(() => 0.5), rng: rng(1) }, { n: 2, stepwise: true, extractAnswer: treeAnswer });
    const p = res.problems[0]!;
    expect(p.candidates.map((c) => c.text)).toEqual(["a\na\na.", "b\na\na."]); // after step 1 each path is its own prefix: continuation 0
    // Reads: 2·2 (prompt, n = 2), then 2·(2 + 2), then 2·(2 + 4).
    expect([p.ledger.policyCalls, p.ledger.policyReadTokens, p.ledger.policyGeneratedTokens]).toEqual([3, 4 + 8 + 12, 12]);
  });
});
