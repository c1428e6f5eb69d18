import type { Claim } from "./types.ts";

/** One row of a claims report. */
export interface ClaimRow {
  id: string;
  statement: string;
  source: string;
  /**
   * `error`: the check itself threw (a failure). `not-holding`: failed on a preset where the claim
   * is listed as known not to hold on our models (reported, not a run failure).
   */
  status: "pass" | "fail" | "not-holding" | "skipped" | "error";
  /** Measured numbers, or why the claim was skipped / errored. */
  measured: string;
}

/** The verdicts of every claim of a reproduction on one preset. */
export interface ClaimReport {
  preset: string;
  rows: ClaimRow[];
  passed: number;
  failed: number;
  /** Claims that failed where they are listed as known not to hold. */
  notHolding: number;
  skipped: number;
  /** True when no claim failed unexpectedly or errored. */
  ok: boolean;
}

/**
 * Check a reproduction's claims against its results. Claims that do not apply
 * to `preset` are reported as skipped; a check that throws is reported as an
 * error (a failure) with its message, and the other claims are still checked.
 *
 * @param claims - the reproduction's claims
 * @param results - what its `run` returned
 * @param preset - the preset that produced `results`
 * @returns one row per claim plus counts
 * @example
 * const report = checkClaims(claims, results, "smoke");
 * console.log(formatClaimsTable(report));
 */
export function checkClaims<R>(claims: readonly Claim<R>[], results: R, preset: string): ClaimReport {
  const rows: ClaimRow[] = claims.map((c) => {
    const base = { id: c.id, statement: c.statement, source: c.source };
    if (!c.presets.includes(preset)) {
      return { ...base, status: "skipped", measured: `applies to presets ${c.presets.join(", ")}` };
    }
    const known = c.knownToFail?.presets.includes(preset) ?? false;
    try {
      const outcome = c.check(results);
      if (outcome.pass) {
        const note = known ? ` (listed as not holding on ${preset}, but it now holds: update knownToFail and the README)` : "";
        return { ...base, status: "pass", measured: outcome.measured + note };
      }
      return { ...base, status: known ? "not-holding" : "fail", measured: outcome.measured + (known ? ` (known: ${c.knownToFail?.reason})` : "") };
    } catch (e) {
      return { ...base, status: "error", measured: e instanceof Error ? e.message : String(e) };
    }
  });
  const passed = rows.filter((r) => r.status === "pass").length;
  const failed = rows.filter((r) => r.status === "fail" || r.status === "error").length;
  const notHolding = rows.filter((r) => r.status === "not-holding").length;
  const skipped = rows.filter((r) => r.status === "skipped").length;
  return { preset, rows, passed, failed, notHolding, skipped, ok: failed === 0 };
}

/**
 * Render a claims report as a plain-text table (for terminals and logs).
 *
 * @param report - from {@link checkClaims}
 * @param title - optional heading, e.g. the reproduction id
 */
export function formatClaimsTable(report: ClaimReport, title?: string): string {
  const mark = { pass: "PASS", fail: "FAIL", "not-holding": "DOES NOT HOLD (known)", skipped: "skip", error: "ERROR" } as const;
  const lines: string[] = [];
  if (title) lines.push(`${title} (preset ${report.preset})`);
  for (const r of report.rows) {
    lines.push(`  ${mark[r.status].padEnd(5)} ${r.id}: ${r.statement}`);
    lines.push(`        measured: ${r.measured}`);
    lines.push(`        source:   ${r.source}`);
  }
  lines.push(`  claims: ${report.passed} passed, ${report.failed} failed, ${report.notHolding} known not to hold, ${report.skipped} skipped`);
  return lines.join("\n");
}
