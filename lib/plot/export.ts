import type { Figure } from "./figure.ts";
import { openExporter, type ExportFigureResult, type ExportOptions, type OpenExporterOptions } from "./figure-exporter.ts";

/** Options of {@link exportFigure}: those of one export plus where to find the browser. */
export interface ExportFigureOptions extends ExportOptions, OpenExporterOptions {}

/**
 * Write one figure into `dir`: `figure.json` (pretty JSON), `figure.html`
 * (self-contained, opens offline) and, through headless Chromium,
 * `figure.png` and `figure.svg`. Without a browser or playwright-core the
 * images are skipped and the result's `notice` says why, in one line; nothing
 * is thrown. Starts a browser for this call only (≈ 3 s); to export many
 * figures, use {@link openExporter} once instead. Node-only.
 *
 * @param fig - the figure
 * @param dir - output folder, created if missing
 * @param options - file name, image formats and size, Chromium location
 * @returns the absolute paths written and, if images were skipped, a `notice`
 * @throws InvalidArgumentError for a bad `name`, size or scale; TtcError if plotly
 *   cannot render the figure; node:fs errors if `dir` cannot be written
 * @example
 * const { files, notice } = await exportFigure(fig, "reproductions/snell/out");
 * if (notice) console.warn(notice);
 */
export async function exportFigure(fig: Figure, dir: string, options: ExportFigureOptions = {}): Promise<ExportFigureResult> {
  // Without images to render, no browser is started.
  const browser = (options.images ?? ["png", "svg"]).length > 0 && options.browser !== false;
  const exporter = await openExporter({ ...options, browser });
  try {
    return await exporter.export(fig, dir, options);
  } finally {
    await exporter.close();
  }
}
