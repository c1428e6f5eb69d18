import { TtcError } from "../core/errors.ts";
import { moduleRequire } from "./module-require.ts";

/** Sends one HTML fragment to the notebook as a display output. */
export type HtmlDisplay = (html: string) => void;

interface TslabLike {
  display?: { html?: (s: string) => void };
  default?: { display?: { html?: (s: string) => void } };
}

const byTslabDisplay = new WeakMap<object, HtmlDisplay>();

/**
 * tslab's `display.html`, loaded on first use (tslab is CommonJS, so through
 * {@link moduleRequire}, which returns the running kernel's own instance). tslab is a
 * development dependency, so a missing package, a package without
 * `display.html`, or a call outside a running kernel each become a
 * {@link TtcError} that says how to fix it. The same tslab display always
 * yields the same function, so callers can key per-session state on it.
 *
 * @param load - how to load tslab; injectable for tests. Default: `require("tslab")` via {@link moduleRequire}
 * @returns a function that displays an HTML fragment in the current cell
 * @throws TtcError `"show requires the tslab package ..."` if tslab cannot be imported
 *   or has no `display.html`; the returned function throws TtcError
 *   `"show requires a running tslab kernel ..."` when called outside a kernel
 * @example
 * const display = await tslabDisplay();
 * display("<b>hello</b>");
 */
export async function tslabDisplay(load: () => Promise<unknown> = importTslab): Promise<HtmlDisplay> {
  let mod: TslabLike;
  try {
    mod = (await load()) as TslabLike;
  } catch (e) {
    throw new TtcError(
      `show requires the tslab package (npm install --save-dev tslab; run inside a tslab Jupyter kernel) or options.display, got import error: ${firstLine(e)}`,
    );
  }
  const display = mod.display ?? mod.default?.display;
  if (display === undefined || typeof display.html !== "function") {
    throw new TtcError("show requires the tslab package with display.html, got a tslab module without it");
  }
  const cached = byTslabDisplay.get(display);
  if (cached !== undefined) return cached;
  const fn: HtmlDisplay = (html) => {
    try {
      display.html?.(html);
    } catch (e) {
      throw new TtcError(`show requires a running tslab kernel (call it from a notebook cell) or options.display, got tslab error: ${firstLine(e)}`);
    }
  };
  byTslabDisplay.set(display, fn);
  return fn;
}

function importTslab(): Promise<unknown> {
  // require (tslab is CommonJS) rather than import(): tslab type-checks the dist/ .js files a
  // notebook imports (checkJs + declaration emit), and rejects both `import("tslab")` (its
  // inferred type names tslab's private `Versions`) and a variable specifier (tsc's `this`-based
  // rewriteRelativeImportExtensions helper). require also returns the kernel's own instance.
  return new Promise((resolve) => resolve(moduleRequire()("tslab")));
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split("\n").find((l) => l.trim() !== "") ?? "unknown error").trim();
}
