import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../core/errors.ts";
import { scaledBetaBinomialLogPmf } from "./scaled-beta-binomial.ts";

/** Exact rationals p/q on BigInt, for a reference pmf with no rounding at all. */
type Frac = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const norm = ([p, q]: Frac): Frac => {
  const g = gcd(p, q) || 1n;
  return q < 0n ? [-p / g, -q / g] : [p / g, q / g];
};
const add = (a: Frac, b: Frac): Frac => norm([a[0] * b[1] + b[0] * a[1], a[1] * b[1]]);
const mul = (a: Frac, b: Frac): Frac => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Frac, b: Frac): Frac => norm([a[0] * b[1], a[1] * b[0]]);
const toNumber = ([p, q]: Frac) => Number((p * 10n ** 30n) / q) / 1e30;
const choose = (n: number, k: number): bigint => {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
};

/**
 * Direct summation, exactly: P(C = c) = C(n, c)·Σ_j C(n − c, j)(−1)^j s^(c+j) E[U^(c+j)] with the Beta moments
 * E[U^r] = Π_{i<r} (α + i)/(α + β + i) — (1 − s·u)^(n−c) expanded in powers of u, an independent route from the code's.
 */
function exactPmf(n: number, c: number, alpha: Frac, beta: Frac, s: Frac): number {
  const moment = (r: number): Frac => {
    let m: Frac = [1n, 1n];
    for (let i = 0; i < r; i++) m = mul(m, div(add(alpha, [BigInt(i), 1n]), add(add(alpha, beta), [BigInt(i), 1n])));
    return m;
  };
  const pow = (f: Frac, k: number): Frac => Array.from({ length: k }).reduce<Frac>((acc) => mul(acc, f), [1n, 1n]);
  let sum: Frac = [0n, 1n];
  for (let j = 0; j <= n - c; j++) {
    const sign = j % 2 === 0 ? 1n : -1n;
    sum = add(sum, mul([sign * choose(n - c, j), 1n], mul(pow(s, c + j), moment(c + j))));
  }
  return toNumber(mul([choose(n, c), 1n], sum));
}

describe("scaledBetaBinomialLogPmf", () => {
  const shapes: [Frac, Frac, Frac][] = [
    [[1n, 2n], [3n, 2n], [1n, 1n]],
    [[1n, 2n], [3n, 2n], [3n, 4n]],
    [[1n, 10n], [7n, 3n], [2n, 5n]],
    [[5n, 2n], [1n, 3n], [9n, 10n]],
  ];
  for (const [a, b, s] of shapes) {
    it(`matches exact rational summation for n <= 8 (alpha ${a.join("/")}, beta ${b.join("/")}, s ${s.join("/")})`, () => {
      for (const n of [1, 3, 8]) {
        for (let c = 0; c <= n; c++) {
          const got = Math.exp(scaledBetaBinomialLogPmf(n, c, toNumber(a), toNumber(b), toNumber(s)));
          const want = exactPmf(n, c, a, b, s);
          expect(Math.abs(got - want) / want, `n ${n} c ${c}`).toBeLessThan(1e-13);
        }
      }
    });
  }

  it("sums to 1 over c, for s = 1 and s < 1, at n = 400", () => {
    for (const s of [1, 0.7, 0.05]) {
      let total = 0;
      for (let c = 0; c <= 400; c++) total += Math.exp(scaledBetaBinomialLogPmf(400, c, 0.3, 2.5, s));
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    }
  });

  it("is continuous at s = 1 (the series meets the closed form) and finite at n = 10^5", () => {
    const closed = scaledBetaBinomialLogPmf(1000, 7, 0.4, 1.3, 1);
    const series = scaledBetaBinomialLogPmf(1000, 7, 0.4, 1.3, 1 - 1e-12);
    expect(Math.abs(series - closed)).toBeLessThan(1e-7);
    const big = scaledBetaBinomialLogPmf(100_000, 3, 0.2, 3, 0.9);
    expect(Number.isFinite(big)).toBe(true);
    expect(big).toBeLessThan(0);
  });

  it("refuses bad arguments with a specific message", () => {
    expect(() => scaledBetaBinomialLogPmf(0, 0, 1, 1)).toThrow("scaledBetaBinomialLogPmf requires an integer n >= 1, got 0");
    expect(() => scaledBetaBinomialLogPmf(5, 6, 1, 1)).toThrow("scaledBetaBinomialLogPmf requires an integer c with 0 <= c <= n (n = 5), got 6");
    expect(() => scaledBetaBinomialLogPmf(5, 1, 0, 1)).toThrow(InvalidArgumentError);
    expect(() => scaledBetaBinomialLogPmf(5, 1, 1, 1, 1.5)).toThrow("scaledBetaBinomialLogPmf requires a scale s with 0 < s <= 1, got 1.5");
  });
});
