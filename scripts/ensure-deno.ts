/**
 * Find a Deno 2 binary, installing one from the npm registry into
 * `out/tools/deno/` the first time (the `deno` package ships its binary in a
 * per-platform package). Deno is not a devDependency because the lockfile would
 * then have to name every platform's binary package, and `npm ci` refuses a
 * lockfile that lacks any of them.
 *
 * Usage: `tsx scripts/ensure-deno.ts` prints the path of the binary.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const DENO_VERSION = "2.9.6";

/** Path of a usable Deno binary; installs one under `<root>/out/tools/deno` if needed. */
export function ensureDeno(root: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  if (process.env.TTC_DENO && existsSync(process.env.TTC_DENO)) return process.env.TTC_DENO;
  const prefix = join(root, "out", "tools", "deno");
  const bin = join(prefix, "node_modules", ".bin", "deno");
  if (existsSync(bin)) return bin;
  log(`installing deno@${DENO_VERSION} into ${prefix} (once)`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", prefix, `deno@${DENO_VERSION}`], { stdio: ["ignore", "ignore", "inherit"] });
  if (!existsSync(bin)) throw new Error(`ensureDeno: npm installed deno@${DENO_VERSION} but ${bin} is missing`);
  return bin;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  console.log(ensureDeno(join(import.meta.dirname, "..")));
}
