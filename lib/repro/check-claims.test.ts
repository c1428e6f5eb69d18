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
    expect([report.passed, report.failed, report.notHolding, report.skipped, report.ok]).toEqual([1, 1, 0, 1, false]);
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
    expect(text).toContain("claims: 1 passed, 1 failed, 0 known not to hold, 1 skipped");
  });

  it("a claim known not to hold on a preset is reported as such without failing the run, and flagged if it starts to hold", () => {
    const known: Claim<{ x: number }> = {
      id: "big",
      statement: "x exceeds 10",
      source: "test",
      presets: ["smoke", "full"],
      knownToFail: { presets: ["full"], reason: "x is 3 on our models" },
      check: (r) => ({ pass: r.x > 10, measured: `x = ${r.x}` }),
    };
    const full = checkClaims([known], { x: 3 }, "full");
    expect(full.rows[0]).toMatchObject({ status: "not-holding", measured: "x = 3 (known: x is 3 on our models)" });
    expect([full.failed, full.notHolding, full.ok]).toEqual([0, 1, true]);
    expect(formatClaimsTable(full)).toContain("DOES NOT HOLD (known) big");
    // On a preset where it is not listed, the same failure fails the run.
    expect(checkClaims([known], { x: 3 }, "smoke").ok).toBe(false);
    const nowHolds = checkClaims([known], { x: 30 }, "full");
    expect(nowHolds.rows[0]!.status).toBe("pass");
    expect(nowHolds.rows[0]!.measured).toContain("it now holds: update knownToFail");
  });
});
