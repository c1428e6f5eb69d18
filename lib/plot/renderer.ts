import type { Figure } from "./figure.ts";
import { fixSvgIds } from "./fix-svg-ids.ts";
import { moduleRequire } from "./module-require.ts";
import { inlineScript, scriptJson } from "./script-json.ts";

/** The flags every ttc-lab browser starts with: headless, no sandbox (containers), no network chatter. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]);

/** A page in a running headless browser with plotly loaded, turning figures into image bytes. */
export interface Renderer {
  /** Render `fig` in each format; the page's random source is reset first, so output is repeatable. */
  render(fig: Figure, formats: readonly string[], size: { width: number; height: number; scale: number }): Promise<Map<string, Uint8Array>>;
  /** Close the browser. */
  close(): Promise<void>;
}

// The parts of playwright-core used here, typed locally so that it stays an optional dependency.
interface PwPage {
  setContent(html: string, options?: { timeout?: number }): Promise<void>;
  evaluate(expression: string): Promise<unknown>;
}
interface PwBrowser {
  newPage(): Promise<PwPage>;
  close(): Promise<void>;
}
interface PwChromium {
  launch(options: { executablePath: string; args: string[]; timeout: number }): Promise<PwBrowser>;
}

/**
 * In the page: replace Math.random by a seeded generator (mulberry32) that
 * `__ttcRender` resets before every image, so plotly's random clip-path ids are
 * the same on every run; then define `__ttcRender(figure, options)`, which
 * returns `{ png?: dataUrl, svg?: dataUrl }` from `Plotly.toImage`.
 */
const PAGE_SCRIPT = `
(function () {
  var state = 0;
  Math.random = function () { // ttc-lint: seeded replacement of Math.random (deterministic plotly ids)
    state = (state + 0x6d2b79f5) >>> 0;
    var t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  window.__ttcRender = async function (fig, o) {
    var out = {};
    for (var i = 0; i < o.formats.length; i++) {
      var format = o.formats[i];
      state = 20240601;
      out[format] = await Plotly.toImage(
        { data: fig.data, layout: fig.layout, config: { staticPlot: true } },
        { format: format, width: o.width, height: o.height, scale: format === "png" ? o.scale : 1 }
      );
    }
    return out;
  };
})();`;

/**
 * Start headless Chromium through playwright-core and load plotly into one page.
 * Never throws: when playwright-core is missing or the browser does not start,
 * returns `{ reason }`, a short phrase for the caller's notice. Node-only.
 *
 * @param executablePath - the Chromium executable (see {@link findChromium})
 * @param bundle - the plotly.js source to load into the page
 * @param timeoutMs - how long to wait for the browser and the page
 * @returns a {@link Renderer}, or `{ reason }` when none could be started
 * @example
 * const r = await launchRenderer("/usr/bin/chromium", plotlyBundle(), 30000);
 * if (!("reason" in r)) { const images = await r.render(fig, ["png"], { width: 800, height: 500, scale: 2 }); await r.close(); }
 */
export async function launchRenderer(executablePath: string, bundle: string, timeoutMs: number): Promise<Renderer | { reason: string }> {
  let chromium: PwChromium | undefined;
  try {
    // require, not import(): the optional dependency is then neither needed at compile time nor
    // loaded through a tsc helper that tslab's checkJs pass rejects (see tslab-display.ts).
    const mod = moduleRequire()("playwright-core") as { chromium?: PwChromium };
    chromium = mod.chromium;
  } catch {
    chromium = undefined;
  }
  if (chromium === undefined) return { reason: "playwright-core is not installed (npm install playwright-core)" };
  let browser: PwBrowser | undefined;
  try {
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: timeoutMs });
    const page = await browser.newPage();
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><script>${PAGE_SCRIPT}</script><script>${inlineScript(bundle)}</script></head><body></body></html>`;
    await page.setContent(html, { timeout: timeoutMs });
    const b = browser;
    return {
      async render(fig, formats, size) {
        const urls = (await page.evaluate(`window.__ttcRender(${scriptJson(fig)}, ${scriptJson({ formats, ...size })})`)) as Record<string, string>;
        return new Map(
          formats.map((f) => {
            const bytes = decodeDataUrl(urls[f] ?? "");
            return [f, f === "svg" ? Buffer.from(fixSvgIds(Buffer.from(bytes).toString("utf8")), "utf8") : bytes];
          }),
        );
      },
      close: () => b.close(),
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    return { reason: `Chromium at ${executablePath} failed to start: ${firstLine(e)}` };
  }
}

/** Decode a `data:` URL (base64 or percent-encoded) to bytes. */
function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(",");
  if (!url.startsWith("data:") || comma < 0) throw new Error(`plotly returned no image (${url.slice(0, 40)})`);
  const header = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return header.endsWith(";base64") ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "utf8");
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split("\n").find((l) => l.trim() !== "") ?? "unknown error").trim();
}
