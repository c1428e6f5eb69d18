import { describe, it, expect } from "vitest";
import { barFigure } from "./bar-figure.ts";
import { PALETTE } from "./palette.ts";

type Trace = Record<string, any>;

describe("barFigure", () => {
  const fig = barFigure({
    title: "by difficulty",
    yTitle: "accuracy",
    categories: ["1", "2", "4"],
    groups: [
      { name: "maj", values: [0.9, 0.6, 0.2], error: [0.01, 0.02, 0.03] },
      { name: "bon", values: new Float32Array([0.5, 0.25, 0.125]) },
    ],
  });
  const traces = fig.data as Trace[];

  it("draws one bar trace per group over the categories", () => {
    expect(traces).toHaveLength(2);
    expect(traces[0]).toMatchObject({ type: "bar", name: "maj", x: ["1", "2", "4"], y: [0.9, 0.6, 0.2] });
    expect(traces[0]!.marker.color).toBe(PALETTE[0]);
    expect(traces[1]!.marker.color).toBe(PALETTE[1]);
    expect(traces[1]!.y).toEqual([0.5, 0.25, 0.125]);
  });

  it("adds error bars only where given", () => {
    expect(traces[0]!.error_y).toMatchObject({ type: "data", array: [0.01, 0.02, 0.03], visible: true });
    expect(traces[1]!.error_y).toBeUndefined();
  });

  it("groups bars and keeps numeric-looking categories categorical", () => {
    expect(fig.layout["barmode"]).toBe("group");
    expect(fig.layout["xaxis"]).toMatchObject({ type: "category" });
  });

  it("supports a log y axis and rejects non-positive values there", () => {
    const ok = barFigure({ categories: ["a"], groups: [{ name: "g", values: [10] }], logY: true });
    expect(ok.layout["yaxis"]).toMatchObject({ type: "log" });
    expect(() => barFigure({ categories: ["a", "b"], groups: [{ name: "g", values: [1, 0] }], logY: true })).toThrow(
      'barFigure requires positive values in group "g" on a log axis (index 1), got 0',
    );
  });

  it("validates lengths, errors and categories", () => {
    expect(() => barFigure({ categories: ["a", "b"], groups: [{ name: "g", values: [1] }] })).toThrow(
      'barFigure requires values.length === categories.length (2) in group "g", got 1',
    );
    expect(() => barFigure({ categories: ["a"], groups: [{ name: "g", values: [1], error: [1, 2] }] })).toThrow(
      'barFigure requires error.length === categories.length (1) in group "g", got 2',
    );
    expect(() => barFigure({ categories: ["a"], groups: [{ name: "g", values: [1], error: [-1] }] })).toThrow(
      'barFigure requires error values >= 0 in group "g" (index 0), got -1',
    );
    expect(() => barFigure({ categories: ["a", "a"], groups: [{ name: "g", values: [1, 2] }] })).toThrow(
      'barFigure requires distinct categories, got "a"',
    );
    expect(() => barFigure({ categories: ["a"], groups: [] })).toThrow("barFigure requires at least one group, got 0");
  });
});
