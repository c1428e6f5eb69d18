import { describe, it, expect } from "vitest";
import { checkValues } from "./check-values.ts";
import { InvalidArgumentError } from "../core/errors.ts";

describe("checkValues", () => {
  it("copies typed arrays into plain arrays", () => {
    const out = checkValues("f", new Float64Array([1, 2]), "y values", false);
    expect(Array.isArray(out)).toBe(true);
    expect(out).toEqual([1, 2]);
  });

  it("allows NaN gaps, also on log axes", () => {
    expect(checkValues("f", [1, Number.NaN, 3], "y values", true)).toHaveLength(3);
  });

  it("rejects infinities and non-positive values on log axes", () => {
    expect(() => checkValues("f", [1, Infinity], "y values", false)).toThrow(
      "f requires finite y values (index 1), got Infinity",
    );
    expect(() => checkValues("f", [1, -2], 'y values in series "a"', true)).toThrow(InvalidArgumentError);
    expect(() => checkValues("f", [1, -2], 'y values in series "a"', true)).toThrow(
      'f requires positive y values in series "a" on a log axis (index 1), got -2',
    );
  });
});
