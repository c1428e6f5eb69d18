import { describe, it, expect } from "vitest";
import { show } from "./show.ts";
import { lineFigure } from "./line-figure.ts";
import { TtcError } from "../core/errors.ts";

const fig = lineFigure({ series: [{ name: "a</script>", x: [1, 2], y: [3, 4] }] });

function recorder() {
  const out: string[] = [];
  const display = (html: string) => {
    out.push(html);
  };
  return { out, display };
}

const isBundle = (html: string) => html.startsWith("<script>") && html.includes("plotly.js v");

describe("show", () => {
  it("sends the plotly bundle once per display, then one div per figure", async () => {
    const { out, display } = recorder();
    const p = show(fig, { display });
    expect(p).toBeInstanceOf(Promise);
    await p;
    await show(fig, { display });
    await show(fig, { display, height: 300 });
    expect(out).toHaveLength(4);
    expect(isBundle(out[0]!)).toBe(true);
    expect(out[0]!.length).toBeGreaterThan(1_000_000);
    const divs = out.slice(1);
    for (const html of divs) {
      expect(isBundle(html)).toBe(false);
      expect(html).toMatch(/^<div id="ttc-plot-\d+" class="ttc-plot"/);
      expect(html).toContain("window.Plotly.newPlot(el, [");
      expect(html).not.toContain("a</script>"); // labels cannot close the script early
      expect(html.match(/<\/script>/g)).toHaveLength(1);
    }
    const ids = divs.map((h) => /id="(ttc-plot-\d+)"/.exec(h)![1]);
    expect(new Set(ids).size).toBe(3);
    expect(divs[2]).toContain("height: 300px");
  });

  it("sends the bundle again for a new display or when asked", async () => {
    const first = recorder();
    await show(fig, { display: first.display });
    await show(fig, { display: first.display, includeBundle: true });
    expect(first.out.filter(isBundle)).toHaveLength(2);
    const second = recorder();
    await show(fig, { display: second.display });
    expect(isBundle(second.out[0]!)).toBe(true);
  });

  it("rejects a bad height", async () => {
    await expect(show(fig, { display: () => undefined, height: -1 })).rejects.toThrow(
      "show requires a positive height in pixels, got -1",
    );
  });

  it("fails with a TtcError outside a tslab kernel", async () => {
    const err = await show(fig).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtcError);
    expect((err as Error).message).toMatch(/^show requires (a running tslab kernel|the tslab package)/);
  });
});
