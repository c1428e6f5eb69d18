import { describe, it, expect } from "vitest";
import { existsSync } from "node:fs";
import { moduleRequire } from "./module-require.ts";

describe("moduleRequire", () => {
  it("resolves ttc-lab's dependencies", () => {
    const file = moduleRequire().resolve("plotly.js-dist-min/plotly.min.js");
    expect(file.endsWith("plotly.min.js")).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it("leaves Error.prepareStackTrace as it was", () => {
    const before = Error.prepareStackTrace;
    moduleRequire();
    expect(Error.prepareStackTrace).toBe(before);
  });
});

describe("lib/plot sources stay loadable in tslab", () => {
  it("use no import.meta and no dynamic import() (tslab recompiles dist/ to CommonJS and checkJs's it)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const dir = `${import.meta.dirname}/`;
    const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      const code = readFileSync(`${dir}${f}`, "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
      expect(code, f).not.toMatch(/import\.meta/);
      expect(code, f).not.toMatch(/\bimport\s*\(/);
    }
  });
});
