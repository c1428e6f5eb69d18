import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { aggregateScores } from "../rewards/aggregate-scores.ts";
import { SIM_STEP_WORLD_DEFAULTS, simStepWorld } from "../sim/step-world.ts";
import { beamSearch } from "./beam-search.ts";
import { lookahead } from "./lookahead.ts";
import { allLeaves, TREE_PROMPT, treeAnswer, treePolicy, treeVerifier } from "./scripted-world.test-util.ts";

/** Distinct pseudo-random leaf values in (0, 1) from a string hash (no Rng needed: fixed test data). */
function leafValue(path: string): number {
  let h = 2166136261;
  for (const c of path) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return ((h >>> 0) % 9973) / 9973 + 1e-6;
}

describe("beamSearch", () => {
  const b = 3;
  const d = 4;
  const leaves = allLeaves(b, d);
  const best = leaves.reduce((x, y) => (leafValue(y) > leafValue(x) ? y : x));

  it("finds the exact best leaf (by exhaustive enumeration) with an oracle PRM, at any beam count", async () => {
    // Oracle: a prefix scores the best leaf value below it (V*), so keeping the top beam never loses the best path.
    const oracle = treeVerifier((p) => Math.max(...leaves.filter((l) => l.startsWith(p)).map(leafValue)));
    for (const [n, m] of [[3, 3], [9, 3], [6, 3]]) {
      const res = await beamSearch([TREE_PROMPT], { policy: treePolicy(b, d), verifier: oracle, rng: rng(1) }, { n: n!, beamWidth: m!, extractAnswer: treeAnswer });
      expect(res.problems[0]!.answer).toBe(best);
    }
  });

  it("is exhaustive when it keeps every distinct beam, so a myopic PRM still finds the best leaf", async () => {
    const myopic = treeVerifier((p) => (p.length < d ? 1 - leafValue(p) : leafValue(p))); // misleading inside the tree
    const all = await beamSearch([TREE_PROMPT], { policy: treePolicy(b, d), verifier: myopic, rng: rng(1) }, { n: b ** d, beamWidth: b, filterDuplicates: true, extractAnswer: treeAnswer });
    expect(all.problems[0]!.candidates.map((c) => c.answer).sort()).toEqual(leaves);
    expect(all.problems[0]!.answer).toBe(best);
    const greedy = await beamSearch([TREE_PROMPT], { policy: treePolicy(b, d), verifier: myopic, rng: rng(1) }, { n: b, beamWidth: b, extractAnswer: treeAnswer });
    expect(greedy.problems[0]!.answer).not.toBe(best); // the same PRM misleads a single beam
  });

  it("charges a hand-counted ledger (N = M = 2 on a depth-2 tree)", async () => {
    const values: Record<string, number> = { a: 0.6, b: 0.4, aa: 0.3, ab: 0.8, ba: 0.9, bb: 0.1 };
    const res = await beamSearch([TREE_PROMPT], { policy: treePolicy(2, 2), verifier: treeVerifier((p) => values[p] as number), rng: rng(1) }, { n: 2, beamWidth: 2, extractAnswer: treeAnswer });
    const p = res.problems[0]!;
    expect(p.candidates.map((c) => c.text)).toEqual(["a\na.", "a\nb."]); // "a" (0.6) beat "b" (0.4)
    expect(p.answer).toBe("ab");
    const l = p.ledger;
    // Round 0: prompt (2) read twice, 2 + 2 generated, KV 2 + 4. Round 1: prefix "Q\na\n" (4) read twice, 2 + 2 generated, KV 2 + 2 + 4.
    expect([l.policyCalls, l.policyReadTokens, l.policyGeneratedTokens, l.peakKvTokens]).toEqual([2, 4 + 8, 8, 8]);
    // Verifier: 2 × (2 + 2) then 2 × (2 + 4) characters.
    expect([l.verifierCalls, l.verifierTokens]).toEqual([2, 8 + 12]);
  });

  it("with one beam kept (M = N) is greedy step selection: the best of N samples of each step", async () => {
    const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 3 }, rng(5));
    const n = 6;
    const res = await beamSearch(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(6) }, { n, beamWidth: n, extractAnswer: world.extractAnswer });
    for (const [i, prompt] of world.prompts.entries()) {
      // Hand-written greedy, drawing from the documented streams: problem stream, round fork "step-<i>".
      const stream = rng(6).fork(`problem:${prompt}`);
      let text = "";
      for (let step = 0; ; step++) {
        const out = await world.policy.sampleSteps([prompt + text], { maxTokens: 256, stopAtStepEnd: true, temperature: 1, topP: 1, n, rng: stream.fork(`step-${step}`) });
        const texts = out.samples[0]!.map((s) => text + s.text);
        const scores = (await world.verifier.scoreSteps(prompt, texts)).scores.map((s) => aggregateScores(s, "last"));
        const j = scores.indexOf(Math.max(...scores));
        text = texts[j]!;
        if (out.samples[0]![j]!.finished) break;
      }
      expect(res.problems[i]!.candidates[res.problems[i]!.chosen]!.text).toBe(text);
    }
  });

  it("shares prefixes in the KV cache: peak tokens stay well under N × the longest path", async () => {
    const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 4 }, rng(7));
    const n = 16;
    const res = await beamSearch(world.prompts, { policy: world.policy, verifier: world.verifier, rng: rng(8) }, { n, beamWidth: 4, extractAnswer: world.extractAnswer });
    for (const p of res.problems) {
      const longest = world.countTokens(p.prompt) + Math.max(...p.candidates.map((c) => c.tokens));
      expect(p.ledger.peakKvTokens).toBeGreaterThan(longest);
      expect(p.ledger.peakKvTokens).toBeLessThan(0.75 * n * longest);
    }
  });

  it("refuses bad widths and a missing verifier", async () => {
    const c = { policy: treePolicy(2, 2), verifier: treeVerifier(() => 0.5), rng: rng(1) };
    await expect(beamSearch([TREE_PROMPT], c, { n: 2, beamWidth: 3, extractAnswer: treeAnswer })).rejects.toThrow("beamSearch requires integers 1 <= beamWidth <= n");
    await expect(beamSearch([TREE_PROMPT], { ...c, verifier: undefined }, { n: 2, beamWidth: 1, extractAnswer: treeAnswer })).rejects.toThrow("beamSearch requires a verifier");
  });
});

