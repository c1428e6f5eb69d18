import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../core/errors.ts";
import { lineFigure } from "./line-figure.ts";
import { panelFigure } from "./panel-figure.ts";

type Trace = Record<string, any>;

describe("panelFigure", () => {
  const left = lineFigure({ series: [{ name: "a", x: [1, 2], y: [3, 4] }, { name: "b", x: [1, 2], y: [5, 6] }], xTitle: "n", yTitle: "acc" });
  const right = lineFigure({ series: [{ name: "a", x: [1, 2], y: [1, 1] }], xTitle: "n", yTitle: "acc", logX: true });
  const before = JSON.stringify([left, right]);

  it("puts panel i on axes x{i+1}/y{i+1} with its own axis settings and the given domains", () => {
    const fig = panelFigure([{ figure: left, x: [0, 0.45], y: [0.5, 1] }, { figure: right, x: [0.55, 1] }], { width: 800 });
    expect((fig.data as Trace[]).map((t) => [t.name, t.xaxis, t.yaxis])).toEqual([["a", "x", "y"], ["b", "x", "y"], ["a", "x2", "y2"]]);
    expect(fig.layout["width"]).toBe(800);
    expect(fig.layout["xaxis"]).toMatchObject({ ...(left.layout["xaxis"] as object), domain: [0, 0.45], anchor: "y" });
    expect(fig.layout["yaxis"]).toMatchObject({ domain: [0.5, 1], anchor: "x" });
    expect(fig.layout["xaxis2"]).toMatchObject({ type: "log", domain: [0.55, 1], anchor: "y2" });
    expect(fig.layout["yaxis2"]).not.toHaveProperty("domain");
    expect(JSON.stringify([left, right])).toBe(before); // the panels are not modified
  });

  it("regroups legends, hides or keeps a panel's entries, drops repeated y titles and centres panel titles", () => {
    const fig = panelFigure(
      [
        { figure: left, x: [0, 0.4], title: "left", legendGroup: (t) => `shared-${String(t["name"])}`, showLegend: true },
        { figure: right, x: [0.6, 1], title: "right", legendGroup: (t) => `shared-${String(t["name"])}`, showLegend: false, hideYTitle: true },
      ],
      { annotations: [{ text: "note" }] },
    );
    const traces = fig.data as Trace[];
    expect(traces.map((t) => t.legendgroup)).toEqual(["shared-a", "shared-b", "shared-a"]);
    expect(traces.map((t) => t.showlegend)).toEqual([left.data[0]!["showlegend"], left.data[1]!["showlegend"], false]);
    expect((fig.layout["yaxis2"] as Trace).title).toEqual({ text: "" });
    expect((fig.layout["yaxis"] as Trace).title).toEqual((left.layout["yaxis"] as Trace).title);
    const notes = fig.layout["annotations"] as Trace[];
    expect(notes.map((a) => [a.text, a.x])).toEqual([["note", undefined], ["left", 0.2], ["right", 0.8]]);
    // Without options a trace keeps its own legend group and setting.
    const plain = panelFigure([{ figure: left, x: [0, 1] }], {});
    expect((plain.data as Trace[]).map((t) => [t.legendgroup, t.showlegend])).toEqual(left.data.map((t) => [t["legendgroup"], t["showlegend"]]));
    expect(plain.layout).not.toHaveProperty("annotations");
  });

  it("refuses no panels and domains outside [0, 1] or reversed", () => {
    expect(() => panelFigure([], {})).toThrow(InvalidArgumentError);
    expect(() => panelFigure([{ figure: left, x: [0.5, 0.2] }], {})).toThrow(/panel 0: x and y domains/);
    expect(() => panelFigure([{ figure: left, x: [0, 1], y: [0, 1.2] }], {})).toThrow(InvalidArgumentError);
  });
});
