/**
 * 2-D matMul throughput of the tfjs backends available here (cpu, wasm), at a
 * few sizes, with the wasm/cpu speed ratio measured in the same run.
 * Run: npm run bench -- matmul-backends
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { report, timeCase, type CaseResult } from "../harness.ts";

const sizes = [128, 256, 512];
const cases: CaseResult[] = [];
const r = rng("bench-matmul");
const ratios: Record<string, number> = {};
for (const n of sizes) {
  const a = Float32Array.from({ length: n * n }, () => r.normal());
  const b = Float32Array.from({ length: n * n }, () => r.normal());
  const perBackend: Record<string, number> = {};
  for (const backend of ["cpu", "wasm"]) {
    await selectBackend({ name: backend });
    const ta = tf.tensor2d(a, [n, n]);
    const tb = tf.tensor2d(b, [n, n]);
    const reps = backend === "cpu" && n >= 512 ? 3 : 9;
    // Read the product inside tidy but return nothing: tidy walks whatever it returns, element by element.
    const c = await timeCase(`${backend} matMul ${n}x${n}`, () => tf.tidy(() => {
      tf.matMul(ta, tb).dataSync();
    }), {
      repetitions: reps,
      warmup: 1,
      derive: (ms) => ({ gflops: (2 * n ** 3) / (ms * 1e6) }),
    });
    tf.dispose([ta, tb]);
    cases.push(c);
    perBackend[backend] = c.medianMs;
  }
  ratios[`wasm/cpu speed at ${n}`] = (perBackend.cpu as number) / (perBackend.wasm as number);
}
report("matmul-backends", cases, { ratios });
for (const [k, v] of Object.entries(ratios)) console.log(`  ${k}: ${v.toFixed(1)}×`);
