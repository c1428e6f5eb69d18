import type { Figure } from "./figure.ts";
import { inlineScript, scriptJson } from "./script-json.ts";

/** Plotly config used for every interactive figure: resize with the window, no logo. */
export const PLOT_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({ responsive: true, displaylogo: false });

/**
 * A self-contained HTML page drawing `fig`: the plotly bundle is inlined, so the
 * page opens offline, and the output is byte-identical for the same figure and
 * bundle (no dates, no random ids). Pure: the caller passes the bundle text
 * (see {@link plotlyBundle}).
 *
 * @param fig - the figure
 * @param bundle - plotly.js source to inline
 * @returns the page, as a string
 * @example
 * writeFileSync("figure.html", figureHtml(fig, plotlyBundle()));
 */
export function figureHtml(fig: Figure, bundle: string): string {
  const title = escapeHtml(figureTitle(fig) ?? "figure");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    "<style>html, body { margin: 0; background: #ffffff; } #figure { width: 100vw; height: 100vh; }</style>",
    `<script>${inlineScript(bundle)}</script>`,
    "</head>",
    "<body>",
    '<div id="figure"></div>',
    `<script>Plotly.newPlot("figure", ${scriptJson(fig.data)}, ${scriptJson(fig.layout)}, ${scriptJson(PLOT_CONFIG)});</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** The layout's title text, whether given as a string or as `{ text }`. */
function figureTitle(fig: Figure): string | undefined {
  const t = fig.layout["title"];
  if (typeof t === "string") return t;
  if (typeof t === "object" && t !== null && typeof (t as { text?: unknown }).text === "string") {
    return (t as { text: string }).text;
  }
  return undefined;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
