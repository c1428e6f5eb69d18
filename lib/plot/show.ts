import { requireArg } from "../core/errors.ts";
import type { Figure } from "./figure.ts";
import { PLOT_CONFIG } from "./figure-html.ts";
import { plotlyBundle } from "./plotly-bundle.ts";
import { inlineScript, scriptJson } from "./script-json.ts";
import { tslabDisplay, type HtmlDisplay } from "./tslab-display.ts";

/** Options of {@link show}. */
export interface ShowOptions {
  /** Where the HTML goes. Default: tslab's `display.html` (see {@link tslabDisplay}). */
  display?: HtmlDisplay;
  /** Plot height in pixels. Default: `layout.height` if set, else 450. */
  height?: number;
  /** Send the plotly bundle again (e.g. after clearing the outputs that held it). Default: only on the first call for this display. */
  includeBundle?: boolean;
}

let plotCount = 0;
const bundleSent = new WeakSet<HtmlDisplay>();

/**
 * Draw a figure inline in a tslab (Jupyter TypeScript) notebook. The first call
 * in a kernel session outputs the plotly bundle (≈ 4.8 MB, inlined so the
 * notebook works offline); every call then outputs a `<div>` with a unique id
 * (`ttc-plot-1`, `ttc-plot-2`, ...: a counter, so output is repeatable) and a
 * script calling `Plotly.newPlot`. Node-only.
 *
 * @param fig - the figure
 * @param options - display target, height, bundle re-send
 * @returns a promise that resolves once the HTML has been sent
 * @throws InvalidArgumentError for a height that is not a positive number
 * @throws TtcError if no `options.display` is given and tslab cannot be imported,
 *   or `show` runs outside a tslab kernel
 * @example
 * // in a notebook cell
 * await show(lineFigure({ series: [{ name: "pass@k", x: [1, 2, 4], y: [0.3, 0.45, 0.6] }] }));
 */
export async function show(fig: Figure, options: ShowOptions = {}): Promise<void> {
  const display = options.display ?? (await tslabDisplay());
  if (options.includeBundle ?? !bundleSent.has(display)) {
    display(`<script>${inlineScript(plotlyBundle())}</script>`);
    bundleSent.add(display);
  }
  plotCount += 1;
  const id = `ttc-plot-${plotCount}`;
  const lh = fig.layout["height"];
  const height = options.height ?? (typeof lh === "number" ? lh : 450);
  requireArg("show", Number.isFinite(height) && height > 0, "a positive height in pixels", height);
  const lw = fig.layout["width"];
  const width = typeof lw === "number" ? `${lw}px` : "100%";
  display(
    [
      `<div id="${id}" class="ttc-plot" style="width: ${width}; height: ${height}px;"></div>`,
      "<script>",
      "(function () {",
      // Prefer the div just before this script: an id from an earlier kernel session may repeat on the page.
      "  var s = document.currentScript, prev = s && s.previousElementSibling;",
      `  var el = prev && prev.id === "${id}" ? prev : document.getElementById("${id}");`,
      "  if (!el) return;",
      '  if (!window.Plotly) { el.textContent = "Plotly is not loaded in this page: run show(fig, { includeBundle: true })."; return; }',
      `  window.Plotly.newPlot(el, ${scriptJson(fig.data)}, ${scriptJson(fig.layout)}, ${scriptJson(PLOT_CONFIG)});`,
      "})();",
      "</script>",
    ].join("\n"),
  );
}
