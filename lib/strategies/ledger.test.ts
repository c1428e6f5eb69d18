import { describe, expect, it } from "vitest";
import { addCosts, zeroCost } from "../cost/cost.ts";
import { prefillCost } from "../cost/decode-cost.ts";
import { kvElementsPerToken, parameterCount } from "../cost/model-shape.ts";
import { modelShape } from "../cost/model-shapes.ts";
import { Ledger } from "./ledger.ts";

const SHAPE = modelShape("Qwen3-0.6B");

describe("Ledger", () => {
  it("counts calls, tokens read (prefix × continuations) and generated", () => {
    const l = new Ledger();
    l.chargePolicy([
      { prefixTokens: 10, prefillTokens: 10, generatedTokens: [3, 5] },
      { prefixTokens: 12, prefillTokens: 0, generatedTokens: [4] },
    ]);
    l.chargeVerifier(40, [13, 15, 16]);
    l.observeKvTokens(30);
    l.observeKvTokens(20);
    expect([l.policyCalls, l.policyReadTokens, l.policyGeneratedTokens, l.verifierCalls, l.verifierTokens, l.peakKvTokens]).toEqual([1, 32, 12, 1, 40, 30]);
    expect(l.flops).toBe(0); // no shape: counts only
  });

  it("prices a group's lockstep decode like a brute-force count, step by step", () => {
    // Prefix c = 7 tokens shared; continuations of 1, 3 and 3 tokens. At step t every continuation
    // still running holds c + t + 1 keys and reads its own t + 1 of them; the prefix is read once per step.
    const c = 7;
    const lengths = [1, 3, 3];
    const l = new Ledger({ policyShape: SHAPE });
    l.chargePolicy([{ prefixTokens: c, prefillTokens: 0, generatedTokens: lengths }]);
    const p = parameterCount(SHAPE);
    const perKeyFlops = 4 * SHAPE.headDim * SHAPE.queryHeads * SHAPE.layers;
    const kvBytes = kvElementsPerToken(SHAPE) * 2;
    let keysAttended = 0;
    let keysRead = 0;
    let steps = 0;
    for (let t = 0; t < 3; t++) {
      const running = lengths.filter((n) => n > t).length;
      keysAttended += running * (c + t + 1);
      keysRead += c + running * (t + 1);
      steps++;
    }
    expect(l.policyCost.paramFlops).toBe(2 * p.matmul * 7);
    expect(l.policyCost.attentionFlops).toBe(perKeyFlops * keysAttended);
    expect(l.policyCost.kvReadBytes).toBe(kvBytes * keysRead);
    expect(l.policyCost.kvWriteBytes).toBe(kvBytes * 7);
    expect(l.policyCost.paramBytes).toBe(p.matmul * 2 * steps); // weights once per step for the group
  });

  it("prefills what it is told to and prices verifier sequences as prefills", () => {
    const l = new Ledger({ policyShape: SHAPE, verifierShape: "Qwen3-1.7B" });
    l.chargePolicy([{ prefixTokens: 9, prefillTokens: 9, generatedTokens: [] }]);
    expect(l.policyCost).toEqual(prefillCost(SHAPE, { promptTokens: 9 }));
    l.chargeVerifier(8, [3, 5]);
    const v = modelShape("Qwen3-1.7B");
    expect(l.verifierCost).toEqual(addCosts(prefillCost(v, { promptTokens: 3 }), prefillCost(v, { promptTokens: 5 })));
    expect(l.cost).toEqual(addCosts(l.policyCost, l.verifierCost));
  });

  it("merges by addition (peaks too) and round-trips through JSON", () => {
    const a = new Ledger({ policyShape: SHAPE });
    a.chargePolicy([{ prefixTokens: 5, prefillTokens: 5, generatedTokens: [2, 2] }]);
    a.observeKvTokens(9);
    const b = new Ledger({ policyShape: SHAPE });
    b.chargePolicy([{ prefixTokens: 6, prefillTokens: 6, generatedTokens: [4] }]);
    b.chargeVerifier(11, [10]);
    b.observeKvTokens(10);
    const m = a.merge(b);
    expect([m.policyCalls, m.policyReadTokens, m.policyGeneratedTokens, m.verifierCalls, m.verifierTokens, m.peakKvTokens]).toEqual([2, 16, 8, 1, 11, 19]);
    expect(m.policyCost).toEqual(addCosts(a.policyCost, b.policyCost));
    expect(Ledger.sum([a, b]).toJSON()).toEqual(m.toJSON());
    const back = Ledger.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(back.toJSON()).toEqual(m.toJSON());
    expect(back.flops).toBe(m.flops);
    expect(Ledger.sum([]).toJSON().policyCost).toEqual(zeroCost());
  });

  it("refuses to merge ledgers priced differently, and bad counts", () => {
    expect(() => new Ledger({ policyShape: SHAPE }).merge(new Ledger())).toThrow("Ledger.merge requires ledgers priced with the same shapes and settings");
    expect(() => new Ledger().chargePolicy([{ prefixTokens: 3, prefillTokens: 4, generatedTokens: [1] }])).toThrow("prefillTokens <= prefixTokens");
    expect(() => new Ledger({ policyShape: "GPT-9" })).toThrow("modelShape requires a known model");
    expect(() => Ledger.fromJSON({ ...new Ledger().toJSON(), policyCalls: -1 })).toThrow("Ledger.fromJSON requires a count policyCalls >= 0, got -1");
  });
});
