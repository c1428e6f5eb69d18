import { describe, it, expect } from "vitest";
import { inlineScript, scriptJson } from "./script-json.ts";

describe("scriptJson", () => {
  it("escapes characters that could end a script element and round-trips", () => {
    const v = { text: "</script><b>&\u2028", n: [1, 2.5] };
    const s = scriptJson(v);
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual(v);
  });

  it("writes non-finite numbers as null", () => {
    expect(scriptJson([Number.NaN, 1])).toBe("[null,1]");
    expect(scriptJson(undefined)).toBe("null");
  });
});

describe("inlineScript", () => {
  it("breaks closing script tags in any case", () => {
    expect(inlineScript('a = "</script>"; b = "</SCRIPT >"')).toBe('a = "<\\/script>"; b = "<\\/SCRIPT >"');
  });
});
