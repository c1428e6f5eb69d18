import { describe, expect, it } from "vitest";
import { DataError, InvalidArgumentError, TtcError, UnknownNameError, formatValue, requireArg } from "./errors.ts";

describe("errors", () => {
  it("follow '<fn> requires <condition>, got <value>'", () => {
    const e = new InvalidArgumentError("passAtK", "k <= n", 7);
    expect(e.message).toBe("passAtK requires k <= n, got 7");
    expect(e).toBeInstanceOf(TtcError);
    expect(() => requireArg("f", false, "x > 0", "abc")).toThrow('f requires x > 0, got "abc"');
    expect(() => requireArg("f", true, "x > 0", 1)).not.toThrow();
  });
  it("unknown names list the known ones", () => {
    const e = new UnknownNameError("ttc repro", "reproduction id", "sah24", ["saha24-attention-io", "brown24-monkeys"]);
    expect(e.message).toBe('ttc repro requires a known reproduction id (one of: saha24-attention-io, brown24-monkeys), got "sah24"');
  });
  it("data errors name file, line and field", () => {
    expect(new DataError("dump.jsonl", 12, "score", "expected a number, got \"x\"").message).toBe(
      'dump.jsonl, line 12, field "score": expected a number, got "x"',
    );
    expect(new DataError("a.csv", undefined, undefined, "empty file").message).toBe("a.csv: empty file");
  });
  it("formatValue is short and never throws", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe("[object Object]");
    expect(formatValue("x".repeat(500)).length).toBeLessThan(600);
    expect(formatValue(Array.from({ length: 100 }, (_, i) => i)).length).toBe(120);
  });
});
