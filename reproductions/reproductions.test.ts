/**
 * Every registered reproduction: its smoke preset runs, its smoke claims hold,
 * the same seed gives byte-identical results.json, and its figure builds.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runReproduction } from "../lib/repro/run-reproduction.ts";
import { getReproduction, reproductions } from "./index.ts";

describe.each(reproductions.map((r) => [r.id, r] as const))("reproduction %s", (id, repro) => {
  it("declares smoke and full presets, a valid default preset, and at least one claim per preset", () => {
    expect(Object.keys(repro.presets)).toEqual(expect.arrayContaining(["smoke", "full"]));
    expect(Object.keys(repro.presets)).toContain(repro.defaultPreset);
    for (const p of ["smoke", "full"]) expect(repro.claims.some((c) => c.presets.includes(p))).toBe(true);
    expect(getReproduction(id)).toBe(repro);
  });

  it("smoke preset: claims hold and the same seed gives byte-identical results.json", async () => {
    const base = mkdtempSync(join(tmpdir(), `ttc-${id}-`));
    const quiet = { preset: "smoke", quiet: true, log: () => {} };
    const a = await runReproduction(repro, { ...quiet, outDir: join(base, "a") });
    const b = await runReproduction(repro, { ...quiet, outDir: join(base, "b") });
    const failed = a.report.rows.filter((r) => r.status === "fail" || r.status === "error");
    expect(failed.map((r) => `${r.id}: ${r.measured}`)).toEqual([]);
    expect(a.report.passed).toBeGreaterThan(0);
    const ra = readFileSync(join(base, "a", "results.json"));
    expect(ra.equals(readFileSync(join(base, "b", "results.json")))).toBe(true);
    const meta = JSON.parse(readFileSync(join(base, "a", "meta.json"), "utf8"));
    expect(meta.preset).toBe("smoke");
    expect(meta.config.seed).toBe(repro.presets.smoke!.seed);
    expect(typeof meta.wallMs).toBe("number");
    const fig = JSON.parse(readFileSync(join(base, "a", "figure.json"), "utf8"));
    expect(fig.data.length).toBeGreaterThan(0);
  });

  it("a different seed changes the results (the seed reaches every random draw)", async () => {
    const smoke = repro.presets.smoke!;
    const r1 = JSON.stringify(await repro.run(smoke));
    const r2 = JSON.stringify(await repro.run({ ...smoke, seed: smoke.seed + 1 }));
    expect(r1).not.toBe(r2);
  });
});

describe("registry", () => {
  it("an unknown reproduction id lists the known ones", () => {
    expect(() => getReproduction("saha24")).toThrow(
      `getReproduction requires a known reproduction id (one of: ${reproductions.map((r) => r.id).join(", ")}), got "saha24"`,
    );
  });
});
