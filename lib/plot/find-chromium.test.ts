import { describe, it, expect } from "vitest";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CHROMIUM_PATHS, findChromium } from "./find-chromium.ts";

describe("findChromium", () => {
  it("reports an explicit path that does not exist instead of falling back", () => {
    expect(findChromium("/nonexistent/chromium", {})).toEqual({
      reason: "no Chromium at /nonexistent/chromium (options.chromiumPath)",
    });
    expect(findChromium(undefined, { TTC_CHROMIUM: "/nonexistent/c" })).toEqual({
      reason: "no Chromium at /nonexistent/c (TTC_CHROMIUM)",
    });
  });

  it("rejects files that are not executable, and directories", () => {
    const dir = mkdtempSync(join(tmpdir(), "ttc-find-chromium-"));
    const plain = join(dir, "not-a-browser.txt");
    writeFileSync(plain, "text", { mode: 0o644 });
    expect(findChromium(plain, {}).path).toBeUndefined();
    expect(findChromium(dir, {}).path).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  it("accepts an executable and prefers the explicit path over TTC_CHROMIUM", () => {
    expect(findChromium(process.execPath, { TTC_CHROMIUM: "/nonexistent" })).toEqual({ path: process.execPath });
    expect(findChromium(undefined, { TTC_CHROMIUM: process.execPath })).toEqual({ path: process.execPath });
  });

  it("falls back to the default locations", () => {
    const installed = DEFAULT_CHROMIUM_PATHS.find((p) => existsSync(p));
    const found = findChromium(undefined, {});
    if (installed !== undefined) expect(found.path).toBe(installed);
    else expect(found.reason).toBe("no Chromium found (set TTC_CHROMIUM or apt-get install chromium)");
  });
});
