import { describe, it, expect } from "vitest";
import { figureHtml } from "./figure-html.ts";
import { lineFigure } from "./line-figure.ts";

describe("figureHtml", () => {
  const fig = lineFigure({ title: "a <b> & c", series: [{ name: "</script>", x: [1, 2], y: [3, 4] }] });

  it("inlines the bundle and draws the figure into one div", () => {
    const html = figureHtml(fig, "window.Plotly = {};");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("<script>window.Plotly = {};</script>");
    expect(html).toContain('<div id="figure"></div>');
    expect(html).toContain('Plotly.newPlot("figure", [');
    expect(html).toContain("<title>a &lt;b&gt; &amp; c</title>");
    // The series name cannot close the script early.
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it("is byte-identical for the same figure", () => {
    expect(figureHtml(fig, "x")).toBe(figureHtml(structuredClone(fig), "x"));
  });

  it("falls back to a generic title", () => {
    expect(figureHtml({ data: [], layout: {} }, "")).toContain("<title>figure</title>");
  });
});
