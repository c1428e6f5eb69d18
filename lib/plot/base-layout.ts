import { PALETTE } from "./palette.ts";

/** Options of {@link baseLayout}. Every field is optional. */
export interface BaseLayoutOptions {
  /** Figure title, drawn top left. Default: none. */
  title?: string;
  /** x-axis title. Default: none. */
  xTitle?: string;
  /** y-axis title. Default: none. */
  yTitle?: string;
  /** Logarithmic x axis. Default `false`. */
  logX?: boolean;
  /** Logarithmic y axis. Default `false`. */
  logY?: boolean;
}

/** Fonts in order of preference; Liberation Sans has Arial's metrics and ships with Debian. */
const FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif";

/**
 * The layout every ttc-lab figure starts from: white background, light grid,
 * axis lines with outside ticks, the {@link PALETTE} as colorway, and the legend
 * outside the plot area on the right so it never covers data.
 *
 * @param opts - titles and axis scales
 * @returns a fresh plotly layout object (safe to modify)
 * @example
 * const layout = baseLayout({ title: "pass@k", xTitle: "k", yTitle: "pass@k", logX: true });
 * // layout.xaxis.type === "log"
 */
export function baseLayout(opts: BaseLayoutOptions = {}): Record<string, unknown> {
  const layout: Record<string, unknown> = {};
  if (opts.title !== undefined) layout["title"] = { text: opts.title, x: 0.01, xanchor: "left", font: { size: 17 } };
  Object.assign(layout, {
    font: { family: FONT_FAMILY, size: 13, color: "#222222" },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    colorway: [...PALETTE],
    margin: { l: 70, r: 20, t: opts.title === undefined ? 30 : 64, b: 60 },
    xaxis: axis(opts.xTitle, opts.logX === true),
    yaxis: axis(opts.yTitle, opts.logY === true),
    legend: { x: 1.02, xanchor: "left", y: 1, yanchor: "top", bgcolor: "rgba(255,255,255,0)", font: { size: 12 } },
    hovermode: "closest",
  });
  return layout;
}

function axis(title: string | undefined, log: boolean): Record<string, unknown> {
  const a: Record<string, unknown> = {
    type: log ? "log" : "linear",
    showgrid: true,
    gridcolor: "#e8e8e8",
    zeroline: false,
    showline: true,
    linecolor: "#444444",
    linewidth: 1,
    ticks: "outside",
    tickcolor: "#444444",
    automargin: true,
  };
  if (log) a["exponentformat"] = "power";
  if (title !== undefined) a["title"] = { text: title };
  return a;
}
