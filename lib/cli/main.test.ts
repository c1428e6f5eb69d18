import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UnknownNameError } from "../core/errors.ts";
import type { Reproduction } from "../repro/types.ts";
import { main } from "./main.ts";

let out: string;
let err: string;
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

/** A two-claim reproduction whose second claim fails on the smoke preset. */
const failing: Reproduction = {
  id: "always-fails",
  title: "a test double",
  world: "analytic",
  presets: { smoke: { preset: "smoke", seed: 1 }, full: { preset: "full", seed: 1 } },
  defaultPreset: "smoke",
  run: (c) => ({ value: c.seed }),
  figure: () => ({ data: [{ type: "scatter", x: [1], y: [1] }], layout: {} }),
  claims: [
    { id: "holds", statement: "value is 1", source: "test", presets: ["smoke"], check: (r) => ({ pass: (r as { value: number }).value === 1, measured: "1" }) },
    { id: "fails", statement: "value is 2", source: "test", presets: ["smoke"], check: (r) => ({ pass: (r as { value: number }).value === 2, measured: "1" }) },
  ],
};
const testRegistry = {
  reproductions: [failing],
  get: (id: string) => {
    if (id !== failing.id) throw new UnknownNameError("getReproduction", "reproduction id", id, [failing.id]);
    return failing;
  },
};

describe("ttc CLI", () => {
  it("list shows every reproduction with its presets", async () => {
    expect(await main(["list"])).toBe(0);
    expect(out).toContain("saha24-attention-io");
    expect(out).toMatch(/presets: smoke, full \(default full\)/);
  });

  it("an unknown reproduction id lists the known ones (exit 2)", async () => {
    expect(await main(["repro", "saha24"])).toBe(2);
    expect(err).toMatch(/requires a known reproduction id \(one of: [^)]*saha24-attention-io[^)]*\)/);
    expect(err).toContain('got "saha24"');
  });

  it("an invalid preset names the valid ones (exit 2), before anything runs", async () => {
    expect(await main(["repro", "saha24-attention-io", "--preset", "huge"])).toBe(2);
    expect(err).toContain('ttc repro saha24-attention-io requires a known preset (one of: smoke, full), got "huge"');
  });

  it("an unknown backend lists the available ones (exit 2)", async () => {
    expect(await main(["repro", "saha24-attention-io", "--preset", "smoke", "--backend", "gpu"])).toBe(2);
    expect(err).toContain('requires a known backend (one of: tensorflow, wasm, cpu, webgpu), got "gpu"');
  });

  it("bad usage: no id, ids with --all, a non-integer seed, an unknown flag, an unknown command", async () => {
    expect(await main(["repro"])).toBe(2);
    expect(await main(["repro", "x", "--all"])).toBe(2);
    expect(await main(["repro", "saha24-attention-io", "--seed", "1.5"])).toBe(2);
    expect(await main(["repro", "--colour"])).toBe(2);
    expect(await main(["frobnicate"])).toBe(2);
    expect(err).toContain('--seed to be an integer, got "1.5"');
    expect(err).toContain("Unknown option '--colour'");
    expect(err).toContain('requires a command (list, repro), got "frobnicate"');
  });

  it("runs a reproduction into --out and exits 0 when its claims hold", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ttc-cli-"));
    expect(await main(["repro", "saha24-attention-io", "--preset", "smoke", "--out", dir, "--quiet", "--no-images", "--backend", "cpu"])).toBe(0);
    for (const f of ["results.json", "meta.json", "claims.json", "figure.json", "figure.html"]) expect(existsSync(join(dir, f))).toBe(true);
    expect(out).toMatch(/saha24-attention-io\s+smoke\s+4 passed\s+0 failed\s+0 not holding/);
    expect(readFileSync(join(dir, "claims-report.md"), "utf8")).toContain("| pass | Tiled attention with online softmax computes exactly");
  });

  it("exits 1 when a claim fails, and says which", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ttc-cli-"));
    expect(await main(["repro", "--all", "--out", dir, "--quiet", "--no-images", "--backend", "cpu"], testRegistry)).toBe(1);
    expect(out).toContain("FAIL  fails: value is 2");
    expect(out).toContain("CLAIMS FAILED");
    expect(existsSync(join(dir, "always-fails", "smoke", "results.json"))).toBe(true);
  });
});

describe("bin/ttc.js", () => {
  it("runs from a checkout through the TypeScript sources", () => {
    const root = join(import.meta.dirname, "..", "..");
    const text = execFileSync(process.execPath, [join(root, "bin", "ttc.js"), "list"], { cwd: root }).toString();
    expect(text).toContain("saha24-attention-io");
  });
});
