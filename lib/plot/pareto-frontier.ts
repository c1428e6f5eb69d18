import { requireArg } from "../core/errors.ts";

/**
 * The Pareto frontier of points where larger `y` is better and smaller `x` is
 * better (accuracy against cost): the points that no other point dominates.
 * `p` dominates `q` when `p.x <= q.x` and `p.y >= q.y` with at least one strict.
 * Exact duplicates of a frontier point are all kept (neither dominates the other).
 *
 * Runs in O(n log n): sort by x ascending (ties: y descending), then keep each
 * point whose y beats every earlier point's.
 *
 * @param points - points with finite `x` and `y`; extra fields (labels) are kept
 * @returns the frontier points themselves (not copies), sorted by x ascending,
 *   so y ascends too; empty for empty input
 * @throws InvalidArgumentError if a point has a non-finite `x` or `y`
 * @example
 * paretoFrontier([{ x: 1, y: 0.5 }, { x: 2, y: 0.4 }, { x: 3, y: 0.7 }]);
 * // [{ x: 1, y: 0.5 }, { x: 3, y: 0.7 }]   ({ x: 2, y: 0.4 } costs more and scores less)
 */
export function paretoFrontier<P extends { x: number; y: number }>(points: readonly P[]): P[] {
  points.forEach((p, i) => {
    requireArg("paretoFrontier", Number.isFinite(p.x) && Number.isFinite(p.y), `finite x and y (point ${i})`, p);
  });
  // Array.prototype.sort is stable, so equal points keep their input order.
  const sorted = [...points].sort((a, b) => a.x - b.x || b.y - a.y);
  const frontier: P[] = [];
  let bestY = -Infinity;
  let bestX = Infinity;
  for (const p of sorted) {
    if (p.y > bestY) {
      frontier.push(p);
      bestY = p.y;
      bestX = p.x;
    } else if (p.y === bestY && p.x === bestX) {
      frontier.push(p); // an exact duplicate of the last frontier point
    }
  }
  return frontier;
}
