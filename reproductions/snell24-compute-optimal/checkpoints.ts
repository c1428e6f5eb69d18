import { existsSync } from "node:fs";
import { join } from "node:path";
import { requireArg } from "../../lib/core/errors.ts";
import type { CheckpointManifest } from "../../lib/models/checkpoint.ts";

/**
 * Parameters stored in a checkpoint: every tensor's elements (embeddings included).
 *
 * @example
 * checkpointParams(loadCheckpoint("data/models/policy-60k").manifest) // 67,200 (data/models/README.md)
 */
export function checkpointParams(manifest: CheckpointManifest): number {
  return manifest.tensors.reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
}

/**
 * The first of `names` whose checkpoint (`<dir>/<name>/checkpoint.json`) exists.
 *
 * @throws InvalidArgumentError when none does
 * @example
 * firstExisting("data/models", ["policy-200k-long", "policy-200k"]) // "policy-200k" until the continued run is shipped
 */
export function firstExisting(dir: string, names: readonly string[]): string {
  const found = names.find((n) => existsSync(join(dir, n, "checkpoint.json")));
  requireArg("firstExisting", found !== undefined, `one of the checkpoints ${names.join(", ")} under ${dir}`, "none");
  return found as string;
}
