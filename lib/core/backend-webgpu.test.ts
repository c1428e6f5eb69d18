// Backend parity on webgpu (tfjs-backend-webgpu through the `webgpu` npm package,
// Dawn on Vulkan: a GPU's driver, or Mesa's lavapipe in CI). The same
// computations run on cpu and on webgpu and must agree within stated tolerances.
//
// Where no WebGPU adapter exists the parity tests are skipped with the reason,
// unless webgpu is expected here (TTC_EXPECT_WEBGPU=1, which .ci/run exports
// once lavapipe is installed, or TTC_BACKEND=webgpu): then they fail.
//
// Reads go through `await t.data()`: `dataSync()` does not work on webgpu in
// Node (tfjs's synchronous read path needs OffscreenCanvas; see docs/webgpu.md).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { denseAttentionWithLse } from "../attention/dense-attention.ts";
import { tiledAttention } from "../attention/tiled-attention.ts";
import { Adam } from "../models/adam.ts";
import { completionLoss, makeBatch } from "../models/batch.ts";
import { chainExamples, TINY } from "../models/models-fixtures.test-util.ts";
import { createTransformer } from "../models/transformer.ts";
import { selectBackend, type BackendInfo } from "./backend.ts";
import { rng } from "./rng.ts";

const expectWebgpu = process.env.TTC_EXPECT_WEBGPU === "1" || process.env.TTC_BACKEND === "webgpu";

// Start webgpu once, at collection, to decide between running and skipping.
let gpu: BackendInfo | undefined;
let whyNot = "";
try {
  gpu = await selectBackend({ name: "webgpu" });
  // tfjs-webgpu hands elementwise ops, reductions, slice, transpose, cast, concat
  // and gather to the cpu backend when every input is a small tensor still held
  // on the CPU (WEBGPU_CPU_FORWARD, < 1000 elements); turn that off so that
  // every op below runs as a WebGPU shader.
  tf.env().set("WEBGPU_CPU_FORWARD", false);
} catch (e) {
  whyNot = e instanceof Error ? e.message : String(e);
}
await selectBackend({ name: "cpu" });
if (gpu === undefined && !expectWebgpu) {
  console.warn(`backend-webgpu.test.ts: webgpu parity tests SKIPPED (set TTC_EXPECT_WEBGPU=1 to make this a failure): ${whyNot}`);
}

type Backend = "cpu" | "webgpu";

/** Run `f` on `backend` inside tidy, read its outputs asynchronously, and check that nothing leaked. */
async function on(backend: Backend, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await selectBackend({ name: backend });
  const before = tf.memory().numTensors;
  const out = tf.tidy(f);
  const values = await Promise.all(out.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(out);
  expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
  return values;
}

/** max |a − b| over two equally long arrays (Infinity on a length mismatch). */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** max |a − b| / max(1, |a|): absolute for small values, relative for large ones. */
function maxScaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(a[i] as number)));
  return m;
}

