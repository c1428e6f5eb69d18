import { describe, it, expect, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { exportFigure } from "./export.ts";
import { barFigure } from "./bar-figure.ts";

const root = mkdtempSync(join(tmpdir(), "ttc-export-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fig = barFigure({ title: "t", categories: ["a", "b"], groups: [{ name: "g", values: [1, 2] }] });

describe("exportFigure", () => {
  it("writes pretty json and a self-contained html", async () => {
    const dir = join(root, "nested", "out");
    const res = await exportFigure(fig, dir, { images: [] });
    expect(res).toEqual({ files: [join(dir, "figure.json"), join(dir, "figure.html")] });
    expect(res.files.every(isAbsolute)).toBe(true);
    const json = readFileSync(join(dir, "figure.json"), "utf8");
    expect(JSON.parse(json)).toEqual(fig);
    expect(json).toBe(`${JSON.stringify(fig, null, 2)}\n`);
    const html = readFileSync(join(dir, "figure.html"), "utf8");
    expect(html).toContain("plotly.js v"); // the bundle is inlined
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing loaded from elsewhere
  });

  it("writes byte-identical json and html on every run", async () => {
    const a = await exportFigure(fig, join(root, "a"), { images: [], name: "bars" });
    const b = await exportFigure(structuredClone(fig), join(root, "b"), { images: [], name: "bars" });
    expect(a.files.map((f) => f.slice(-9))).toEqual(["bars.json", "bars.html"]);
    for (let i = 0; i < a.files.length; i++) {
      expect(readFileSync(b.files[i]!).equals(readFileSync(a.files[i]!))).toBe(true);
    }
  });

  it("skips images with a one-line notice when the browser is missing", async () => {
    const dir = join(root, "bogus");
    const res = await exportFigure(fig, dir, { chromiumPath: "/nonexistent/chromium" });
    expect(res.files).toEqual([join(dir, "figure.json"), join(dir, "figure.html")]);
    expect(res.notice).toBe("figure.png/svg skipped: no Chromium at /nonexistent/chromium (options.chromiumPath)");
  });

  it("rejects a file name with a path in it", async () => {
    await expect(exportFigure(fig, root, { images: [], name: "../x" })).rejects.toThrow(
      'exportFigure requires a plain file name (letters, digits, _ . -), got "../x"',
    );
  });
});
