import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { generateProblem } from "./chain-problem.ts";
import { hashText, splitOf, TEST_FRACTION } from "./split.ts";

describe("splitOf", () => {
  it("depends only on the text", () => {
    expect(splitOf("347+5-8*7")).toBe(splitOf("347+5-8*7"));
    expect(hashText("abc")).toBe(hashText("abc"));
    expect(hashText("abc")).not.toBe(hashText("abd"));
  });

  it("holds out about TEST_FRACTION of problems at every level", () => {
    const r = rng("split-fraction");
    for (let level = 1; level <= 8; level++) {
      const n = 4000;
      let test = 0;
      for (let i = 0; i < n; i++) if (splitOf(generateProblem(r, level).text) === "test") test++;
      // binomial sd at n = 4000, p = 0.1 is ≈ 0.0047; allow 4 sd
      expect(Math.abs(test / n - TEST_FRACTION)).toBeLessThan(0.019);
    }
  });
});
