import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { batchesPerEpoch, batchPlan } from "./batch-plan.ts";
import { sampleToken } from "./sample-token.ts";
import { cosineSchedule } from "./schedule.ts";

describe("cosineSchedule", () => {
  it("warms up linearly, decays by a half cosine to the floor, then stays there", () => {
    const o = { peak: 1, warmupSteps: 10, totalSteps: 110, minRatio: 0.1 };
    expect(cosineSchedule(0, o)).toBeCloseTo(0.1, 12);
    expect(cosineSchedule(9, o)).toBeCloseTo(1, 12);
    expect(cosineSchedule(10, o)).toBeCloseTo(1, 12);
    expect(cosineSchedule(60, o)).toBeCloseTo(0.55, 12);
    expect(cosineSchedule(110, o)).toBeCloseTo(0.1, 12);
    expect(cosineSchedule(500, o)).toBeCloseTo(0.1, 12);
    expect(() => cosineSchedule(-1, o)).toThrow(/cosineSchedule requires a non-negative integer step/);
  });
});

describe("batchPlan", () => {
  it("uses each example at most once per epoch in length-sorted batches, reproducibly", () => {
    const r = rng("lengths");
    const lengths = Array.from({ length: 1000 }, () => 10 + r.int(90));
    const plan = batchPlan(lengths, 32, rng("e0"));
    expect(plan).toHaveLength(batchesPerEpoch(1000, 32));
    expect(plan.every((b) => b.length === 32)).toBe(true);
    const flat = plan.flat();
    expect(new Set(flat).size).toBe(flat.length);
    expect(batchPlan(lengths, 32, rng("e0"))).toEqual(plan);
    // Length sorting within pools keeps padding small: the mean spread in a batch is far below the full range.
    const spread = plan.map((b) => Math.max(...b.map((i) => lengths[i]!)) - Math.min(...b.map((i) => lengths[i]!)));
    expect(spread.reduce((a, b) => a + b) / spread.length).toBeLessThan(20);
  });
});

describe("sampleToken", () => {
  const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];
  it("is greedy at temperature 0 and returns model log-probabilities", () => {
    const s = sampleToken(logits, 0, 4, { temperature: 0 });
    expect(s.token).toBe(0);
    expect(s.logProb).toBeCloseTo(Math.log(0.5), 6);
  });
  it("matches the distribution, and top-p keeps only the nucleus", () => {
    const r = rng("draws");
    const counts = [0, 0, 0, 0];
    const nucleus = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) {
      counts[sampleToken(logits, 0, 4, {}, r).token]!++;
      nucleus[sampleToken(logits, 0, 4, { topP: 0.75 }, r).token]!++;
    }
    [0.5, 0.3, 0.15, 0.05].forEach((p, i) => expect(Math.abs(counts[i]! / 20000 - p)).toBeLessThan(0.015));
    expect(nucleus[2]! + nucleus[3]!).toBe(0);
    expect(Math.abs(nucleus[0]! / 20000 - 0.625)).toBeLessThan(0.015);
  });
});
