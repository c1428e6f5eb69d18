import { readFileSync } from "node:fs";
import { moduleRequire } from "./module-require.ts";

let cached: string | undefined;

/**
 * The text of the minified plotly.js bundle (`plotly.js-dist-min/plotly.min.js`,
 * about 4.8 MB), read once and cached. Inlined into exported HTML so that it
 * opens offline, and sent once per notebook session by {@link show}. Node-only.
 *
 * @returns the bundle's JavaScript source
 * @throws Error from node:fs or module resolution if `plotly.js-dist-min` is not installed
 * @example
 * const js = plotlyBundle();
 * const html = `<script>${js}</script>`;
 */
export function plotlyBundle(): string {
  if (cached === undefined) {
    const file = moduleRequire().resolve("plotly.js-dist-min/plotly.min.js");
    cached = readFileSync(file, "utf8");
  }
  return cached;
}
