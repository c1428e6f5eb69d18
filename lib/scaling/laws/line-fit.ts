/**
 * Ordinary least-squares line v = intercept + slope·u, for laws' starting values
 * (log-log regressions and the like). Pairs with a non-finite u or v are skipped.
 *
 * @returns intercept and slope; slope 0 and the mean of v when fewer than two
 *   usable points or no spread in u
 * @example
 * lineFit([0, 1, 2], [1, 3, 5]) // { intercept: 1, slope: 2 }
 */
export function lineFit(u: ArrayLike<number>, v: ArrayLike<number>): { intercept: number; slope: number } {
  let n = 0;
  let su = 0;
  let sv = 0;
  for (let i = 0; i < u.length; i++) {
    const ui = u[i] as number;
    const vi = v[i] as number;
    if (!Number.isFinite(ui) || !Number.isFinite(vi)) continue;
    n++;
    su += ui;
    sv += vi;
  }
  if (n === 0) return { intercept: 0, slope: 0 };
  const mu = su / n;
  const mv = sv / n;
  let suu = 0;
  let suv = 0;
  for (let i = 0; i < u.length; i++) {
    const ui = u[i] as number;
    const vi = v[i] as number;
    if (!Number.isFinite(ui) || !Number.isFinite(vi)) continue;
    suu += (ui - mu) ** 2;
    suv += (ui - mu) * (vi - mv);
  }
  const slope = suu > 0 ? suv / suu : 0;
  return { intercept: mv - slope * mu, slope };
}
