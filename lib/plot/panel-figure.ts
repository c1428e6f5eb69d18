import { requireArg } from "../core/errors.ts";
import type { Figure } from "./figure.ts";

/** One panel of {@link panelFigure}: a figure and where it goes on the page. */
export interface Panel {
  figure: Figure;
  /** The panel's x axis domain, [from, to] in paper coordinates (0 … 1). */
  x: [number, number];
  /** The panel's y axis domain; default: the panel figure's own (the full height). */
  y?: [number, number];
  /** A title centred over the panel (a paper-coordinate annotation at y 1.04). */
  title?: string;
  /**
   * The legend group of each trace: traces sharing a group show one legend entry's
   * toggling together (across panels too). Default: the trace's own group, unchanged.
   */
  legendGroup?: (trace: Record<string, unknown>) => string;
  /** Legend entries of this panel's traces: `false` hides them, `true` keeps each trace's own setting. Default: left as they are. */
  showLegend?: boolean;
  /** Drop the y axis title (for panels that share the first panel's). Default false. */
  hideYTitle?: boolean;
}

/**
 * Several figures as panels of one: panel i's traces are put on axes
 * x{i+1} / y{i+1} (plotly's x, y, x2, y2, …), each panel's axes keep their own
 * settings plus the given domains, and `layout` (title, size, margins, legend)
 * is the page's. The panels' own layouts are otherwise dropped: start `layout`
 * from one of them (`{ ...panels[0].figure.layout, ... }`) to keep its theme.
 *
 * @param panels - the figures and their places, in axis order
 * @param layout - the page layout; `annotations` in it are kept, panel titles are appended
 * @returns the combined figure (new objects; the panels are not modified)
 * @throws InvalidArgumentError when no panel is given or a domain is not 0 ≤ from < to ≤ 1
 * @example
 * const fig = panelFigure(
 *   [{ figure: left, x: [0, 0.45], title: "dense" }, { figure: right, x: [0.55, 1], title: "sparse", showLegend: false }],
 *   { title: { text: "decode time" }, legend: { orientation: "h", y: -0.2 } },
 * );
 */
export function panelFigure(panels: readonly Panel[], layout: Record<string, unknown>): Figure {
  requireArg("panelFigure", panels.length > 0, "at least one panel", panels.length);
  const inUnit = (d: readonly number[] | undefined) => d === undefined || (d.length === 2 && 0 <= (d[0] as number) && (d[0] as number) < (d[1] as number) && (d[1] as number) <= 1);
  panels.forEach((p, i) => requireArg("panelFigure", inUnit(p.x) && inUnit(p.y), `panel ${i}: x and y domains [from, to] with 0 ≤ from < to ≤ 1`, { x: p.x, y: p.y }));
  const data: Record<string, unknown>[] = [];
  const out: Record<string, unknown> = { ...layout };
  const titles = panels.filter((p) => p.title !== undefined);
  if (titles.length > 0) out["annotations"] = [...((layout["annotations"] as unknown[] | undefined) ?? [])];
  panels.forEach((panel, i) => {
    const k = i === 0 ? "" : String(i + 1);
    for (const t of panel.figure.data) {
      data.push({
        ...t,
        ...(panel.legendGroup !== undefined ? { legendgroup: panel.legendGroup(t) } : {}),
        xaxis: `x${k}`,
        yaxis: `y${k}`,
        ...(panel.showLegend === false ? { showlegend: false } : panel.showLegend === true ? { showlegend: t["showlegend"] } : {}),
      });
    }
    out[`xaxis${k}`] = { ...(panel.figure.layout["xaxis"] as Record<string, unknown>), domain: panel.x, anchor: `y${k}` };
    out[`yaxis${k}`] = {
      ...(panel.figure.layout["yaxis"] as Record<string, unknown>),
      ...(panel.y !== undefined ? { domain: panel.y } : {}),
      anchor: `x${k}`,
      ...(panel.hideYTitle === true ? { title: { text: "" } } : {}),
    };
    if (panel.title !== undefined) {
      (out["annotations"] as unknown[]).push({ text: panel.title, xref: "paper", yref: "paper", x: (panel.x[0] + panel.x[1]) / 2, y: 1.04, showarrow: false, xanchor: "center" });
    }
  });
  return { data, layout: out };
}
