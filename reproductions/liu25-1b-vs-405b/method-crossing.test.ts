import { describe, expect, it } from "vitest";
import { bestMethod, methodCrossing } from "./method-crossing.ts";

describe("methodCrossing", () => {
  it("finds the pair of settings with different winners and the largest smaller lead (hand-computed)", () => {
    const c = methodCrossing([
      { label: "a", scores: { bon: 0.5, beam: 0.25, dvts: 0.375 } },
      { label: "b", scores: { bon: 0.25, beam: 0.5, dvts: 0.125 } },
      { label: "c", scores: { bon: 0.125, beam: 0.25, dvts: 0.5 } },
    ]);
    // a/b: bon leads beam by 0.25 in a, beam leads bon by 0.25 in b → min 0.25.
    // a/c: bon − dvts = 0.125 in a → min 0.125. b/c: beam − dvts 0.375, dvts − beam 0.25 → min 0.25 (first found kept).
    expect(c).toEqual({ a: { label: "a", best: "bon", lead: 0.25 }, b: { label: "b", best: "beam", lead: 0.25 } });
  });

  it("is undefined when one method wins everywhere, and skips settings where nothing scores", () => {
    expect(methodCrossing([{ label: "a", scores: { bon: 0.5, beam: 0.25 } }, { label: "b", scores: { bon: 0.75, beam: 0.5 } }])).toBeUndefined();
    expect(methodCrossing([{ label: "a", scores: { bon: 0.5, beam: 0.25 } }, { label: "b", scores: { bon: 0, beam: 0 } }])).toBeUndefined();
  });

  it("bestMethod keeps the first listed method on ties", () => {
    expect(bestMethod({ label: "x", scores: { dvts: 0.5, beam: 0.5 } })).toEqual({ method: "dvts", accuracy: 0.5 });
  });
});
