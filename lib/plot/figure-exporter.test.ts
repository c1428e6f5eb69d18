import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openExporter, type FigureExporter } from "./figure-exporter.ts";
import { lineFigure } from "./line-figure.ts";
import { paretoFigure } from "./pareto-figure.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const root = mkdtempSync(join(tmpdir(), "ttc-exporter-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const line = lineFigure({
  title: "pass@k",
  xTitle: "k",
  yTitle: "pass@k",
  logX: true,
  series: [{ name: "a", x: [1, 2, 4, 8], y: [0.2, 0.3, 0.4, 0.5], band: { lo: [0.1, 0.2, 0.3, 0.4], hi: [0.3, 0.4, 0.5, 0.6] } }],
  vlines: [{ x: 4, label: "budget" }],
});
const pareto = paretoFigure({ groups: [{ name: "g", points: [{ x: 1, y: 1 }, { x: 2, y: 3 }, { x: 3, y: 2 }] }] });

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("openExporter without a browser", () => {
  it("can be told not to start one", async () => {
    const exporter = await openExporter({ browser: false });
    const res = await exporter.export(line, join(root, "no-browser"), { name: "x" });
    expect(res.files.map((f) => f.slice(-6))).toEqual(["x.json", "x.html"]);
    expect(res.notice).toBe("x.png/svg skipped: the browser is disabled (browser: false)");
    await exporter.close();
  });

  it("reports a browser that fails to start instead of throwing", async () => {
    const exporter = await openExporter({ chromiumPath: "/bin/false", launchTimeoutMs: 10000 });
    expect(exporter.unavailable).toMatch(/^Chromium at \/bin\/false failed to start: /);
    const res = await exporter.export(line, join(root, "false"));
    expect(res.files).toHaveLength(2);
    expect(res.notice).toMatch(/^figure\.png\/svg skipped: Chromium at \/bin\/false failed to start: .+$/);
    await exporter.close();
    await expect(exporter.export(line, root)).rejects.toThrow("FigureExporter.export requires an exporter that is not closed");
  });
});

describe.skipIf(!hasChromium)("openExporter with Chromium", () => {
  let exporter: FigureExporter;
  beforeAll(async () => {
    exporter = await openExporter({ chromiumPath: CHROMIUM });
  }, 30000);
  afterAll(async () => {
    await exporter?.close();
  });

  it("starts", () => {
    expect(exporter.unavailable).toBeUndefined();
  });

  it("writes json, html, png and svg", async () => {
    const dir = join(root, "line");
    const res = await exporter.export(line, dir, { width: 640, height: 400, scale: 1 });
    expect(res.notice).toBeUndefined();
    expect(res.files).toEqual(["json", "html", "png", "svg"].map((e) => join(dir, `figure.${e}`)));
    const png = readFileSync(join(dir, "figure.png"));
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(png.readUInt32BE(16)).toBe(640); // IHDR width
    expect(png.readUInt32BE(20)).toBe(400); // IHDR height
    const svg = readFileSync(join(dir, "figure.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain("budget");
    expect(svg).toMatch(/<defs id="defs-t[0-9a-f]{8}">/); // plotly's random uid replaced by a content hash
  });

  it("renders the same bytes for the same figure, one browser for many figures", async () => {
    const a = await exporter.export(pareto, join(root, "p1"), { name: "pareto" });
    const b = await exporter.export(pareto, join(root, "p2"), { name: "pareto" });
    expect(a.files).toHaveLength(4);
    const png = readFileSync(a.files[2]!);
    expect(png.readUInt32BE(16)).toBe(1600); // default 800 px at scale 2
    for (let i = 0; i < a.files.length; i++) {
      expect(readFileSync(b.files[i]!).equals(readFileSync(a.files[i]!)), a.files[i]).toBe(true);
    }
  });

  it("renders only the formats asked for", async () => {
    const res = await exporter.export(pareto, join(root, "svg-only"), { images: ["svg"] });
    expect(res.files.map((f) => f.slice(-3))).toEqual(["son", "tml", "svg"]);
  });
});
