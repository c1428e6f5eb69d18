import { describe, it, expect } from "vitest";
import { fixSvgIds } from "./fix-svg-ids.ts";

const plotlySvg = (uid: string, text: string) =>
  `<svg><defs id="defs-${uid}"><clipPath id="clip${uid}xyplot"></clipPath></defs>` +
  `<g clip-path="url(#clip${uid}xyplot)"></g><g id="topdefs-${uid}"></g><text>${text}</text></svg>`;

describe("fixSvgIds", () => {
  it("replaces plotly's uid in ids and references, not in text", () => {
    const out = fixSvgIds(plotlySvg("63fb74", "63fb74"));
    const stable = /id="defs-(t[0-9a-f]{8})"/.exec(out)![1]!;
    expect(out).toBe(plotlySvg(stable, "63fb74").replace(`<text>${stable}</text>`, "<text>63fb74</text>"));
  });

  it("gives the same bytes whatever uid plotly drew, and distinct ids for distinct figures", () => {
    expect(fixSvgIds(plotlySvg("63fb74", "a"))).toBe(fixSvgIds(plotlySvg("0a9c1e", "a")));
    const idOf = (svg: string) => /id="defs-([^"]+)"/.exec(fixSvgIds(svg))![1];
    expect(idOf(plotlySvg("63fb74", "a"))).not.toBe(idOf(plotlySvg("63fb74", "b")));
  });

  it("leaves an SVG without plotly defs alone", () => {
    expect(fixSvgIds("<svg></svg>")).toBe("<svg></svg>");
  });
});
