import { createRequire } from "node:module";
import { isAbsolute } from "node:path";
import process from "node:process";

/**
 * A `require` that resolves packages from ttc-lab's own folder (so it finds
 * ttc-lab's dependencies under any package manager), written without
 * `import.meta`. tslab compiles the `dist/` files a notebook imports to
 * CommonJS, and Node then rejects any file containing `import.meta` ("exports is
 * not defined in ES module scope"). So: this file's path from the V8 call-site
 * API (works for ES modules and CommonJS alike), else `__filename` if it is an
 * absolute path, else the working directory. Node-only.
 *
 * @returns a require function anchored at this module's file
 * @example
 * const bundlePath = moduleRequire().resolve("plotly.js-dist-min/plotly.min.js");
 */
export function moduleRequire(): NodeJS.Require {
  return createRequire(ownFile() ?? `${process.cwd()}/`);
}

function ownFile(): string | undefined {
  const fromStack = callSiteFile();
  if (fromStack.startsWith("file:") || isAbsolute(fromStack)) return fromStack;
  // A global __filename can be unrelated ("[eval]" under `node -e`): only an absolute path is trusted.
  if (typeof __filename === "string" && isAbsolute(__filename)) return __filename;
  return undefined;
}

/** This file's name from the V8 call-site API, or "" if unavailable. */
function callSiteFile(): string {
  // Written so that its compiled JavaScript also type-checks: tslab runs checkJs over dist/.
  let file = "";
  const original = Error.prepareStackTrace;
  try {
    // V8 hands the structured call sites to prepareStackTrace when `stack` is first read.
    Error.prepareStackTrace = (_error, sites) => {
      const name = sites[0]?.getFileName();
      file = typeof name === "string" ? name : "";
      return "";
    };
    void new Error().stack;
  } catch {
    file = "";
  } finally {
    Error.prepareStackTrace = original;
  }
  return file;
}
