/**
 * lib/ stays runtime-neutral: one reproduction's smoke preset runs under Deno 2
 * (the `deno` npm package ships its binary) and measures exactly what Node does.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const deno = join(root, "node_modules", ".bin", "deno");
const tsx = join(root, "node_modules", ".bin", "tsx");

function smoke(cmd: string, args: string[]): { runtime: string; passed: number; failed: number; traces: number; words: number[] } {
  const text = execFileSync(cmd, args, { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] }).toString();
  const line = text.trim().split("\n").pop() ?? "";
  return JSON.parse(line);
}

describe("Deno", () => {
  it("runs the saha24-attention-io smoke preset, its claims hold, and its word counts equal Node's", () => {
    expect(existsSync(deno)).toBe(true);
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
