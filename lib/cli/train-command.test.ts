import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { loadCheckpoint } from "../models/checkpoint.ts";
import type { PolicyRecipe } from "../models/policy-recipe.ts";
import { trainCommand } from "./train-command.ts";

describe("ttc train", () => {
  const dir = mkdtempSync(join(tmpdir(), "ttc-train-cmd-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const recipe: PolicyRecipe = {
    name: "tiny", config: { dModel: 16, layers: 1, heads: 2, dFF: 32, maxLen: 96 }, levels: [1], examples: 64, batchSize: 8, lr: 1e-3, totalSteps: 2, seed: 3, evalProblems: 1,
  };
  const quiet = () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    return { out, err, restore: () => (out.mockRestore(), err.mockRestore()) };
  };

  it("trains a policy recipe, evaluates it, and ships weights with the recipe and evaluation", async () => {
    const file = join(dir, "tiny.json");
    writeFileSync(file, JSON.stringify(recipe));
    const io = quiet();
    const code = await trainCommand([file, "--out", join(dir, "run"), "--ship", join(dir, "shipped"), "--backend", "wasm"]);
    const printed = io.out.mock.calls.map((c) => String(c[0])).join("");
    io.restore();
    expect(code).toBe(0);
    expect(printed).toMatch(/starting: tiny, \d+ params, 64 examples/);
    expect(printed).toMatch(/level 8: pass@1 /);
    const shipped = loadCheckpoint(join(dir, "shipped"));
    expect(shipped.training).toBeUndefined(); // weights only
    expect((shipped.manifest.meta.evaluation as unknown[]).length).toBe(8);
    expect((shipped.manifest.meta.recipe as PolicyRecipe).name).toBe("tiny");
    shipped.model.dispose();
    const evaluation = JSON.parse(readFileSync(join(dir, "run", "eval.json"), "utf8")) as { levels: unknown[] };
    expect(evaluation.levels).toHaveLength(8);
  }, 120_000);

  it("says what is wrong with the command line or the recipe", async () => {
    const io = quiet();
    expect(await trainCommand([])).toBe(2);
    expect(await trainCommand([join(dir, "missing.json")])).toBe(2);
    writeFileSync(join(dir, "bad.json"), "{ not json");
    expect(await trainCommand([join(dir, "bad.json")])).toBe(2);
    writeFileSync(join(dir, "noname.json"), "{}");
    expect(await trainCommand([join(dir, "noname.json")])).toBe(2);
    expect(await trainCommand([join(dir, "noname.json"), "--minutes", "-1"])).toBe(2);
    const errors = io.err.mock.calls.map((c) => String(c[0])).join("");
    io.restore();
    expect(errors).toContain("ttc train requires exactly one recipe file");
    expect(errors).toContain(`ttc train requires an existing recipe file, got "${join(dir, "missing.json")}"`);
    expect(errors).toContain("ttc train requires a JSON recipe");
    expect(errors).toContain('ttc train requires a recipe with a "name"');
  });
});
