import { requireArg } from "../core/errors.ts";
import { baseLayout } from "./base-layout.ts";
import { checkValues } from "./check-values.ts";
import type { Figure } from "./figure.ts";
import { paletteColor } from "./palette.ts";
import { translucent } from "./translucent.ts";

/** One line of a {@link lineFigure}. */
export interface LineSeries {
  /** Legend entry; also names the series in error messages. */
  name: string;
  /** x coordinates. */
  x: ArrayLike<number>;
  /** y coordinates, as many as `x`; NaN leaves a gap. */
  y: ArrayLike<number>;
  /** Error band drawn as a translucent area from `lo` to `hi` (each as long as `x`). */
  band?: { lo: ArrayLike<number>; hi: ArrayLike<number> };
  /** Line dash. Default `"solid"`. */
  dash?: "solid" | "dash" | "dot";
  /** Line (and band) colour. Default: the next {@link PALETTE} colour. */
  color?: string;
  /** Draw mode. Default `"lines"`. */
  mode?: "lines" | "lines+markers" | "markers";
}

/** A labelled vertical marker line, e.g. a compute budget. */
export interface VLine {
  /** Where, in data coordinates (positive on a log x axis). */
  x: number;
  /** Text written above the plot area. Default: none. */
  label?: string;
}

/** Options of {@link lineFigure}. */
export interface LineFigureOptions {
  /** The lines, drawn in order; colours cycle through the palette. */
  series: LineSeries[];
  /** Figure title. */
  title?: string;
  /** x-axis title. */
  xTitle?: string;
  /** y-axis title. */
  yTitle?: string;
  /** Logarithmic x axis; every x must then be positive. Default `false`. */
  logX?: boolean;
  /** Logarithmic y axis; every y and band value must then be positive. Default `false`. */
  logY?: boolean;
  /** Dotted vertical lines with labels. Default: none. */
  vlines?: VLine[];
  /** y-axis range `[lo, hi]` in data units (positive on a log axis). Default: automatic. */
  yRange?: [number, number];
}

/**
 * Lines with optional error bands: pass@k against k, accuracy against budget.
 * Each band is a filled polygon (x forward then backward, `fill: "toself"`) in
 * its line's colour at 20% opacity, drawn beneath the line, hidden from the
 * legend and grouped with its line so that clicking the legend hides both.
 *
 * @param opts - series, titles, axis scales, vertical lines, y range
 * @returns a plotly {@link Figure}
 * @throws InvalidArgumentError if a series' x, y or band lengths differ, a value
 *   is infinite, or a log axis receives a value ≤ 0 (the message names the
 *   series, the index and the value)
 * @example
 * const fig = lineFigure({
 *   series: [{ name: "pass@k", x: [1, 2, 4], y: [0.3, 0.45, 0.6], band: { lo: [0.25, 0.4, 0.55], hi: [0.35, 0.5, 0.65] } }],
 *   xTitle: "k", yTitle: "pass@k", logX: true, vlines: [{ x: 2, label: "budget" }],
 * });
 */
export function lineFigure(opts: LineFigureOptions): Figure {
  const fn = "lineFigure";
  const logX = opts.logX === true;
  const logY = opts.logY === true;
  requireArg(fn, Array.isArray(opts.series) && opts.series.length > 0, "at least one series", opts.series?.length);
  const data: Array<Record<string, unknown>> = [];
  opts.series.forEach((s, i) => {
    const where = `series ${JSON.stringify(s.name)}`;
    const x = checkValues(fn, s.x, `x values in ${where}`, logX);
    const y = checkValues(fn, s.y, `y values in ${where}`, logY);
    requireArg(fn, y.length === x.length, `y.length === x.length (${x.length}) in ${where}`, y.length);
    const color = s.color ?? paletteColor(i);
    const group = `series-${i}`;
    if (s.band !== undefined) data.push(bandTrace(s, x, color, group, logY));
    const mode = s.mode ?? "lines";
    const trace: Record<string, unknown> = { type: "scatter", mode, name: s.name, x, y, legendgroup: group };
    trace["line"] = { color, width: 2, dash: s.dash ?? "solid" };
    if (mode !== "lines") trace["marker"] = { color, size: 7 };
    data.push(trace);
  });
  const layout = baseLayout(opts);
  if (opts.yRange !== undefined) setYRange(layout, opts.yRange, logY);
  if (opts.vlines !== undefined && opts.vlines.length > 0) addVLines(layout, opts.vlines, logX);
  return { data, layout };
}

function bandTrace(s: LineSeries, x: number[], color: string, group: string, logY: boolean): Record<string, unknown> {
  const fn = "lineFigure";
  const where = `band of series ${JSON.stringify(s.name)}`;
  const lo = checkValues(fn, s.band?.lo ?? [], `lo values in ${where}`, logY);
  const hi = checkValues(fn, s.band?.hi ?? [], `hi values in ${where}`, logY);
  requireArg(fn, lo.length === x.length, `band.lo.length === x.length (${x.length}) in ${where}`, lo.length);
  requireArg(fn, hi.length === x.length, `band.hi.length === x.length (${x.length}) in ${where}`, hi.length);
  lo.forEach((l, j) => requireArg(fn, !((l as number) > (hi[j] as number)), `lo <= hi in ${where} (index ${j})`, { lo: l, hi: hi[j] }));
  const fill = translucent(color, 0.2);
  const trace: Record<string, unknown> = {
    type: "scatter",
    mode: "lines",
    name: `${s.name} band`,
    x: [...x, ...[...x].reverse()],
    y: [...hi, ...[...lo].reverse()],
    fill: "toself",
    fillcolor: fill ?? color,
    line: { color, width: 0 },
    hoverinfo: "skip",
    showlegend: false,
    legendgroup: group,
  };
  if (fill === undefined) trace["opacity"] = 0.2;
  return trace;
}

function setYRange(layout: Record<string, unknown>, range: [number, number], logY: boolean): void {
  requireArg("lineFigure", range.length === 2, "yRange = [lo, hi]", range);
  const [lo, hi] = checkValues("lineFigure", range, "yRange values", logY) as [number, number];
  requireArg("lineFigure", lo < hi, "yRange = [lo, hi] with lo < hi", range);
  const yaxis = layout["yaxis"] as Record<string, unknown>;
  yaxis["range"] = logY ? [Math.log10(lo), Math.log10(hi)] : [lo, hi];
}

function addVLines(layout: Record<string, unknown>, vlines: VLine[], logX: boolean): void {
  const xs = checkValues("lineFigure", vlines.map((v) => v.x), "vline x values", logX);
  // On a log axis plotly places shapes at data values but annotations at log10 of them
  // (plotly/plotly.js#1258, #6194).
  const at = xs.map((x) => (logX ? Math.log10(x) : x));
  layout["shapes"] = xs.map((x) => ({
    type: "line", xref: "x", yref: "paper", x0: x, x1: x, y0: 0, y1: 1,
    line: { color: "#555555", width: 1, dash: "dot" },
  }));
  layout["annotations"] = vlines.flatMap((v, i) => v.label === undefined ? [] : [{
    x: at[i], xref: "x", y: 1, yref: "paper", yanchor: "bottom", text: v.label,
    showarrow: false, font: { size: 11, color: "#555555" },
  }]);
}
