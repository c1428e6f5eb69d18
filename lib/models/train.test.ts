import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { chainExamples, TINY } from "./models-fixtures.test-util.ts";
import { formatProgress, train, type TrainProgress } from "./train.ts";
import { createTransformer } from "./transformer.ts";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("train", () => {
  const dir = mkdtempSync(join(tmpdir(), "ttc-train-"));
  beforeAll(async () => void (await selectBackend({ name: "wasm" })));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const data = chainExamples(1, 600);
  const options = { rng: rng("order"), totalSteps: 100, batchSize: 8, lr: 1e-2, warmupSteps: 10 };

  it("cuts the completion loss by 40%+ in 100 steps on level 1, byte-identically for the same seed, without leaks", () => {
    const before = tf.memory().numTensors;
    const reports: TrainProgress[] = [];
    const model = createTransformer(TINY, rng(3));
    const run = train(model, data, { ...options, progressEvery: 25, onProgress: (p) => reports.push(p) });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(run.losses).toHaveLength(100);
    expect(mean(run.losses.slice(-10))).toBeLessThan(0.6 * mean(run.losses.slice(0, 10)));
    expect(reports.map((r) => r.step)).toEqual([25, 50, 75, 100]);
    expect(formatProgress(reports[3]!)).toMatch(/^step 100\/100 {2}loss \d\.\d{4} {2}lr .* tok\/s/);

    const again = createTransformer(TINY, rng(3));
    const rerun = train(again, data, { ...options, untilStep: 40 });
    again.dispose();
    expect(new Float32Array(rerun.losses).buffer).toEqual(new Float32Array(run.losses.slice(0, 40)).buffer);
  }, 180_000);

  it("stops at a step budget and resumes from a checkpoint exactly where an unbroken run would be", () => {
    const opts = { ...options, totalSteps: 12 };
    const whole = createTransformer(TINY, rng(4));
    const straight = train(whole, data, opts);
    const half = createTransformer(TINY, rng(4));
    const first = train(half, data, { ...opts, untilStep: 5 });
    expect([first.step, first.stoppedBy, first.losses.length]).toEqual([5, "steps", 5]);
    saveCheckpoint(dir, half, { training: first.state });
    half.dispose();
    const loaded = loadCheckpoint(dir, TINY);
    const second = train(loaded.model, data, { ...opts, resume: loaded.training! });
    expect([...first.losses, ...second.losses]).toEqual(straight.losses);
    expect(Array.from(loaded.model.param("l1.w2").dataSync())).toEqual(Array.from(whole.param("l1.w2").dataSync()));
    [whole, loaded.model].forEach((m) => m.dispose());
  });

  it("stops after a wall-time budget", () => {
    const model = createTransformer(TINY, rng(5));
    const run = train(model, data, { ...options, totalSteps: 10_000, maxWallMs: 1 });
    expect([run.step, run.stoppedBy]).toEqual([1, "time"]);
    model.dispose();
  });
});
