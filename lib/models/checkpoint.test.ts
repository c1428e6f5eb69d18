import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { DataError, InvalidArgumentError } from "../core/errors.ts";
import { rng } from "../core/rng.ts";
import { loadCheckpoint, saveCheckpoint, sha256Hex } from "./checkpoint.ts";
import { TINY } from "./models-fixtures.test-util.ts";
import { createTransformer } from "./transformer.ts";

describe("checkpoints", () => {
  const root = mkdtempSync(join(tmpdir(), "ttc-ckpt-"));
  beforeAll(async () => void (await selectBackend({ name: "wasm" })));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("round-trip config, weights (bit for bit), logits and meta, recording each file's SHA-256", () => {
    const dir = join(root, "ok");
    const model = createTransformer({ ...TINY, kvHeads: 2 }, rng(1));
    const manifest = saveCheckpoint(dir, model, { meta: { seed: 1 } });
    expect(manifest.weights.sha256).toBe(sha256Hex(readFileSync(join(dir, "weights.bin"))));
    const before = tf.memory().numTensors;
    const loaded = loadCheckpoint(dir, { ...TINY, kvHeads: 2 });
    expect(loaded.manifest.meta).toEqual({ seed: 1 });
    expect(loaded.training).toBeUndefined();
    model.params.forEach((p, i) => expect(Array.from(loaded.model.params[i]!.dataSync())).toEqual(Array.from(p.dataSync())));
    const ids = tf.tensor2d([[1, 5, 6, 7]], [1, 4], "int32");
    const [a, b] = [model.forward(ids), loaded.model.forward(ids)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([ids, a, b]);
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("refuses corrupt, truncated, missing and mismatched checkpoints with errors that name the file", () => {
    const dir = join(root, "bad");
    const model = createTransformer(TINY, rng(2));
    saveCheckpoint(dir, model);
    model.dispose();
    const weights = join(dir, "weights.bin");
    const good = readFileSync(weights);
    const flipped = Buffer.from(good);
    flipped[100] = flipped[100]! ^ 1;
    writeFileSync(weights, flipped);
    expect(() => loadCheckpoint(dir)).toThrow(DataError);
    expect(() => loadCheckpoint(dir)).toThrow(/weights\.bin, field "sha256": content hash .* \(corrupt checkpoint\)/);
    writeFileSync(weights, good.subarray(0, good.length - 4));
    expect(() => loadCheckpoint(dir)).toThrow(/field "bytes": expected \d+ bytes/);
    writeFileSync(weights, good);
    expect(() => loadCheckpoint(dir, { ...TINY, dModel: 32 })).toThrow(InvalidArgumentError);
    expect(() => loadCheckpoint(dir, { ...TINY, dModel: 32 })).toThrow(/loadCheckpoint requires a checkpoint with config/);
    const manifestPath = join(dir, "checkpoint.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, config: { ...manifest.config, dFF: 32 } }));
    expect(() => loadCheckpoint(dir)).toThrow(/field "tensors": the tensor list does not match the config/);
    writeFileSync(manifestPath, "{ not json");
    expect(() => loadCheckpoint(dir)).toThrow(/checkpoint\.json: not valid JSON/);
    expect(() => loadCheckpoint(join(root, "nowhere"))).toThrow(/no checkpoint manifest here/);
    // The good files load again.
    writeFileSync(manifestPath, JSON.stringify(manifest));
    loadCheckpoint(dir, TINY).model.dispose();
  });
});
