import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { saveCheckpoint } from "../models/checkpoint.ts";
import { TINY } from "../models/models-fixtures.test-util.ts";
import { createTransformer } from "../models/transformer.ts";
import { runRewardRecipe, type RewardRecipe } from "./reward-recipe.ts";

describe("runRewardRecipe", () => {
  const dir = mkdtempSync(join(tmpdir(), "ttc-reward-"));
  beforeAll(async () => {
    await selectBackend({ name: "wasm" });
    const model = createTransformer(TINY, rng("policy"));
    saveCheckpoint(join(dir, "policy"), model);
    model.dispose();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const recipe = (over: Partial<RewardRecipe>): RewardRecipe => ({
    name: "prm-test", kind: "reward", model: "prm", labels: "checker", policy: join(dir, "policy"), init: join(dir, "policy"),
    levels: [1], problems: 4, samplesPerProblem: 2, temperature: 1, totalSteps: 4, batchSize: 4, lr: 1e-3, seed: 1, evalProblems: 1, evalSamples: 2, ...over,
  });

  it("labels, trains, evaluates and writes its files; a rerun reuses the labels and the finished checkpoint", () => {
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const run = runRewardRecipe(recipe({}), { dir: join(dir, "a"), log: (l) => lines.push(l) });
    expect(run).toBeDefined();
    expect(run!.samples).toBeGreaterThan(0);
    expect(run!.perLevel).toHaveLength(8);
    expect(lines.some((l) => l.startsWith("sampled 8 completions"))).toBe(true);
    const labels = JSON.parse(readFileSync(join(dir, "a", "labels.json"), "utf8")) as { items: { labels: number[] }[] };
    expect(labels.items).toHaveLength(8);
    const again: string[] = [];
    const rerun = runRewardRecipe(recipe({}), { dir: join(dir, "a"), log: (l) => again.push(l) });
    expect(again[0]).toMatch(/^labels: reusing 8 labelled samples/);
    expect(again.some((l) => l.startsWith("resuming at step 4"))).toBe(true);
    expect(JSON.stringify(rerun)).toBe(JSON.stringify(run));
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it("refuses inconsistent recipes", () => {
    expect(() => runRewardRecipe(recipe({ model: "orm", labels: "checker" }), { dir: join(dir, "b") })).toThrow('runRewardRecipe requires labels "outcome" exactly for an ORM, got "orm with checker"');
    expect(() => runRewardRecipe(recipe({ labels: "rollouts" }), { dir: join(dir, "b") })).toThrow("runRewardRecipe requires a positive integer rollouts for rollout labels");
    expect(() => runRewardRecipe(recipe({ levels: [9] }), { dir: join(dir, "b") })).toThrow("runRewardRecipe requires levels in 1..8");
  });
});
