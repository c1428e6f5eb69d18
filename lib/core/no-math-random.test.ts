import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/** Every .ts file under a folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Marker for the one legitimate use: code that *replaces* Math.random with a seeded generator (e.g. inside a rendered page). */
const ALLOW = "ttc-lint: seeded replacement of Math.random";

/** True when code (comments removed) touches Math.random, by dot or by bracket, outside lines carrying {@link ALLOW}. */
export function usesMathRandom(source: string): boolean {
  const kept = source.split("\n").filter((line) => !line.includes(ALLOW)).join("\n");
  const code = kept.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  return /\bMath\s*(\.\s*random\b|\[\s*["'`]random)/.test(code);
}

describe("determinism lint", () => {
  it("detects the forms it bans and ignores mentions in comments", () => {
    expect(usesMathRandom("const x = Math.random();")).toBe(true);
    expect(usesMathRandom("const f = Math[\"random\"];")).toBe(true);
    expect(usesMathRandom("/** never `Math.random` */\n// Math.random here\nconst u = r.next();")).toBe(false);
    expect(usesMathRandom(`Math.random = seeded; // ${ALLOW}`)).toBe(false);
    expect(usesMathRandom(`Math.random = seeded; // ${ALLOW}\nMath.random();`)).toBe(true);
  });

  it("no Math.random in lib/ or reproductions/ (randomness comes from a seeded Rng)", () => {
    const root = join(import.meta.dirname, "..", "..");
    const offenders = ["lib", "reproductions"].flatMap((d) =>
      tsFiles(join(root, d))
        .filter((f) => usesMathRandom(readFileSync(f, "utf8")))
        .map((f) => relative(root, f)),
    );
    expect(offenders).toEqual([]);
  });
});
