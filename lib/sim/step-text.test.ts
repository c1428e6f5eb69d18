import { describe, expect, it } from "vitest";
import { countSimTokens, extractSimAnswer, parseSimSolution, renderTokens, stepTokens } from "./step-text.ts";

describe("sim step text", () => {
  const head = { value: 12, nonce: "k9", length: 4 };

  it("renders a step as head, fillers and separator, and cuts it at token boundaries", () => {
    const all = stepTokens(head, null);
    expect(renderTokens(all, 0, 4)).toBe("v12.k9/4 f f\n");
    expect(renderTokens(all, 0, 2) + renderTokens(all, 2, 4)).toBe("v12.k9/4 f f\n");
    expect(countSimTokens("v12.k9/4 f f\n")).toBe(4);
    expect(countSimTokens("v12.k9/4 f")).toBe(2);
    expect(countSimTokens("sim p0\n")).toBe(3);
    expect(renderTokens(stepTokens(head, "77"), 0, 4)).toBe("v12.k9/4 f f answer=77");
  });

  it("parses complete, partial and last steps", () => {
    const steps = parseSimSolution("v12.k9/4 f f\nv5.a/3 answer");
    expect(steps).toHaveLength(2);
    expect(steps[0]).toEqual({ head, tokens: 4, complete: true, answer: null });
    expect(steps[1]).toMatchObject({ tokens: 2, complete: false });
    expect(parseSimSolution("v5.a/3 f answer=9")[0]).toEqual({ head: { value: 5, nonce: "a", length: 3 }, tokens: 3, complete: true, answer: "9" });
    expect(parseSimSolution("")).toEqual([]);
    expect(extractSimAnswer("v5.a/3 f answer=9")).toBe("9");
    expect(extractSimAnswer("v5.a/3 f")).toBeNull();
  });

  it("refuses text that is not in the format", () => {
    expect(() => parseSimSolution("hello\n")).toThrow("parseSimSolution requires each step to start with a head token");
    expect(() => parseSimSolution("v1.a/2 f f\n")).toThrow("steps no longer than their head says");
  });
});