/** n deterministic standard-normal floats. */
function randn(seed: string, n: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

describe("webgpu backend start", () => {
  it.runIf(expectWebgpu || gpu !== undefined)("starts and reports its adapter (vendor, architecture, driver)", () => {
    expect(gpu, `webgpu was expected here (TTC_EXPECT_WEBGPU=1 or TTC_BACKEND=webgpu) but did not start: ${whyNot}`).toBeDefined();
    expect(gpu!.name).toBe("webgpu");
    expect(gpu!.details.adapterVendor).toBeTypeOf("string");
    expect(gpu!.details.adapterArchitecture).toBeTypeOf("string");
    expect(gpu!.details.adapterDescription).toBeTypeOf("string");
    console.log(`webgpu adapter: ${JSON.stringify(gpu!.details)}`);
  });

  it.runIf(gpu !== undefined)("a synchronous read of a GPU tensor says to use `await data()` (Node has no OffscreenCanvas)", async () => {
    await selectBackend({ name: "webgpu" });
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.square(x);
    expect(Array.from(await y.data())).toEqual([1, 4, 9]);
    const z = tf.add(y, 1); // fresh on the GPU, not yet read back
    expect(() => z.dataSync()).toThrow(/dataSync\(\)\/arraySync\(\) are not available on the webgpu backend in Node/);
    tf.dispose([x, y, z]);
    await selectBackend({ name: "cpu" });
  });

  it("with no Vulkan driver, fails fast with a TtcError naming what is missing (never hangs)", () => {
    // A fresh process (Dawn reads the Vulkan environment once) whose loader sees no ICD.
    const dir = mkdtempSync(join(tmpdir(), "ttc-webgpu-"));
    try {
      const backend = fileURLToPath(new URL("./backend.ts", import.meta.url));
      const script = join(dir, "child.mts");
      writeFileSync(
        script,
        `import { selectBackend } from ${JSON.stringify(backend)};\n` +
          `try { await selectBackend({ name: "webgpu" }); console.log("STARTED"); } catch (e) { console.log(e.name + ": " + e.message); }\n`,
      );
      const t0 = performance.now();
      const child = spawnSync(process.execPath, ["--import", "tsx", script], {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
        env: { ...process.env, VK_ICD_FILENAMES: join(dir, "no-such-icd.json"), VK_DRIVER_FILES: join(dir, "no-such-icd.json") },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(child.status, child.stderr).toBe(0);
      expect(child.stdout).toMatch(
        /^TtcError: selectBackend could not start backend "webgpu": (no WebGPU adapter: the Vulkan loader is present but no driver offered an adapter \(ICD files: .*no-such-icd\.json\)|no Vulkan loader \(libvulkan\.so\.1|the optional `webgpu` npm package \(Dawn\) is not installed)/m,
      );
      expect(performance.now() - t0).toBeLessThan(30_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(gpu === undefined && !expectWebgpu)(`webgpu agrees with cpu${gpu === undefined ? ` (no webgpu here: ${whyNot})` : ""}`, () => {
  afterAll(async () => void (await selectBackend({ name: "cpu" })));

  it("matMul, softmax, logSumExp and reductions agree to 1e-5 (relative above 1)", async () => {
    expect(gpu, whyNot).toBeDefined();
    const a = randn("probe/a", 24 * 40);
    const b = randn("probe/b", 40 * 16);
    const probe = () => {
      const x = tf.tensor2d(a, [24, 40]);
      const y = tf.tensor2d(b, [40, 16]);
      const logits = tf.matMul(x, y);
      return [
        logits,
        tf.matMul(x, x, false, true), // transposed operand
        tf.softmax(logits),
        tf.logSumExp(logits, 1),
        tf.sum(tf.square(x), 0),
        tf.mean(x, 1),
        tf.max(logits, 0),
        tf.min(logits, 1),
        tf.argMax(logits, 1).toFloat(),
        tf.sum(x),
      ];
    };
    const cpu = await on("cpu", probe);
    const wg = await on("webgpu", probe);
    const diffs = cpu.map((c, i) => maxAbsDiff(c, wg[i]!));
    const scaled = cpu.map((c, i) => maxScaledDiff(c, wg[i]!));
    console.log(`webgpu − cpu per output, max |Δ|: ${diffs.map((d) => d.toExponential(1)).join(" ")}; max |Δ|/max(1,|cpu|): ${scaled.map((d) => d.toExponential(1)).join(" ")}`);
    for (const d of scaled) expect(d).toBeLessThan(1e-5);
    expect(diffs[2]!).toBeLessThan(1e-6); // softmax probabilities
    expect(diffs[8]!).toBe(0); // argMax
  });

  it("denseAttention and tiledAttention (GQA, causal, ragged) agree with each other and with cpu to 1e-5", async () => {
    // [B, H_q, T_q, H_kv, T_k, d], tile, causal, kvLengths; T not a multiple of the tile. Shapes are
    // small because lavapipe compiles each new shader slowly: T 37 (as in tiled-attention.test.ts)
    // took 22 s here with a cold Mesa shader cache, T 12 takes 2.5 s.
    const cases: [number[], number, boolean, number[] | undefined][] = [
      [[2, 4, 12, 2, 12, 8], 5, true, undefined],
      [[3, 4, 1, 2, 23, 16], 5, false, [23, 4, 17]],
    ];
    for (const [dims, tileSize, causal, kvLengths] of cases) {
      const [b, hq, tq, hkv, tk, d] = dims as [number, number, number, number, number, number];
      const [qs, ks, vs] = [[b, hq, tq, d], [b, hkv, tk, d], [b, hkv, tk, d]];
      const [qa, ka, va] = [randn(`att/q/${dims}`, size(qs)), randn(`att/k/${dims}`, size(ks)), randn(`att/v/${dims}`, size(vs))];
      const opts = kvLengths === undefined ? { causal } : { causal, kvLengths };
      const run = () => {
        const [q, k, v] = [tf.tensor(qa, qs), tf.tensor(ka, ks), tf.tensor(va, vs)];
        const dense = denseAttentionWithLse(q, k, v, opts);
        const tiled = tiledAttention(q, k, v, { ...opts, tileSize });
        return [dense.output, dense.lse, tiled.output, tiled.lse];
      };
      const cpu = await on("cpu", run);
      const wg = await on("webgpu", run);
      const tiledVsDense = Math.max(maxAbsDiff(wg[2]!, wg[0]!), maxAbsDiff(wg[3]!, wg[1]!));
      const vsCpu = Math.max(...cpu.map((c, i) => maxAbsDiff(c, wg[i]!)));
      console.log(`attention ${dims} tile ${tileSize}: webgpu tiled vs dense ${tiledVsDense.toExponential(1)}, webgpu vs cpu ${vsCpu.toExponential(1)}`);
      expect(tiledVsDense).toBeLessThan(1e-5);
      expect(vsCpu).toBeLessThan(1e-5);
    }
  });

  it("four Adam steps of the tiny transformer give the same losses (1e-5) and weights (1e-5) as on cpu", async () => {
    const data = chainExamples(1, 64);
    const steps = 4;
    const batchSize = 8;
    const trainOn = async (backend: Backend) => {
      await selectBackend({ name: backend });
      const before = tf.memory().numTensors;
      const model = createTransformer(TINY, rng(3));
      const adam = new Adam(model.params);
      const losses: number[] = [];
      const t0 = performance.now();
      for (let s = 0; s < steps; s++) {
        const batch = makeBatch(data.slice(s * batchSize, (s + 1) * batchSize));
        const { value, grads } = tf.variableGrads(() => completionLoss(model.forward(batch.inputs), batch), model.params as tf.Variable[]);
        losses.push((await value.data())[0]!);
        const list = model.params.map((p) => grads[p.name] as tf.Tensor);
        adam.apply(list, 1e-2);
        tf.dispose([batch.inputs, batch.targets, batch.weights, value, ...list]);
      }
      const weights = await Promise.all(model.params.map(async (p) => Float32Array.from(await p.data())));
      const ms = performance.now() - t0;
      adam.dispose();
      model.dispose();
      expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
      return { losses, weights, ms };
    };
    const cpu = await trainOn("cpu");
    const wg = await trainOn("webgpu");
    const lossDiff = maxAbsDiff(cpu.losses, wg.losses);
    const weightDiff = Math.max(...cpu.weights.map((w, i) => maxAbsDiff(w, wg.weights[i]!)));
    console.log(
      `training ${steps} steps: losses cpu ${cpu.losses.map((l) => l.toFixed(6)).join(" ")} | webgpu ${wg.losses.map((l) => l.toFixed(6)).join(" ")}; ` +
        `max |Δloss| ${lossDiff.toExponential(1)}, max |Δweight| ${weightDiff.toExponential(1)}; ${cpu.ms.toFixed(0)} ms cpu, ${wg.ms.toFixed(0)} ms webgpu`,
    );
    expect(wg.losses[steps - 1]!).toBeLessThan(wg.losses[0]!);
    expect(lossDiff).toBeLessThan(1e-5);
    expect(weightDiff).toBeLessThan(1e-5);
  });
});
