/**
 * x[xo .. xo+d) · y[yo .. yo+d) in float64 with four partial sums (lanes i mod
 * 4, combined as (s0 + s1) + (s2 + s3)): the fixed summation order of the
 * plain-JS attention and selection loops, so their results are reproducible to
 * the bit.
 *
 * @example
 * dotAt(Float64Array.of(1, 2, 3), 0, Float32Array.of(0, 4, 5, 6), 1, 3); // 32
 */
export function dotAt(x: Float64Array, xo: number, y: Float32Array, yo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += (x[xo + i] as number) * (y[yo + i] as number);
    s1 += (x[xo + i + 1] as number) * (y[yo + i + 1] as number);
    s2 += (x[xo + i + 2] as number) * (y[yo + i + 2] as number);
    s3 += (x[xo + i + 3] as number) * (y[yo + i + 3] as number);
  }
  for (; i < d; i++) s0 += (x[xo + i] as number) * (y[yo + i] as number);
  return s0 + s1 + (s2 + s3);
}
