import { describe, it, expect } from "vitest";
import { paretoFigure } from "./pareto-figure.ts";
import { PALETTE } from "./palette.ts";

type Trace = Record<string, any>;

describe("paretoFigure", () => {
  const fig = paretoFigure({
    xTitle: "FLOPs",
    yTitle: "accuracy",
    logX: true,
    groups: [
      {
        name: "beam",
        points: [
          { x: 100, y: 0.5, label: "N=4" },
          { x: 400, y: 0.4, label: "N=16" },
          { x: 10, y: 0.2 },
          { x: 1000, y: 0.7, label: "N=64" },
        ],
      },
      { name: "bon", points: [{ x: 50, y: 0.3 }] },
    ],
  });
  const traces = fig.data as Trace[];

  it("draws points and a frontier step line per group", () => {
    expect(traces.map((t) => t.name)).toEqual(["beam", "beam", "bon", "bon"]);
    expect(traces[0]).toMatchObject({ mode: "markers", x: [100, 400, 10, 1000], y: [0.5, 0.4, 0.2, 0.7] });
    expect(traces[1]).toMatchObject({ mode: "lines+markers", x: [10, 100, 1000], y: [0.2, 0.5, 0.7], line: { shape: "hv" } });
    // One legend entry per group, from the frontier trace, toggling both traces.
    expect(traces.map((t) => t.showlegend)).toEqual([false, undefined, false, undefined]);
    expect(traces[1]!.legendgroup).toBe(traces[0]!.legendgroup);
    expect(traces[0]!.marker.color).toBe(PALETTE[0]);
    expect(traces[1]!.line.color).toBe(PALETTE[0]);
    expect(traces[2]!.marker.color).toBe(PALETTE[1]);
  });

  it("fades dominated points and carries labels for hover", () => {
    expect(traces[0]!.marker.opacity).toEqual([1, 0.4, 1, 1]);
    expect(traces[0]!.text).toEqual(["N=4", "N=16", "", "N=64"]);
    expect(traces[2]!.text).toBeUndefined();
  });

  it("uses log axes and rejects non-positive values there", () => {
    expect(fig.layout["xaxis"]).toMatchObject({ type: "log", title: { text: "FLOPs" } });
    expect(() => paretoFigure({ groups: [{ name: "g", points: [{ x: 0, y: 1 }] }], logX: true })).toThrow(
      'paretoFigure requires positive x values in group "g" on a log axis (index 0), got 0',
    );
    expect(() => paretoFigure({ groups: [{ name: "g", points: [{ x: 1, y: Number.NaN }] }] })).toThrow(
      'paretoFigure requires x and y not NaN in group "g" (index 0)',
    );
    expect(() => paretoFigure({ groups: [] })).toThrow("paretoFigure requires at least one group, got 0");
  });
});
