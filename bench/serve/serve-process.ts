/**
 * The server side of `serve-throughput.bench.ts`, in its own process (as a real server is): serves a random-init
 * policy of the shipped policy-35k shape and sends every request's log entry (with its server-side duration) to the
 * parent over IPC. Messages in: "close". Messages out: { ready, url, backend }, { log: RequestLogEntry }, { closed }.
 */
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { createTransformer } from "../../lib/models/transformer.ts";
import { serve } from "../../lib/serve/serve.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";

const send = process.send?.bind(process);
if (send === undefined) throw new Error("serve-process.ts runs as a child of serve-throughput.bench.ts (it needs an IPC channel)");
const backend = await selectBackend({});
const model = createTransformer({ vocabSize: CHAIN_TOKENIZER.vocabSize, dModel: 32, layers: 2, heads: 4, dFF: 128, maxLen: 208 }, rng("bench-serve"));
const server = await serve({ model, name: "bench", port: 0, maxQueue: 256, onRequest: (log) => send({ log }) });
process.on("message", (m: unknown) => {
  if (m !== "close") return;
  void server.close().then(() => {
    model.dispose();
    send({ closed: true }, () => process.disconnect());
  });
});
send({ ready: true, url: server.url, backend: backend.name });
