import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { backendFromArgv, selectBackend } from "./backend.ts";

/** A small computation touching matMul, softmax, reductions and elementwise ops. */
function probe(): Float32Array {
  return tf.tidy(() => {
    const a = tf.tensor2d(Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.37)), [6, 8]);
    const b = tf.tensor2d(Array.from({ length: 40 }, (_, i) => Math.cos(i * 0.11)), [8, 5]);
    const logits = tf.matMul(a, b);
    const p = tf.softmax(logits);
    return tf.concat([p.flatten(), tf.logSumExp(logits, 1), tf.sum(tf.square(a), 0)]).dataSync() as Float32Array;
  });
}

describe("backend selection", () => {
  afterAll(async () => {
    await selectBackend({ name: "cpu" });
  });

  it("cpu and wasm agree to 1e-5 on the same computation", async () => {
    const cpu = await selectBackend({ name: "cpu" });
    expect(cpu.name).toBe("cpu");
    const before = tf.memory().numTensors;
    const onCpu = Array.from(probe());
    expect(tf.memory().numTensors).toBe(before);
    const wasm = await selectBackend({ name: "wasm" });
    expect(wasm.name).toBe("wasm");
    expect(wasm.details.simd).toBeTypeOf("boolean");
    const onWasm = Array.from(probe());
    expect(onWasm.length).toBe(onCpu.length);
    for (let i = 0; i < onCpu.length; i++) expect(Math.abs(onWasm[i]! - onCpu[i]!)).toBeLessThan(1e-5);
  });

  it("reads TTC_BACKEND, then --backend, and records how it chose", async () => {
    expect((await selectBackend({ env: { TTC_BACKEND: "cpu" }, argv: ["--backend", "wasm"] })).chosenBy).toBe("env");
    const fromArgv = await selectBackend({ env: {}, argv: ["node", "x", "--backend=cpu"] });
    expect([fromArgv.name, fromArgv.chosenBy]).toEqual(["cpu", "argv"]);
    expect(backendFromArgv(["--backend", "wasm"])).toBe("wasm");
    expect(backendFromArgv(["--other"])).toBeUndefined();
  });

  it("auto-selects a working backend when nothing is requested (tfjs-node is absent here, so wasm)", async () => {
    const info = await selectBackend({ env: {}, argv: [] });
    expect(info.chosenBy).toBe("auto");
    expect(["tensorflow", "wasm"]).toContain(info.name);
  });

  it("an unknown backend lists the available ones", async () => {
    await expect(selectBackend({ name: "gpu" })).rejects.toThrow(
      'selectBackend requires a known backend (one of: tensorflow, wasm, cpu, webgpu), got "gpu"',
    );
  });

  it("a known but missing backend says what is missing", async () => {
    await expect(selectBackend({ name: "tensorflow" })).rejects.toThrow(/tfjs-node is not installed/);
  });
});
