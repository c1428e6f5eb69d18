import { describe, it, expect } from "vitest";
import { translucent } from "./translucent.ts";

describe("translucent", () => {
  it("converts hex and rgb forms", () => {
    expect(translucent("#0072B2", 0.2)).toBe("rgba(0,114,178,0.2)");
    expect(translucent("#fff", 0.5)).toBe("rgba(255,255,255,0.5)");
    expect(translucent("rgb(1, 2, 3)", 0.25)).toBe("rgba(1,2,3,0.25)");
    expect(translucent("rgba(1,2,3,0.9)", 0.1)).toBe("rgba(1,2,3,0.1)");
  });

  it("returns undefined for colours it cannot parse", () => {
    expect(translucent("red", 0.2)).toBeUndefined();
    expect(translucent("#12345", 0.2)).toBeUndefined();
  });
});
