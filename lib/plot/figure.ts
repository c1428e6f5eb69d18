/**
 * A plotly figure as plain data: what every figure builder returns, what
 * `exportFigure` writes to `figure.json`, and what `Plotly.newPlot` draws.
 * Kept as loose records so that any plotly trace or layout field can be set.
 */
export interface Figure {
  /** Plotly traces, e.g. `{ type: "scatter", mode: "lines", x, y, name }`. */
  data: Array<Record<string, unknown>>;
  /** Plotly layout: title, axes (`xaxis.type = "log"` for log axes), legend, shapes, annotations. */
  layout: Record<string, unknown>;
}
