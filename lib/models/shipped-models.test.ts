import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { modelsReport, REPORT_BEGIN, REPORT_END } from "./models-report.ts";
import { evaluatePolicy, runPolicyRecipe, type LevelAccuracy, type PolicyRecipe } from "./policy-recipe.ts";

/** The policies shipped under data/models/ (see data/models/README.md). */
const SHIPPED = ["policy-35k", "policy-60k", "policy-200k", "policy-35k-long", "policy-60k-long", "policy-200k-long", "policy-320k"];
const modelDir = (name: string) => join("data", "models", name);

describe("shipped tiny policies", () => {
  const tmp = mkdtempSync(join(tmpdir(), "ttc-shipped-"));
  beforeAll(async () => void (await selectBackend({ name: "wasm" })));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(SHIPPED)("%s loads and reproduces its reported greedy level-1 pass@1 exactly", (name) => {
    const { model, manifest } = loadCheckpoint(modelDir(name));
    const reported = (manifest.meta.evaluation as LevelAccuracy[]).find((r) => r.level === 1) as LevelAccuracy;
    const [again] = evaluatePolicy(model, reported.problems, () => {}, [1]);
    model.dispose();
    expect(again).toEqual(reported);
  }, 120_000);

  it("data/models/README.md's tables are what the shipped manifests say", () => {
    const readme = readFileSync(join("data", "models", "README.md"), "utf8");
    const between = readme.slice(readme.indexOf(REPORT_BEGIN) + REPORT_BEGIN.length + 1, readme.indexOf(REPORT_END) - 1);
    expect(between).toBe(modelsReport(join("data", "models")));
  });

  it("the smallest policy's recipe reproduces the first window of its shipped loss curve bit for bit", () => {
    const recipe = JSON.parse(readFileSync(join("data", "models", "recipes", "policy-35k.json"), "utf8")) as PolicyRecipe;
    const shipped = loadCheckpoint(modelDir("policy-35k"));
    const history = shipped.manifest.meta.history as { step: number; loss: number }[];
    shipped.model.dispose();
    runPolicyRecipe(recipe, { dir: join(tmp, "35k"), untilStep: history[0]!.step });
    const rerun = loadCheckpoint(join(tmp, "35k", "checkpoint"));
    const rerunHistory = rerun.manifest.meta.history as { step: number; loss: number }[];
    rerun.model.dispose();
    expect(rerunHistory[0]!.step).toBe(history[0]!.step);
    expect(rerunHistory[0]!.loss).toBe(history[0]!.loss);
  }, 300_000);
});
