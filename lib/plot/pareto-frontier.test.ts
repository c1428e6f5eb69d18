import { describe, it, expect } from "vitest";
import { paretoFrontier } from "./pareto-frontier.ts";
import { rng } from "../core/rng.ts";

type P = { x: number; y: number; id: number };

/** The definition, checked pair by pair: O(n²). */
function bruteForce(points: P[]): P[] {
  const dominates = (p: P, q: P) => p.x <= q.x && p.y >= q.y && (p.x < q.x || p.y > q.y);
  return points.filter((q) => !points.some((p) => dominates(p, q)));
}

const byXThenId = (a: P, b: P) => a.x - b.x || a.id - b.id;

describe("paretoFrontier", () => {
  it("keeps the cheapest point of each accuracy level", () => {
    const pts = [
      { x: 1, y: 0.5 },
      { x: 2, y: 0.4 },
      { x: 3, y: 0.7 },
      { x: 3, y: 0.6 },
      { x: 0.5, y: 0.1 },
    ];
    expect(paretoFrontier(pts)).toEqual([{ x: 0.5, y: 0.1 }, { x: 1, y: 0.5 }, { x: 3, y: 0.7 }]);
  });

  it("returns the input objects, with their extra fields", () => {
    const a = { x: 1, y: 1, label: "a" };
    expect(paretoFrontier([a])[0]).toBe(a);
    expect(paretoFrontier([])).toEqual([]);
  });

  it("matches brute force on random sets with ties", () => {
    const r = rng("pareto-frontier-test");
    for (let trial = 0; trial < 300; trial++) {
      const n = r.int(12);
      // Small integer grids make ties and exact duplicates common.
      const grid = 1 + r.int(6);
      const pts: P[] = Array.from({ length: n }, (_, id) => ({ x: r.int(grid), y: r.int(grid), id }));
      const fast = paretoFrontier(pts);
      expect([...fast].sort(byXThenId)).toEqual(bruteForce(pts).sort(byXThenId));
      for (let i = 1; i < fast.length; i++) {
        expect(fast[i]!.x).toBeGreaterThanOrEqual(fast[i - 1]!.x);
        expect(fast[i]!.y).toBeGreaterThanOrEqual(fast[i - 1]!.y);
      }
    }
  });

  it("rejects non-finite coordinates", () => {
    expect(() => paretoFrontier([{ x: 1, y: Number.NaN }])).toThrow(
      'paretoFrontier requires finite x and y (point 0), got {"x":1,"y":null}',
    );
  });
});
