import { describe, it, expect } from "vitest";
import { lineFigure } from "./line-figure.ts";
import { InvalidArgumentError } from "../core/errors.ts";
import { PALETTE } from "./palette.ts";

type Trace = Record<string, any>;

describe("lineFigure", () => {
  const band = { lo: [0.1, 0.2, 0.3], hi: [0.3, 0.4, 0.5] };
  const fig = lineFigure({
    title: "pass@k",
    xTitle: "k",
    yTitle: "accuracy",
    series: [
      { name: "a", x: [1, 2, 4], y: [0.2, 0.3, 0.4], band },
      { name: "b", x: new Float64Array([1, 2, 4]), y: [0.5, 0.6, 0.7], dash: "dash", mode: "lines+markers" },
    ],
  });
  const traces = fig.data as Trace[];

  it("draws one trace per line plus one per band, band beneath its line", () => {
    expect(traces.map((t) => t.name)).toEqual(["a band", "a", "b"]);
    expect(traces[1]).toMatchObject({ type: "scatter", mode: "lines", x: [1, 2, 4], y: [0.2, 0.3, 0.4] });
    expect(traces[2]).toMatchObject({ mode: "lines+markers", line: { dash: "dash", color: PALETTE[1] } });
    expect(Array.isArray(traces[2]!.x)).toBe(true); // typed arrays become plain arrays (JSON-safe)
  });

  it("draws a band as a closed translucent polygon in its line's colour", () => {
    const b = traces[0]!;
    expect(b.x).toEqual([1, 2, 4, 4, 2, 1]);
    expect(b.y).toEqual([0.3, 0.4, 0.5, 0.3, 0.2, 0.1]);
    expect(b.fill).toBe("toself");
    expect(b.fillcolor).toBe("rgba(0,114,178,0.2)");
    expect(traces[1]!.line.color).toBe("#0072B2");
    expect(b.showlegend).toBe(false);
    expect(b.legendgroup).toBe(traces[1]!.legendgroup);
    expect(b.hoverinfo).toBe("skip");
  });

  it("falls back to trace opacity for a named colour", () => {
    const f = lineFigure({ series: [{ name: "c", x: [1], y: [1], band: { lo: [0], hi: [2] }, color: "red" }] });
    expect(f.data[0]).toMatchObject({ fillcolor: "red", opacity: 0.2 });
  });

  it("sets titles and log axes", () => {
    expect(fig.layout["title"]).toMatchObject({ text: "pass@k" });
    const f = lineFigure({ series: [{ name: "a", x: [1, 10], y: [1, 100] }], logX: true, logY: true });
    expect(f.layout["xaxis"]).toMatchObject({ type: "log" });
    expect(f.layout["yaxis"]).toMatchObject({ type: "log" });
  });

  it("places vline labels and the y range in log10 units on log axes (shapes stay in data units)", () => {
    const f = lineFigure({
      series: [{ name: "a", x: [1, 1000], y: [1, 100] }],
      logX: true,
      logY: true,
      vlines: [{ x: 100, label: "budget" }, { x: 10 }],
      yRange: [0.1, 1000],
    });
    const shapes = f.layout["shapes"] as Trace[];
    expect(shapes.map((s) => s.x0)).toEqual([100, 10]);
    expect(shapes[0]).toMatchObject({ type: "line", yref: "paper", y0: 0, y1: 1 });
    expect(f.layout["annotations"]).toEqual([expect.objectContaining({ x: 2, text: "budget" })]);
    expect((f.layout["yaxis"] as Trace).range).toEqual([-1, 3]);
    const lin = lineFigure({ series: [{ name: "a", x: [1], y: [1] }], vlines: [{ x: 5 }], yRange: [0, 1] });
    expect((lin.layout["shapes"] as Trace[])[0]!.x0).toBe(5);
    expect((lin.layout["yaxis"] as Trace).range).toEqual([0, 1]);
  });

  it("rejects mismatched lengths", () => {
    expect(() => lineFigure({ series: [{ name: "a", x: [1, 2], y: [1] }] })).toThrow(
      'lineFigure requires y.length === x.length (2) in series "a", got 1',
    );
    expect(() => lineFigure({ series: [{ name: "a", x: [1, 2], y: [1, 2], band: { lo: [1], hi: [2, 3] } }] })).toThrow(
      'lineFigure requires band.lo.length === x.length (2) in band of series "a", got 1',
    );
    expect(() => lineFigure({ series: [] })).toThrow("lineFigure requires at least one series, got 0");
  });

  it("rejects non-positive values on log axes, naming the series and value", () => {
    const bad = () => lineFigure({ series: [{ name: "acc", x: [1, 2, 3], y: [0.5, 0, 0.7] }], logY: true });
    expect(bad).toThrow(InvalidArgumentError);
    expect(bad).toThrow('lineFigure requires positive y values in series "acc" on a log axis (index 1), got 0');
    expect(() => lineFigure({ series: [{ name: "k", x: [-1, 2], y: [1, 2] }], logX: true })).toThrow(
      'lineFigure requires positive x values in series "k" on a log axis (index 0), got -1',
    );
    expect(() =>
      lineFigure({ series: [{ name: "a", x: [1, 2], y: [1, 2], band: { lo: [-0.5, 1], hi: [2, 3] } }], logY: true }),
    ).toThrow('lineFigure requires positive lo values in band of series "a" on a log axis (index 0), got -0.5');
    expect(() => lineFigure({ series: [{ name: "a", x: [1], y: [1] }], logX: true, vlines: [{ x: 0 }] })).toThrow(
      "lineFigure requires positive vline x values on a log axis (index 0), got 0",
    );
  });

  it("rejects a band with lo above hi and a reversed y range", () => {
    expect(() => lineFigure({ series: [{ name: "a", x: [1], y: [1], band: { lo: [2], hi: [1] } }] })).toThrow(
      'lineFigure requires lo <= hi in band of series "a" (index 0), got {"lo":2,"hi":1}',
    );
    expect(() => lineFigure({ series: [{ name: "a", x: [1], y: [1] }], yRange: [1, 0] })).toThrow(
      "lineFigure requires yRange = [lo, hi] with lo < hi, got [1,0]",
    );
  });

  it("is deterministic", () => {
    const make = () => lineFigure({ series: [{ name: "a", x: [1, 2], y: [3, 4], band: { lo: [2, 3], hi: [4, 5] } }] });
    expect(JSON.stringify(make())).toBe(JSON.stringify(make()));
  });
});
