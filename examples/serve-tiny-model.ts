/**
 * Serve a tiny policy over the OpenAI-compatible API and talk to it with plain `fetch`.
 *
 *   npx tsx examples/serve-tiny-model.ts [CHECKPOINT_DIR]
 *
 * With a checkpoint directory (written by `saveCheckpoint`, e.g. by scripts/train-tiny.ts) it serves
 * that model; without one it saves and serves a random-init model, whose text is noise but whose API
 * is the same. The same server runs from the command line as `ttc serve --checkpoint DIR`.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTransformer, loadCheckpoint, rng, saveCheckpoint, selectBackend, serve, CHAIN_TOKENIZER } from "../lib/index.ts";

await selectBackend({ name: "wasm" });
let dir = process.argv[2];
if (dir === undefined) {
  dir = join(mkdtempSync(join(tmpdir(), "ttc-example-")), "random-init");
  const fresh = createTransformer({ vocabSize: CHAIN_TOKENIZER.vocabSize, dModel: 32, layers: 2, heads: 4, dFF: 96, maxLen: 96 }, rng(1));
  saveCheckpoint(dir, fresh, { meta: { note: "random init, for the example" } });
  fresh.dispose();
}
const { model } = loadCheckpoint(dir);
const server = await serve({ model, name: "tiny", port: 0 });
console.log(`serving at ${server.url}/v1`);

// n samples of one step: stop at the step separator "\n"; a seed makes the answer reproducible.
const prompt = "347+005-008*007" + ".".repeat(36) + "\n";
const res = await fetch(`${server.url}/v1/completions`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ model: "tiny", prompt, n: 4, max_tokens: 20, temperature: 1, stop: "\n", seed: 7, logprobs: 1 }),
});
const completion = await res.json();
for (const c of completion.choices) {
  const logProb = c.logprobs.token_logprobs.reduce((a: number, b: number) => a + b, 0);
  console.log(`choice ${c.index}: ${JSON.stringify(c.text)} (${c.finish_reason}, log p = ${logProb.toFixed(2)})`);
}
console.log("usage:", completion.usage);

// Streaming: server-sent events, one chunk per token, then "data: [DONE]".
const stream = await fetch(`${server.url}/v1/completions`, {
  method: "POST",
  body: JSON.stringify({ prompt, max_tokens: 12, stream: true, seed: 7 }),
});
let text = "";
for (const event of (await stream.text()).split("\n\n")) {
  const data = event.replace(/^data: /, "");
  if (data === "" || data === "[DONE]") continue;
  text += JSON.parse(data).choices.map((c: { text: string }) => c.text).join("");
}
console.log(`streamed: ${JSON.stringify(text)}`);

await server.close();
model.dispose();
