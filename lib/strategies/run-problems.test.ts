import { describe, expect, it } from "vitest";
import { rng, type Rng } from "../core/rng.ts";
import { SIM_STEP_WORLD_DEFAULTS, simStepWorld } from "../sim/step-world.ts";
import { beamSearch } from "./beam-search.ts";
import { bestOfN } from "./best-of-n.ts";
import { dvts } from "./dvts.ts";
import { earlyRejection } from "./early-rejection.ts";
import { Ledger } from "./ledger.ts";
import { lookahead } from "./lookahead.ts";
import { metered } from "./scripted-world.test-util.ts";
import type { SearchCollaborators, SearchResult } from "./search-types.ts";
import { shortMAtKOnline } from "./short-m-at-k-online.ts";

const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 3 }, rng(51));
const base = { extractAnswer: world.extractAnswer, pricing: { policyShape: "Qwen3-0.6B" } };

/** Every strategy, as a function of prompts and collaborators. */
const STRATEGIES: Record<string, (prompts: string[], c: SearchCollaborators) => Promise<SearchResult>> = {
  "best-of-n": (p, c) => bestOfN(p, c, { ...base, n: 6, select: "weighted" }),
  "best-of-n stepwise": (p, c) => bestOfN(p, c, { ...base, n: 6, stepwise: true }),
  "beam search": (p, c) => beamSearch(p, c, { ...base, n: 8, beamWidth: 2 }),
  lookahead: (p, c) => lookahead(p, c, { ...base, n: 4, beamWidth: 2, lookaheadSteps: 2 }),
  dvts: (p, c) => dvts(p, c, { ...base, n: 8, beamWidth: 4, select: "majority" }),
  "early rejection (beam)": (p, c) => earlyRejection(p, c, { ...base, strategy: "beam-search", n: 8, beamWidth: 4, tau: 3, keepFraction: 0.25 }),
  "early rejection (best-of-n)": (p, c) => earlyRejection(p, c, { ...base, strategy: "best-of-n", n: 8, tau: 2, keepFraction: 0.5 }),
  "short-m@k": (p, c) => shortMAtKOnline(p, c, { ...base, k: 6, m: 3, chunkTokens: 5 }),
};

const collab = (r: Rng): SearchCollaborators => ({ policy: world.policy, verifier: world.verifier, rng: r });
const json = (x: unknown) => JSON.parse(JSON.stringify(x));

describe("every strategy", () => {
  for (const [name, run] of Object.entries(STRATEGIES)) {
    it(`${name}: a batch equals its problems run one by one; the same seed gives the same bytes`, async () => {
      const batch = await run(world.prompts, collab(rng(9)));
      const alone = await Promise.all(world.prompts.map((p) => run([p], collab(rng(9)))));
      expect(json(batch.problems)).toEqual(json(alone.map((a) => a.problems[0])));
      expect(batch.ledger.toJSON()).toEqual(Ledger.sum(alone.map((a) => a.ledger)).toJSON());
      expect(JSON.stringify(await run(world.prompts, collab(rng(9))))).toBe(JSON.stringify(batch));
      expect(JSON.stringify(await run(world.prompts, collab(rng(10))))).not.toBe(JSON.stringify(batch));
    });

    it(`${name}: its ledger agrees with what the policy and the verifier report`, async () => {
      const m = metered(world.policy, world.verifier);
      const res = await run(world.prompts, { policy: m.policy, verifier: m.verifier, rng: rng(9) });
      const l = res.ledger;
      expect([l.policyCalls, l.policyReadTokens, l.policyGeneratedTokens]).toEqual([m.meter.policyCalls, m.meter.promptTokens, m.meter.generatedTokens]);
      expect([l.verifierCalls, l.verifierTokens]).toEqual([m.meter.verifierCalls, m.meter.verifierTokens]);
      expect(l.policyGeneratedTokens).toBeGreaterThan(0);
      expect(l.flops).toBeGreaterThan(0);
      for (const p of res.problems) {
        expect(p.pool.every((i) => i >= 0 && i < p.candidates.length)).toBe(true);
        if (p.chosen >= 0) expect(p.answer).toBe(p.candidates[p.chosen]!.answer);
      }
    });
  }
});
