import { requireArg } from "../core/errors.ts";
import { baseLayout } from "./base-layout.ts";
import { checkValues } from "./check-values.ts";
import type { Figure } from "./figure.ts";
import { paletteColor } from "./palette.ts";
import { paretoFrontier } from "./pareto-frontier.ts";

/** One point of a {@link paretoFigure}: a configuration's cost and score. */
export interface ParetoPoint {
  /** Cost (smaller is better), e.g. FLOPs or tokens. */
  x: number;
  /** Score (larger is better), e.g. accuracy. */
  y: number;
  /** Shown on hover, e.g. `"beam, N=16"`. Default: none. */
  label?: string;
}

/** One group of points (e.g. one strategy), with its own colour and frontier. */
export interface ParetoGroup {
  /** Legend entry; also names the group in error messages. */
  name: string;
  /** The group's points, in any order. */
  points: ParetoPoint[];
  /** Marker and frontier colour. Default: the next {@link PALETTE} colour. */
  color?: string;
}

/** Options of {@link paretoFigure}. */
export interface ParetoFigureOptions {
  /** Point groups; each gets a scatter trace and a frontier step line. */
  groups: ParetoGroup[];
  /** Figure title. */
  title?: string;
  /** x-axis title (the cost). */
  xTitle?: string;
  /** y-axis title (the score). */
  yTitle?: string;
  /** Logarithmic x axis; every x must then be positive. Default `false`. */
  logX?: boolean;
  /** Logarithmic y axis; every y must then be positive. Default `false`. */
  logY?: boolean;
}

/**
 * Cost–score scatter with each group's Pareto frontier (maximize y, minimize x,
 * see {@link paretoFrontier}) drawn as a step line: at any cost, the line shows
 * the best score reachable at or below that cost. Dominated points are drawn
 * fainter than frontier points. Per group: a markers trace with every point
 * (hover shows labels; no legend entry) and a frontier trace (step line through
 * the frontier points; carries the legend entry; no hover), in one legend group.
 *
 * @param opts - groups of points, titles, axis scales
 * @returns a plotly {@link Figure} with two traces per group (points, then frontier)
 * @throws InvalidArgumentError if there are no groups, a coordinate is not
 *   finite, or a log axis receives a value ≤ 0 (the message names the group)
 * @example
 * const fig = paretoFigure({
 *   groups: [{ name: "beam", points: [{ x: 1e12, y: 0.4, label: "N=4" }, { x: 4e12, y: 0.55, label: "N=16" }] }],
 *   xTitle: "FLOPs", yTitle: "accuracy", logX: true,
 * });
 */
export function paretoFigure(opts: ParetoFigureOptions): Figure {
  const fn = "paretoFigure";
  requireArg(fn, opts.groups.length > 0, "at least one group", opts.groups.length);
  const data: Array<Record<string, unknown>> = [];
  opts.groups.forEach((g, i) => {
    const where = `group ${JSON.stringify(g.name)}`;
    const x = checkValues(fn, g.points.map((p) => p.x), `x values in ${where}`, opts.logX === true);
    const y = checkValues(fn, g.points.map((p) => p.y), `y values in ${where}`, opts.logY === true);
    x.forEach((v, j) => requireArg(fn, !Number.isNaN(v) && !Number.isNaN(y[j]), `x and y not NaN in ${where} (index ${j})`, g.points[j]));
    const color = g.color ?? paletteColor(i);
    const group = `group-${i}`;
    const front = paretoFrontier(x.map((xj, j) => ({ x: xj, y: y[j] as number, j })));
    const onFront = new Set(front.map((p) => p.j));
    const points: Record<string, unknown> = {
      type: "scatter",
      mode: "markers",
      name: g.name,
      x,
      y,
      marker: { color, size: 8, opacity: x.map((_, j) => (onFront.has(j) ? 1 : 0.4)) },
      showlegend: false, // the frontier trace carries the legend entry, in full colour
      legendgroup: group,
    };
    if (g.points.some((p) => p.label !== undefined)) {
      points["text"] = g.points.map((p) => p.label ?? "");
      points["hovertemplate"] = "%{text}<br>x = %{x}<br>y = %{y}";
    }
    data.push(points, {
      type: "scatter",
      mode: "lines+markers",
      name: g.name,
      x: front.map((p) => p.x),
      y: front.map((p) => p.y),
      line: { color, width: 1.5, shape: "hv" },
      marker: { color, size: 8 },
      hoverinfo: "skip",
      legendgroup: group,
    });
  });
  return { data, layout: baseLayout(opts) };
}
