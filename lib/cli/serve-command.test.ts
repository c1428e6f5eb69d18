import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tinyCheckpointDir } from "../serve/serve-fixtures.test-util.ts";
import { main } from "./main.ts";
import { serveCommand } from "./serve-command.ts";

let out: string;
let err: string;
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

describe("ttc serve", () => {
  it("serves a checkpoint until stopped, printing its URL, then exits 0", async () => {
    const dir = tinyCheckpointDir("cli");
    const stop = new AbortController();
    let models: any;
    const code = await serveCommand(["--checkpoint", dir, "--name", "tiny-cli", "--port", "0", "--backend", "wasm", "--batch-window-ms", "1"], {
      signal: stop.signal,
      onListening: (url) => {
        void fetch(`${url}/v1/models`)
          .then((r) => r.json())
          .then((m) => (models = m))
          .finally(() => stop.abort());
      },
    });
    expect(code).toBe(0);
    expect(models.data[0].id).toBe("tiny-cli");
    expect(out).toMatch(/ttc serve: tiny-cli \(\d+ parameters, context 128 tokens, backend wasm\) at http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(out).toMatch(/ttc serve: stopped/);
  });

  it("exits 2 with a message for a missing or bad checkpoint and bad flags", async () => {
    expect(await main(["serve"])).toBe(2);
    expect(err).toMatch(/ttc serve requires --checkpoint DIR, got none/);
    expect(await main(["serve", "--checkpoint", "x", "--port=-1"])).toBe(2);
    expect(err).toMatch(/ttc serve requires --port to be an integer ≥ 0, got "-1"/);
    expect(await main(["serve", "--checkpoint", mkdtempSync(join(tmpdir(), "ttc-empty-")), "--backend", "wasm"])).toBe(2);
    expect(err).toMatch(/checkpoint\.json: no checkpoint manifest here/);
    expect(await main(["serve", "--bogus"])).toBe(2);
    expect(err).toMatch(/Unknown option '--bogus'/);
  });
});