describe("lookahead", () => {
  // Hand-built trap: the PRM prefers step "a" (0.9 vs 0.1) but the leaves under "b" are better.
  const values: Record<string, number> = { a: 0.9, b: 0.1, aa: 0.2, ab: 0.3, ba: 0.95, bb: 0.1 };
  const collab = () => ({ policy: treePolicy(2, 2), verifier: treeVerifier((p) => values[p] as number), rng: rng(1) });

  it("scores a step by the PRM at the end of a greedy rollout, escaping a trap plain beam search falls into", async () => {
    const plain = await beamSearch([TREE_PROMPT], collab(), { n: 2, beamWidth: 2, extractAnswer: treeAnswer });
    expect(plain.problems[0]!.answer).toBe("ab"); // keeps "a", best leaf under it 0.3
    const look = await lookahead([TREE_PROMPT], collab(), { n: 2, beamWidth: 2, lookaheadSteps: 1, extractAnswer: treeAnswer });
    expect(look.problems[0]!.answer).toBe("ba"); // rollouts "a→a" 0.2 and "b→a" 0.95: keeps "b"
    // One more policy call (two 2-token rollouts reading 4-token prefixes) and one more PRM call on them.
    const [lp, ll] = [plain.ledger, look.ledger];
    expect(ll.policyCalls - lp.policyCalls).toBe(1);
    expect(ll.policyGeneratedTokens - lp.policyGeneratedTokens).toBe(4);
    expect(ll.policyReadTokens - lp.policyReadTokens).toBe(8);
    expect([ll.verifierCalls - lp.verifierCalls, ll.verifierTokens - lp.verifierTokens]).toEqual([1, 2 * 6]);
  });

  it("requires at least one lookahead step", async () => {
    await expect(lookahead([TREE_PROMPT], collab(), { n: 2, beamWidth: 2, lookaheadSteps: 0, extractAnswer: treeAnswer })).rejects.toThrow("lookahead requires an integer lookaheadSteps >= 1, got 0");
  });
});
