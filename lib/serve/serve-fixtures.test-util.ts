// Test fixtures for lib/serve (not exported from the package).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rng } from "../core/rng.ts";
import { saveCheckpoint } from "../models/checkpoint.ts";
import { createTransformer } from "../models/transformer.ts";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import type { TransformerConfig } from "../models/transformer-config.ts";

/** A very small random-init policy for the chain tokenizer, with room for long completions (maxLen 128). */
export const SERVE_TINY: TransformerConfig = { vocabSize: CHAIN_TOKENIZER.vocabSize, dModel: 24, layers: 2, heads: 4, dFF: 64, maxLen: 128 };

/** Save a random-init {@link SERVE_TINY} model (seeded) to a new temp directory and return the directory. */
export function tinyCheckpointDir(seed = "serve"): string {
  const dir = mkdtempSync(join(tmpdir(), "ttc-serve-"));
  const model = createTransformer(SERVE_TINY, rng(seed));
  saveCheckpoint(dir, model, { meta: { note: "random init, for tests" } });
  model.dispose();
  return dir;
}

/** POST JSON and return status and parsed body. */
export async function postJson(url: string, body: unknown, signal?: AbortSignal): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body), signal });
  const text = await res.text();
  return { status: res.status, body: text.startsWith("data:") ? text : JSON.parse(text), headers: res.headers };
}

/** The `data:` payloads of a server-sent-event stream body, in order (`"[DONE]"` kept as a string). */
export function sseEvents(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((e) => e.length > 0)
    .map((e) => {
      if (!e.startsWith("data: ")) throw new Error(`not an SSE data event: ${JSON.stringify(e)}`);
      const payload = e.slice("data: ".length);
      return payload === "[DONE]" ? payload : JSON.parse(payload);
    });
}

/** Poll `check` every few milliseconds until it holds (bounded by the test's timeout). */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}
