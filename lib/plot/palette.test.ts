import { describe, it, expect } from "vitest";
import { PALETTE, paletteColor } from "./palette.ts";

describe("paletteColor", () => {
  it("cycles through the palette", () => {
    expect(paletteColor(0)).toBe(PALETTE[0]);
    expect(paletteColor(PALETTE.length)).toBe(PALETTE[0]);
    expect(paletteColor(PALETTE.length + 1)).toBe(PALETTE[1]);
  });

  it("has distinct hex colours", () => {
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
    for (const c of PALETTE) expect(c).toMatch(/^#[0-9A-F]{6}$/);
  });
});
