/**
 * lib/ stays runtime-neutral: one reproduction's smoke preset runs under Deno 2
 * (installed from the npm registry into out/tools/deno on first use, see
 * scripts/ensure-deno.ts) and measures exactly what Node does.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDeno } from "../scripts/ensure-deno.ts";

const root = join(import.meta.dirname, "..");
let deno: string;
const tsx = join(root, "node_modules", ".bin", "tsx");

function smoke(cmd: string, args: string[]): { runtime: string; passed: number; failed: number; traces: number; words: number[] } {
  const text = execFileSync(cmd, args, { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] }).toString();
  const line = text.trim().split("\n").pop() ?? "";
  return JSON.parse(line);
}

describe("Deno", () => {
  beforeAll(() => {
    deno = ensureDeno(root);
  }, 300_000);

  it("runs the saha24-attention-io smoke preset, its claims hold, and its word counts equal Node's", () => {
    const underDeno = smoke(deno, ["run", "--quiet", "--allow-read", "--allow-env", "scripts/deno-smoke.ts"]);
    const underNode = smoke(tsx, ["scripts/deno-smoke.ts"]);
    expect(underDeno.runtime).toMatch(/^deno 2\./);
    expect(underNode.runtime).toMatch(/^node /);
    expect(underDeno.failed).toBe(0);
    expect(underDeno.passed).toBe(4);
    expect(underDeno.traces).toBe(underNode.traces);
    expect(underDeno.words.length).toBeGreaterThan(10);
    expect(underDeno.words).toEqual(underNode.words);
  }, 120_000);
});
