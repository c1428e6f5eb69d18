import { basename, resolve } from "node:path";
import { selectBackend } from "../core/backend.ts";
import { TtcError } from "../core/errors.ts";
import { loadCheckpoint } from "../models/checkpoint.ts";
import { serve } from "../serve/serve.ts";
import { commandFailure, parseCommand } from "./parse-command.ts";

export const SERVE_USAGE = `usage:
  ttc serve --checkpoint DIR [options]       serve a tiny policy over an OpenAI-compatible API

options:
  --checkpoint DIR        checkpoint directory (checkpoint.json, weights.bin)
  --name NAME             model name clients send (default: the directory's name)
  --host HOST             default 127.0.0.1
  --port N                default 8000 (0 picks a free port)
  --max-queue N           requests waiting for a batch before 429 (default 64)
  --batch-window-ms MS    how long a batch waits for more requests (default 5)
  --max-batch N           most sequences decoded together (default 64)
  --seed S                stream for requests that send no seed (default 0)
  --backend NAME          tfjs backend (default as for ttc repro)
`;

/** Hooks for tests. */
export interface ServeCommandHooks {
  /** Stops the server like SIGINT does. */
  signal?: AbortSignal;
  /** Called with the base URL once listening. */
  onListening?: (url: string) => void;
}

/**
 * `ttc serve`: load a checkpoint, serve it ({@link serve}) until SIGINT (or
 * `hooks.signal`), then finish the accepted requests and exit.
 *
 * @param argv - arguments after `serve`, e.g. `["--checkpoint", "data/models/policy-60k", "--port", "8000"]`
 * @returns exit code: 0 after a clean shutdown, 2 on bad usage, a bad checkpoint or a port in use
 * @example
 * await serveCommand(["--checkpoint", "data/models/policy-60k"]); // prints the URL, serves until Ctrl-C
 */
export async function serveCommand(argv: string[], hooks: ServeCommandHooks = {}): Promise<number> {
  const parsed = parseCommand("serve", SERVE_USAGE, {
    args: argv,
    options: {
      checkpoint: { type: "string" },
      name: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "max-queue": { type: "string" },
      "batch-window-ms": { type: "string" },
      "max-batch": { type: "string" },
      seed: { type: "string" },
      backend: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  try {
    if (values.checkpoint === undefined) throw new TtcError(`ttc serve requires --checkpoint DIR, got none`);
    const int = (flag: string, v: string | undefined, fallback: number, min: number) => {
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < min) throw new TtcError(`ttc serve requires --${flag} to be an integer ≥ ${min}, got "${v}"`);
      return n;
    };
    const options = {
      host: values.host ?? "127.0.0.1",
      port: int("port", values.port, 8000, 0),
      maxQueue: int("max-queue", values["max-queue"], 64, 0),
      batchWindowMs: int("batch-window-ms", values["batch-window-ms"], 5, 0),
      maxBatch: int("max-batch", values["max-batch"], 64, 1),
      seed: values.seed ?? 0,
    };
    const backend = await selectBackend(values.backend === undefined ? {} : { name: values.backend });
    const { model } = loadCheckpoint(values.checkpoint);
    const name = values.name ?? basename(resolve(values.checkpoint));
    let server;
    try {
      server = await serve({ ...options, model, name });
    } catch (e) {
      model.dispose();
      const code = (e as { code?: string }).code;
      if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") throw new TtcError(`ttc serve requires a free port on ${options.host}, got ${code} for port ${options.port}`);
      throw e;
    }
    process.stdout.write(
      `ttc serve: ${name} (${model.numParams} parameters, context ${model.config.maxLen} tokens, backend ${backend.name}) at ${server.url}/v1\n` +
        `  POST ${server.url}/v1/completions · GET ${server.url}/v1/models · Ctrl-C stops\n`,
    );
    hooks.onListening?.(server.url);
    let stop = () => {};
    await new Promise<void>((resolveStop) => {
      stop = () => resolveStop();
      process.once("SIGINT", stop);
      hooks.signal?.addEventListener("abort", stop, { once: true });
      if (hooks.signal?.aborted) stop();
    });
    process.off("SIGINT", stop);
    process.stdout.write("ttc serve: shutting down (finishing accepted requests)\n");
    await server.close();
    model.dispose();
    process.stdout.write("ttc serve: stopped\n");
    return 0;
  } catch (e) {
    return commandFailure("serve", e);
  }
}
