import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { TtcError, requireArg } from "../core/errors.ts";
import type { Figure } from "./figure.ts";
import { figureHtml } from "./figure-html.ts";
import { findChromium } from "./find-chromium.ts";
import { plotlyBundle } from "./plotly-bundle.ts";
import { launchRenderer, type Renderer } from "./renderer.ts";

/** Image formats rendered through Chromium. */
export type ImageFormat = "png" | "svg";

/** Options of one export (see {@link FigureExporter.export} and {@link exportFigure}). */
export interface ExportOptions {
  /** Base file name: writes `<name>.json`, `<name>.html`, ... Default `"figure"`. */
  name?: string;
  /** Image formats to render. Default `["png", "svg"]`; `[]` writes only json and html. */
  images?: ImageFormat[];
  /** Image width in CSS pixels. Default: `layout.width` if set, else 800. */
  width?: number;
  /** Image height in CSS pixels. Default: `layout.height` if set, else 500. */
  height?: number;
  /** PNG pixel ratio (2 gives a sharp 1600×1000 image for 800×500). Default 2. */
  scale?: number;
}

/** Options of {@link openExporter}. */
export interface OpenExporterOptions {
  /** Chromium executable; overrides `TTC_CHROMIUM` and the default locations (see {@link findChromium}). */
  chromiumPath?: string;
  /** Milliseconds to wait for the browser to start. Default 30000. */
  launchTimeoutMs?: number;
  /** `false`: never start a browser; exports then write json and html only. Default `true`. */
  browser?: boolean;
}

/** What an export wrote. */
export interface ExportFigureResult {
  /** Absolute paths of the files written, in the order json, html, png, svg. */
  files: string[];
  /** One line saying why images were skipped (no browser, no playwright-core); absent when none were. */
  notice?: string;
}

/** Writes figures to disk, keeping one headless browser open for all of them. */
export interface FigureExporter {
  /** Why PNG/SVG cannot be rendered (e.g. `"no Chromium found (...)"`); `undefined` when they can. */
  readonly unavailable: string | undefined;
  /**
   * Write `fig` into `dir` (created if missing): `<name>.json` (pretty JSON),
   * `<name>.html` (self-contained), and `<name>.png` / `<name>.svg` when a browser is open.
   */
  export(fig: Figure, dir: string, options?: ExportOptions): Promise<ExportFigureResult>;
  /** Close the browser. Idempotent; call it when done or the browser outlives your script. */
  close(): Promise<void>;
}

/**
 * Open an exporter: find Chromium and `playwright-core`, and start the browser
 * once (≈ 3 s), so that many figures can be rendered at ≈ 0.1–0.5 s each. When
 * no browser or no playwright-core is available, or the browser fails to start,
 * the exporter still writes json and html and reports why in `unavailable` and
 * in each result's `notice`; it does not throw. Node-only.
 *
 * Each file is deterministic for the same figure: json and html byte-identical;
 * png and svg identical on the same Chromium version and fonts (the page's
 * Math.random is seeded, and plotly's random SVG ids are replaced by a content
 * hash, see {@link fixSvgIds}).
 *
 * @param options - browser location and start-up timeout
 * @returns an open {@link FigureExporter}; call `close()` when done
 * @example
 * const exporter = await openExporter();
 * try {
 *   for (const [id, fig] of figures) await exporter.export(fig, `out/${id}`);
 * } finally {
 *   await exporter.close();
 * }
 */
export async function openExporter(options: OpenExporterOptions = {}): Promise<FigureExporter> {
  const found = options.browser === false ? { reason: "the browser is disabled (browser: false)" } : findChromium(options.chromiumPath);
  let renderer: Renderer | undefined;
  let unavailable: string | undefined = found.reason;
  if (found.path !== undefined) {
    const launched = await launchRenderer(found.path, plotlyBundle(), options.launchTimeoutMs ?? 30000);
    if ("reason" in launched) unavailable = launched.reason;
    else renderer = launched;
  }
  let closed = false;
  return {
    unavailable,
    async export(fig: Figure, dir: string, opts: ExportOptions = {}): Promise<ExportFigureResult> {
      requireArg("FigureExporter.export", !closed, "an exporter that is not closed", "closed");
      return writeFigure(fig, dir, opts, renderer, unavailable);
    },
    async close(): Promise<void> {
      closed = true;
      const r = renderer;
      renderer = undefined;
      await r?.close();
    },
  };
}

async function writeFigure(
  fig: Figure,
  dir: string,
  opts: ExportOptions,
  renderer: Renderer | undefined,
  unavailable: string | undefined,
): Promise<ExportFigureResult> {
  const name = opts.name ?? "figure";
  requireArg("exportFigure", /^[\w.-]+$/.test(name) && !name.startsWith("."), "a plain file name (letters, digits, _ . -)", name);
  const images = opts.images ?? ["png", "svg"];
  for (const f of images) requireArg("exportFigure", f === "png" || f === "svg", 'images from "png", "svg"', f);
  const size = imageSize(fig, opts);
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const write = (ext: string, content: string | Uint8Array) => {
    const file = resolve(out, `${name}.${ext}`);
    writeFileSync(file, content);
    files.push(file);
  };
  write("json", `${JSON.stringify(fig, null, 2)}\n`);
  write("html", figureHtml(fig, plotlyBundle()));
  if (images.length === 0) return { files };
  if (renderer === undefined) {
    return { files, notice: `${name}.${images.join("/")} skipped: ${unavailable ?? "exporter closed"}` };
  }
  const rendered = await renderer.render(fig, images, size).catch((e: unknown) => {
    throw new TtcError(`exportFigure requires a figure plotly can render, got error: ${(e as Error).message.split("\n")[0]}`);
  });
  for (const format of images) {
    const bytes = rendered.get(format);
    if (bytes !== undefined) write(format, bytes);
  }
  return { files };
}

function imageSize(fig: Figure, opts: ExportOptions): { width: number; height: number; scale: number } {
  const lw = fig.layout["width"];
  const lh = fig.layout["height"];
  const width = opts.width ?? (typeof lw === "number" ? lw : 800);
  const height = opts.height ?? (typeof lh === "number" ? lh : 500);
  const scale = opts.scale ?? 2;
  requireArg("exportFigure", width > 0 && height > 0 && Number.isFinite(width * height), "a positive finite width and height", [width, height]);
  requireArg("exportFigure", scale > 0 && scale <= 8, "0 < scale <= 8", scale);
  return { width, height, scale };
}
