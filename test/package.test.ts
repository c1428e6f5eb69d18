/**
 * The package as a user gets it: `npm pack` (which builds dist/), install the
 * tarball into an empty folder, and import it from a plain Node ESM script —
 * the root entry, the reproductions registry and one reproduction — and run
 * the installed `ttc` command. Packing happens in a copy of the sources, so its
 * build cannot collide with another test building the checkout's dist/.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
let consumer: string;

const SCRIPT = `
import { rng, logChoose, flashAttentionIO, attentionReference, lineFigure, checkClaims, TtcError } from "ttc-lab";
import { reproductions } from "ttc-lab/reproductions";
import { presets, run, claims } from "ttc-lab/reproductions/saha24-attention-io";
const r = rng(3);
const n = 16, d = 4;
const draw = () => Float64Array.from({ length: n * d }, () => r.normal());
const q = draw(), k = draw(), v = draw();
const io = flashAttentionIO(q, k, v, n, d, 64);
const ref = attentionReference(q, k, v, n, d);
let err = 0;
for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(io.output[i] - ref[i]));
const fig = lineFigure({ series: [{ name: "a", x: [1, 2], y: [3, 4] }] });
const report = checkClaims(claims, run(presets.smoke), "smoke");
let typed = false;
try { rng(0.5); } catch (e) { typed = e instanceof TtcError; }
console.log(JSON.stringify({ choose: Math.round(Math.exp(logChoose(10, 3))), err, words: io.wordsRead + io.wordsWritten, traces: fig.data.length, ids: reproductions.map((x) => x.id), passed: report.passed, failed: report.failed, typed }));
`;

describe("npm package", () => {
  beforeAll(() => {
    const work = mkdtempSync(join(tmpdir(), "ttc-pack-"));
    const src = join(work, "src");
    for (const entry of ["package.json", "tsconfig.json", "tsconfig.build.json", "README.md", "CHANGELOG.md", "bin", "lib", "reproductions"]) {
      cpSync(join(root, entry), join(src, entry), { recursive: true });
    }
    symlinkSync(join(root, "node_modules"), join(src, "node_modules"));
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: src, stdio: ["ignore", "pipe", "pipe"] })
      .toString()
      .trim()
      .split("\n")
      .pop() as string;
    consumer = join(work, "consumer");
    execFileSync("mkdir", ["-p", consumer]);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    execFileSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--omit=optional", "--ignore-scripts", join(work, packed)],
      { cwd: consumer, stdio: ["ignore", "pipe", "pipe"] },
    );
    writeFileSync(join(consumer, "script.mjs"), SCRIPT);
  }, 300_000);

  it("imports from 'ttc-lab' and its reproductions under plain Node, and the code works", () => {
    const out = JSON.parse(execFileSync(process.execPath, ["script.mjs"], { cwd: consumer }).toString().trim().split("\n").pop() as string);
    expect(out.choose).toBe(120);
    expect(out.err).toBeLessThan(1e-12);
    expect(out.words).toBeGreaterThan(3 * 16 * 4);
    expect(out.traces).toBe(1);
    expect(out.ids).toContain("saha24-attention-io");
    expect([out.passed, out.failed]).toEqual([4, 0]);
    expect(out.typed).toBe(true);
  });

  it("installs the ttc command, running the compiled CLI", () => {
    const text = execFileSync(join(consumer, "node_modules", ".bin", "ttc"), ["list"], { cwd: consumer }).toString();
    expect(text).toContain("saha24-attention-io");
  });
});
