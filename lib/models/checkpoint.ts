import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { DataError, requireArg } from "../core/errors.ts";
import type { TrainState } from "./train.ts";
import { Transformer } from "./transformer.ts";
import { paramSpecs, resolveConfig, type ParamSpec, type TransformerConfig } from "./transformer-config.ts";

/** Format tag written into every manifest. */
export const CHECKPOINT_FORMAT = "ttc-lab/transformer-checkpoint@1";
const MANIFEST = "checkpoint.json";
const WEIGHTS = "weights.bin";
const OPTIMIZER = "optimizer.bin";

/** What `checkpoint.json` holds. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  config: Required<TransformerConfig>;
  /** Parameters in file order; must equal {@link paramSpecs} of the config. */
  tensors: ParamSpec[];
  /** `weights.bin`: every parameter as little-endian float32, in `tensors` order. */
  weights: { file: string; bytes: number; sha256: string };
  /** `optimizer.bin` (present when saved with a training state): Adam's m then v, parameter by parameter. */
  optimizer?: { file: string; bytes: number; sha256: string; step: number; adamStep: number };
  /** Free-form facts about the run (recipe, seed, backend, losses …). */
  meta: Record<string, unknown>;
}

/** A loaded checkpoint: a model that owns new variables (the caller disposes it), and the training state if saved. */
export interface LoadedCheckpoint {
  model: Transformer;
  manifest: CheckpointManifest;
  training?: TrainState;
}

/**
 * Write a checkpoint directory: `checkpoint.json` (config, tensor list,
 * SHA-256 of each binary file, `meta`), `weights.bin` and, with `training`,
 * `optimizer.bin`. Each file is written under a temporary name and renamed,
 * the manifest last.
 *
 * @returns the manifest written
 */
export function saveCheckpoint(dir: string, model: Transformer, options: { training?: TrainState; meta?: Record<string, unknown> } = {}): CheckpointManifest {
  mkdirSync(dir, { recursive: true });
  const weights = concat(model.params.map((p) => p.dataSync() as Float32Array));
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    config: model.config,
    tensors: paramSpecs(model.config),
    weights: writeBinary(dir, WEIGHTS, weights),
    meta: options.meta ?? {},
  };
  if (options.training) {
    const { step, adam } = options.training;
    const moments = concat(adam.m.flatMap((m, i) => [m, adam.v[i] as Float32Array]));
    manifest.optimizer = { ...writeBinary(dir, OPTIMIZER, moments), step, adamStep: adam.step };
  }
  writeFileSync(join(dir, `${MANIFEST}.tmp`), JSON.stringify(manifest, null, 2) + "\n");
  renameSync(join(dir, `${MANIFEST}.tmp`), join(dir, MANIFEST));
  return manifest;
}

/**
 * Read and verify a checkpoint directory and build its model.
 *
 * @param expectConfig - when given, the checkpoint's config must equal it (defaults filled)
 * @throws DataError naming the file when the manifest is missing or malformed,
 *   a binary file is missing, truncated or fails its SHA-256, or the tensor list does not match the config
 * @throws InvalidArgumentError when the config differs from `expectConfig`
 */
export function loadCheckpoint(dir: string, expectConfig?: TransformerConfig): LoadedCheckpoint {
  const manifestPath = join(dir, MANIFEST);
  if (!existsSync(manifestPath)) throw new DataError(manifestPath, undefined, undefined, "no checkpoint manifest here");
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as CheckpointManifest;
  } catch (e) {
    throw new DataError(manifestPath, undefined, undefined, `not valid JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== CHECKPOINT_FORMAT) throw new DataError(manifestPath, undefined, "format", `expected "${CHECKPOINT_FORMAT}", got ${JSON.stringify(manifest?.format)}`);
  let specs: ParamSpec[];
  try {
    specs = paramSpecs(manifest.config);
  } catch (e) {
    throw new DataError(manifestPath, undefined, "config", (e as Error).message);
  }
  if (JSON.stringify(specs) !== JSON.stringify(manifest.tensors)) throw new DataError(manifestPath, undefined, "tensors", "the tensor list does not match the config");
  if (expectConfig !== undefined) {
    const want = resolveConfig(expectConfig);
    const same = (Object.keys(want) as (keyof typeof want)[]).every((k) => want[k] === manifest.config[k]);
    requireArg("loadCheckpoint", same, `a checkpoint with config ${JSON.stringify(want)}`, manifest.config);
  }
  const sizes = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
  const weights = readBinary(dir, manifest.weights, sizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  const params = specs.map((s, i) => {
    const init = tf.tensor(weights.subarray(offset, (offset += sizes[i] as number)), s.shape);
    const v = tf.variable(init, true);
    init.dispose();
    return v;
  });
  const model = new Transformer(manifest.config, params);
  if (manifest.optimizer === undefined) return { model, manifest };
  const moments = readBinary(dir, manifest.optimizer, 2 * model.numParams);
  const m: Float32Array[] = [];
  const v: Float32Array[] = [];
  offset = 0;
  for (const n of sizes) {
    m.push(moments.slice(offset, (offset += n)));
    v.push(moments.slice(offset, (offset += n)));
  }
  return { model, manifest, training: { step: manifest.optimizer.step, adam: { step: manifest.optimizer.adamStep, m, v } } };
}

/** Hex SHA-256 of a byte buffer: the content hash recorded for each binary file. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function writeBinary(dir: string, file: string, data: Float32Array): { file: string; bytes: number; sha256: string } {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  writeFileSync(join(dir, `${file}.tmp`), bytes);
  renameSync(join(dir, `${file}.tmp`), join(dir, file));
  return { file, bytes: bytes.length, sha256: sha256Hex(bytes) };
}

function readBinary(dir: string, entry: { file: string; bytes: number; sha256: string }, floats: number): Float32Array {
  const path = join(dir, entry.file);
  if (!existsSync(path)) throw new DataError(path, undefined, undefined, "checkpoint file is missing");
  const bytes = readFileSync(path);
  if (bytes.length !== floats * 4 || entry.bytes !== floats * 4) throw new DataError(path, undefined, "bytes", `expected ${floats * 4} bytes for the config, file has ${bytes.length} (truncated or mismatched)`);
  const hash = sha256Hex(bytes);
  if (hash !== entry.sha256) throw new DataError(path, undefined, "sha256", `content hash ${hash} differs from the manifest's ${entry.sha256} (corrupt checkpoint)`);
  const out = new Float32Array(floats);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
