import { describe, it, expect } from "vitest";
import { baseLayout } from "./base-layout.ts";
import { PALETTE } from "./palette.ts";

describe("baseLayout", () => {
  it("sets titles, axis types and a white background", () => {
    const l = baseLayout({ title: "T", xTitle: "k", yTitle: "acc", logX: true });
    expect(l["title"]).toMatchObject({ text: "T" });
    expect(l["xaxis"]).toMatchObject({ type: "log", title: { text: "k" } });
    expect(l["yaxis"]).toMatchObject({ type: "linear", title: { text: "acc" } });
    expect(l["plot_bgcolor"]).toBe("#ffffff");
    expect(l["colorway"]).toEqual(PALETTE);
  });

  it("places the legend outside the plot area", () => {
    const legend = baseLayout()["legend"] as { x: number; xanchor: string };
    expect(legend.x).toBeGreaterThan(1);
    expect(legend.xanchor).toBe("left");
  });

  it("returns a fresh object each call", () => {
    const a = baseLayout();
    (a["xaxis"] as Record<string, unknown>)["type"] = "log";
    expect((baseLayout()["xaxis"] as Record<string, unknown>)["type"]).toBe("linear");
  });
});
