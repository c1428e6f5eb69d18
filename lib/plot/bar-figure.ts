import { requireArg } from "../core/errors.ts";
import { baseLayout } from "./base-layout.ts";
import { checkValues } from "./check-values.ts";
import type { Figure } from "./figure.ts";
import { paletteColor } from "./palette.ts";

/** One group of bars in a {@link barFigure}: one bar per category. */
export interface BarGroup {
  /** Legend entry; also names the group in error messages. */
  name: string;
  /** Bar heights, one per category; NaN leaves a category empty. */
  values: ArrayLike<number>;
  /** Symmetric error-bar half-widths (≥ 0), one per category. Default: none. */
  error?: ArrayLike<number>;
  /** Bar colour. Default: the next {@link PALETTE} colour. */
  color?: string;
}

/** Options of {@link barFigure}. */
export interface BarFigureOptions {
  /** Category labels along x, in order; must be distinct. */
  categories: readonly string[];
  /** Bar groups, drawn side by side within each category. */
  groups: BarGroup[];
  /** Figure title. */
  title?: string;
  /** x-axis title. */
  xTitle?: string;
  /** y-axis title. */
  yTitle?: string;
  /** Logarithmic y axis; every value must then be positive. Default `false`. */
  logY?: boolean;
}

/**
 * Grouped bars with optional error bars: e.g. accuracy per difficulty bin
 * (categories) for each selection rule (groups). Categories stay categorical
 * even when they look like numbers ("1", "2", "4").
 *
 * @param opts - categories, groups, titles, y scale
 * @returns a plotly {@link Figure}
 * @throws InvalidArgumentError if categories are empty or repeated, a group's
 *   values or errors do not match the categories in length, an error is
 *   negative, or a log y axis receives a value ≤ 0
 * @example
 * const fig = barFigure({
 *   categories: ["easy", "medium", "hard"],
 *   groups: [{ name: "majority", values: [0.9, 0.6, 0.2], error: [0.02, 0.03, 0.03] },
 *            { name: "best-of-n", values: [0.92, 0.7, 0.3] }],
 *   yTitle: "accuracy",
 * });
 */
export function barFigure(opts: BarFigureOptions): Figure {
  const fn = "barFigure";
  const categories = [...opts.categories];
  requireArg(fn, categories.length > 0, "at least one category", categories.length);
  categories.forEach((c, i) => {
    requireArg(fn, categories.indexOf(c) === i, "distinct categories", c);
  });
  requireArg(fn, opts.groups.length > 0, "at least one group", opts.groups.length);
  const n = categories.length;
  const data = opts.groups.map((g, i) => {
    const where = `group ${JSON.stringify(g.name)}`;
    const y = checkValues(fn, g.values, `values in ${where}`, opts.logY === true);
    requireArg(fn, y.length === n, `values.length === categories.length (${n}) in ${where}`, y.length);
    const color = g.color ?? paletteColor(i);
    const trace: Record<string, unknown> = {
      type: "bar",
      name: g.name,
      x: [...categories],
      y,
      marker: { color, line: { width: 0 } },
    };
    if (g.error !== undefined) {
      const err = checkValues(fn, g.error, `error values in ${where}`, false);
      requireArg(fn, err.length === n, `error.length === categories.length (${n}) in ${where}`, err.length);
      err.forEach((e, j) => requireArg(fn, !(e < 0), `error values >= 0 in ${where} (index ${j})`, e));
      trace["error_y"] = { type: "data", array: err, visible: true, color: "#333333", thickness: 1.2, width: 4 };
    }
    return trace;
  });
  const layout = baseLayout({ ...opts, logX: false });
  Object.assign(layout, { barmode: "group", bargap: 0.2, bargroupgap: 0.05 });
  Object.assign(layout["xaxis"] as Record<string, unknown>, { type: "category", showgrid: false });
  return { data, layout };
}
