import { describe, expect, it } from "vitest";
import { checkClaims, formatClaimsTable } from "./check-claims.ts";
import type { Claim } from "./types.ts";

const claims: Claim<{ x: number }>[] = [
  { id: "positive", statement: "x is positive", source: "test", presets: ["smoke", "full"], check: (r) => ({ pass: r.x > 0, measured: `x = ${r.x}` }) },
  { id: "big", statement: "x exceeds 10", source: "test", presets: ["full"], check: (r) => ({ pass: r.x > 10, measured: `x = ${r.x}` }) },
  {
    id: "broken",
    statement: "a check that throws",
    source: "test",
    presets: ["smoke"],
    check: () => {
      throw new Error("no data for this check");
    },
  },
];

describe("checkClaims", () => {
  it("passes, fails, skips by preset, and reports a throwing check as an error without stopping", () => {
    const report = checkClaims(claims, { x: 3 }, "smoke");
    expect(report.rows.map((r) => r.status)).toEqual(["pass", "skipped", "error"]);
    expect(report.rows[2]!.measured).toBe("no data for this check");
    expect([report.passed, report.failed, report.skipped, report.ok]).toEqual([1, 1, 1, false]);
    const full = checkClaims(claims, { x: 3 }, "full");
    expect(full.rows.map((r) => r.status)).toEqual(["pass", "fail", "skipped"]);
    expect(full.ok).toBe(false);
    expect(checkClaims(claims.slice(0, 2), { x: 30 }, "full").ok).toBe(true);
  });

  it("formats a readable table with the verdict, the measurement and the source", () => {
    const text = formatClaimsTable(checkClaims(claims, { x: 3 }, "full"), "demo");
    expect(text).toContain("demo (preset full)");
    expect(text).toContain("FAIL  big: x exceeds 10");
    expect(text).toContain("measured: x = 3");
    expect(text).toContain("claims: 1 passed, 1 failed, 1 skipped");
  });
});
