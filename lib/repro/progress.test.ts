import { describe, expect, it } from "vitest";
import { progressPrinter } from "./progress.ts";

describe("progressPrinter", () => {
  it("prints the first line, throttles the rest, and always prints completion", () => {
    const lines: string[] = [];
    const p = progressPrinter("job", 60_000, (l) => lines.push(l));
    p("start", 0);
    p("middle", 0.5); // within the throttle window: dropped
    p("done", 1);
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(/^\[job\] 0% start \(\d+\.\d s\)$/);
    expect(lines[1]).toMatch(/^\[job\] 100% done/);
  });
});
