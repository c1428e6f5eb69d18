import { describe, expect, it } from "vitest";
import { paramTransform } from "./param-transform.ts";

describe("paramTransform", () => {
  const cases = [
    ["free", undefined, [-3, 0, 2.5]],
    ["(0, ∞)", { lower: 0 }, [1e-9, 0.3, 4e20]],
    ["(−∞, 0)", { upper: 0 }, [-5, -1e-6]],
    ["(0.2, 0.9)", { lower: 0.2, upper: 0.9 }, [0.21, 0.5, 0.89]],
  ] as const;
  for (const [label, bound, values] of cases) {
    it(`${label}: round trip and dθ/du by central differences`, () => {
      const t = paramTransform(bound);
      expect(t.bounded).toBe(bound !== undefined);
      for (const v of values) {
        const u = t.toFree(v);
        expect(Math.abs(t.toParam(u) - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
        const h = 1e-5;
        const fd = (t.toParam(u + h) - t.toParam(u - h)) / (2 * h);
        expect(Math.abs(t.derivative(u) - fd)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(fd)));
      }
    });
  }
  it("maps any u strictly inside the bounds, and values outside to NaN", () => {
    const t = paramTransform({ lower: 1, upper: 2 });
    for (const u of [-30, 0, 30]) expect(t.toParam(u)).toBeGreaterThanOrEqual(1);
    expect(t.toFree(2)).toBeNaN();
    expect(paramTransform({ lower: 0 }).toFree(-1)).toBeNaN();
  });
});
