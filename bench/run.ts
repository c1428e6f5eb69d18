/**
 * Run benchmarks: `npm run bench` runs every `bench/**\/*.bench.ts`;
 * `npm run bench -- NAME` runs those whose file name contains NAME.
 * Each writes `bench/results/<name>.json` (medians, ratios, machine info).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function find(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === "results" ? [] : find(p);
    return n.endsWith(".bench.ts") ? [p] : [];
  });
}

const filter = process.argv[2];
const files = find(import.meta.dirname).filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  console.error(`bench: no benchmark matches "${filter}"`);
  process.exit(2);
}
for (const f of files) {
  console.log(`== ${relative(process.cwd(), f)}`);
  execFileSync(process.execPath, ["--import", "tsx", f], { stdio: "inherit" });
}
