/**
 * The colours every ttc-lab figure cycles through: the Okabe–Ito palette, which
 * stays distinguishable under the common forms of colour blindness. Its yellow
 * (#F0E442) is replaced by a grey because yellow lines vanish on white.
 *
 * @see Okabe & Ito (2008), "Color Universal Design", https://jfly.uni-koeln.de/color/
 */
export const PALETTE: readonly string[] = Object.freeze([
  "#0072B2", // blue
  "#D55E00", // vermillion
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#E69F00", // orange
  "#56B4E9", // sky blue
  "#000000", // black
  "#999999", // grey
]);

/**
 * The colour of the `i`-th series: `PALETTE[i mod PALETTE.length]`.
 *
 * @param i - series index, a non-negative integer
 * @returns a `#rrggbb` colour
 * @example
 * paletteColor(0) // "#0072B2"
 * paletteColor(8) // "#0072B2" (the palette cycles)
 */
export function paletteColor(i: number): string {
  const n = PALETTE.length;
  return PALETTE[((Math.trunc(i) % n) + n) % n] as string;
}
