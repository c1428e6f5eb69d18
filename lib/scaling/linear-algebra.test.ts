import { describe, expect, it } from "vitest";
import { choleskyFactor, choleskySolve, invertSpd, symmetricEigen } from "./linear-algebra.ts";

// A = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]], symmetric positive definite.
const A = Float64Array.of(4, 2, 0.4, 2, 5, 1, 0.4, 1, 3);

describe("small dense linear algebra", () => {
  it("Cholesky of [[4, 2], [2, 3]] is [[2, 0], [1, √2]]", () => {
    const l = choleskyFactor(Float64Array.of(4, 2, 2, 3), 2) as Float64Array;
    expect(Array.from(l)).toEqual([2, 0, 1, Math.SQRT2]);
  });
  it("refuses a matrix that is not positive definite", () => {
    expect(choleskyFactor(Float64Array.of(1, 2, 2, 1), 2)).toBeUndefined();
    expect(invertSpd(Float64Array.of(1, 1, 1, 1), 2)).toBeUndefined();
  });
  it("solves and inverts: A·A⁻¹ = I and A·x = b", () => {
    const inv = invertSpd(A, 3) as Float64Array;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += (A[i * 3 + k] as number) * (inv[k * 3 + j] as number);
        expect(s).toBeCloseTo(i === j ? 1 : 0, 14);
      }
    }
    const x = choleskySolve(choleskyFactor(A, 3) as Float64Array, 3, [1, 2, 3]);
    const b = [0, 1, 2].map((i) => [0, 1, 2].reduce((s, k) => s + (A[i * 3 + k] as number) * (x[k] as number), 0));
    b.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 13));
  });
  it("Jacobi eigen-decomposition: A·v = λ·v, trace preserved", () => {
    const { values, vectors } = symmetricEigen(A, 3);
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 12);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 3; i++) {
        const av = [0, 1, 2].reduce((s, k) => s + (A[i * 3 + k] as number) * (vectors[k * 3 + c] as number), 0);
        expect(av).toBeCloseTo((values[c] as number) * (vectors[i * 3 + c] as number), 12);
      }
    }
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
    expect(Array.from(symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values).sort()).toEqual([1, 3].map((v) => expect.closeTo(v, 14)));
  });
});
