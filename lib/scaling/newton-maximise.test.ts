import { describe, expect, it } from "vitest";
import { newtonMaximise } from "./newton-maximise.ts";

describe("newtonMaximise", () => {
  it("finds the maximum of a concave quadratic and returns its Hessian", () => {
    // f = −(x − 1)² − 2(y + 2)² − xy/2: gradient zero at the solution of [[2, ½], [½, 4]]·[x, y] = [2, −8]
    const f = (u: Float64Array) => -(((u[0] as number) - 1) ** 2) - 2 * ((u[1] as number) + 2) ** 2 - ((u[0] as number) * (u[1] as number)) / 2;
    const r = newtonMaximise(f, [5, 5]);
    const det = 2 * 4 - 0.25;
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo((2 * 4 + 8 * 0.5) / det, 7);
    expect(r.x[1]).toBeCloseTo((-8 * 2 - 0.5 * 2) / det, 7);
    expect(Array.from(r.hessian, (v) => +v.toFixed(6))).toEqual([-2, -0.5, -0.5, -4]);
  });

  it("climbs a non-concave start (the negative Rosenbrock function) to its maximum at (1, 1)", () => {
    const f = (u: Float64Array) => -((1 - (u[0] as number)) ** 2) - 100 * ((u[1] as number) - (u[0] as number) ** 2) ** 2;
    const r = newtonMaximise(f, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(Math.abs((r.x[0] as number) - 1)).toBeLessThan(1e-5);
    expect(Math.abs((r.x[1] as number) - 1)).toBeLessThan(1e-5);
  });

  it("reports a start where the objective is not finite", () => {
    const r = newtonMaximise(() => NaN, [0]);
    expect(r.converged).toBe(false);
    expect(r.reason).toBe("the objective is not finite at the start");
  });
});
