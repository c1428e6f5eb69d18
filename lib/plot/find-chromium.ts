import { accessSync, constants, statSync } from "node:fs";
import process from "node:process";

/** Where {@link findChromium} looks when neither an explicit path nor `TTC_CHROMIUM` is set. */
export const DEFAULT_CHROMIUM_PATHS: readonly string[] = Object.freeze([
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
]);

/** What {@link findChromium} found: a browser path, or why there is none. */
export type ChromiumLookup = { path: string; reason?: undefined } | { path?: undefined; reason: string };

/**
 * Find a Chromium executable for rendering figures to PNG/SVG. Looks at, in
 * order: `chromiumPath`, then the `TTC_CHROMIUM` environment variable, then
 * {@link DEFAULT_CHROMIUM_PATHS}. An explicit path (argument or variable) that
 * is not an executable file is reported, not skipped, so a typo is not hidden
 * by a fallback. Node-only; never throws.
 *
 * @param chromiumPath - an explicit executable path; overrides everything
 * @param env - environment to read `TTC_CHROMIUM` from. Default `process.env`
 * @returns `{ path }` of an executable file, or `{ reason }`: a short phrase such as
 *   `"no Chromium found (set TTC_CHROMIUM or apt-get install chromium)"`
 * @example
 * const found = findChromium();
 * if (found.path === undefined) console.log(`images skipped: ${found.reason}`);
 */
export function findChromium(
  chromiumPath?: string,
  env: Record<string, string | undefined> = process.env,
): ChromiumLookup {
  if (chromiumPath !== undefined) {
    return isExecutable(chromiumPath) ? { path: chromiumPath } : { reason: `no Chromium at ${chromiumPath} (options.chromiumPath)` };
  }
  const fromEnv = env["TTC_CHROMIUM"];
  if (fromEnv !== undefined && fromEnv !== "") {
    return isExecutable(fromEnv) ? { path: fromEnv } : { reason: `no Chromium at ${fromEnv} (TTC_CHROMIUM)` };
  }
  const found = DEFAULT_CHROMIUM_PATHS.find(isExecutable);
  return found !== undefined ? { path: found } : { reason: "no Chromium found (set TTC_CHROMIUM or apt-get install chromium)" };
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
