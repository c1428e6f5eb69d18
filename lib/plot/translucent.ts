/**
 * The same colour with an alpha channel, as `rgba(r,g,b,alpha)`: used for
 * error bands, which must be drawn in their line's colour but see-through.
 *
 * Understands `#rgb`, `#rrggbb`, `rgb(r,g,b)` and `rgba(r,g,b,a)` (whose alpha is
 * replaced). Returns `undefined` for anything else (a CSS name such as `"red"`),
 * so the caller can fall back to trace opacity.
 *
 * @param color - a CSS colour
 * @param alpha - opacity in [0, 1]
 * @returns the `rgba(...)` string, or `undefined` when `color` is not in a form above
 * @example
 * translucent("#0072B2", 0.2) // "rgba(0,114,178,0.2)"
 * translucent("red", 0.2)     // undefined
 */
export function translucent(color: string, alpha: number): string | undefined {
  const c = color.trim();
  let rgb: number[] | undefined;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const h = hex[1] as string;
    const full = h.length === 3 ? [...h].map((d) => d + d).join("") : h;
    rgb = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  } else {
    const fn = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)$/i.exec(c);
    if (fn) rgb = [fn[1], fn[2], fn[3]].map((v) => Math.min(255, Number(v)));
  }
  if (rgb === undefined) return undefined;
  return `rgba(${rgb.join(",")},${alpha})`;
}
