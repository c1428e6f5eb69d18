/**
 * Dense decode attention, batch 16, 8 heads (MHA), head dim 64, at 4k–64k
 * cached keys: effective KV read rate (B·H·T·d·4·2 bytes per step / time) of
 * each path, with speed ratios measured in the same run.
 * Paths: `wasm-simd` (denseDecode on a WasmKvStorage cache, block-major, one
 * thread), `wasm-simd-2t` (the same storage made with `threads: 2`: the batch
 * split between this thread and a worker on shared memory), `js` (denseDecode,
 * plain typed-array loops), and the pre-existing ones where they fit: `tfjs`
 * (denseAttention on [B, H, T, d] tensors, default backend) and `js-two-pass`
 * (blockSparseDecode at density 1, the previous plain-JS kernel).
 * Run: npm run bench -- dense-decode   (env DENSE_TOKENS=4096,16384 to choose lengths)
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { blockSparseDecode } from "../../lib/attention/block-sparse-decode.ts";
import { denseAttention } from "../../lib/attention/dense-attention.ts";
import { denseDecodeArrays, type DecodePath } from "../../lib/attention/dense-decode.ts";
import { KvCache } from "../../lib/attention/kv-cache.ts";
import { cacheTensors } from "../../lib/attention/kv-tensors.ts";
import { WasmKvStorage } from "../../lib/attention/wasm-kv.ts";
import { report, timeCase, type CaseResult } from "../harness.ts";
import { fillSequence, kvBytes } from "./fill.ts";

const [B, H, D] = [16, 8, 64];
const BS = Number(process.env.DENSE_BLOCK ?? 32);
const lengths = (process.env.DENSE_TOKENS ?? "4096,16384,32768,65536").split(",").map(Number);
const backend = await selectBackend();
const cases: CaseResult[] = [];
const ratios: Record<string, number> = {};
const paths: Record<string, string> = {};
const r = rng("bench-dense-decode");
const q = Float32Array.from({ length: B * H * D }, () => r.normal());
const out = new Float32Array(B * H * D);
const lse = new Float32Array(B * H);

for (const T of lengths) {
  const bytes = kvBytes(B, H, T, D);
  const gbs = (ms: number) => ({ "GB/s": bytes / (ms * 1e6), keysPerMs: (B * H * T) / ms });
  const reps = T >= 32768 ? 5 : 9;
  const medians: Record<string, number> = {};
  for (const variant of ["wasm-simd-2t", "wasm-simd", "js"] as const) {
    const path: DecodePath = variant === "js" ? "js" : "wasm-simd";
    const storage = path === "wasm-simd" ? new WasmKvStorage({ threads: variant === "wasm-simd-2t" ? 2 : 1 }) : undefined;
    const cache = new KvCache({ kvHeads: H, headDim: D, blockSize: BS, ...(storage ? { storage } : {}) });
    const fr = rng(`bench-dense-decode/${T}`); // same contents for both paths
    const seqs = Array.from({ length: B }, () => {
      const s = cache.createSequence();
      fillSequence(cache, s, T, fr);
      return s;
    });
    const name = `${variant} T=${T}`;
    paths[name] = variant === "wasm-simd-2t" ? `denseDecode path "wasm-simd", WasmKvStorage threads 2 (this thread + 1 worker)` : `denseDecode path "${path}", one thread`;
    const c = await timeCase(name, () => denseDecodeArrays(q, H, cache, seqs, out, lse, { path }), { repetitions: path === "js" && T >= 32768 ? 3 : reps, warmup: 1, derive: gbs });
    cases.push(c);
    medians[variant] = c.medianMs;
    if (T === 4096 && path === "js") {
      // The kernels that existed before: tfjs denseAttention and the two-pass plain-JS loop (blockSparseDecode, density 1).
      const qt = tf.tensor3d(q, [B, H, D]);
      const t2 = await timeCase(`js-two-pass T=${T}`, () => blockSparseDecode(qt, cache, seqs, { density: 1 }).output.dispose(), { repetitions: 5, warmup: 1, derive: gbs });
      paths[t2.name] = "blockSparseDecode density 1 (previous plain-JS loop)";
      const whole = cacheTensors(cache, seqs);
      const q4 = tf.reshape(qt, [B, H, 1, D]);
      const t3 = await timeCase(`tfjs T=${T}`, () => tf.tidy(() => void denseAttention(q4, whole.k, whole.v).dataSync()), { repetitions: 5, warmup: 1, derive: gbs });
      paths[t3.name] = `denseAttention on tfjs ${backend.name} (batched matMul, transposed K)`;
      tf.dispose([qt, q4, whole.k, whole.v]);
      cases.push(t2, t3);
      medians["js-two-pass"] = t2.medianMs;
      medians.tfjs = t3.medianMs;
    }
    for (const s of seqs) cache.free(s);
    storage?.close();
  }
  ratios[`wasm-simd / js speed at T=${T}`] = (medians.js as number) / (medians["wasm-simd"] as number);
  ratios[`wasm-simd-2t / wasm-simd speed at T=${T}`] = (medians["wasm-simd"] as number) / (medians["wasm-simd-2t"] as number);
  if (medians.tfjs !== undefined) {
    ratios[`wasm-simd / tfjs speed at T=${T}`] = (medians.tfjs as number) / (medians["wasm-simd"] as number);
    ratios[`js / js-two-pass speed at T=${T}`] = (medians["js-two-pass"] as number) / (medians.js as number);
  }
}
report("dense-decode", cases, { backend: backend.name, shape: { batch: B, heads: H, kvHeads: H, headDim: D, blockSize: BS }, bytesPerStep: "B·H_kv·T·d·4·2 (K and V)", paths, ratios, target: "≥ 10 GB/s at 16k–64k keys, no crash at 64k" });
for (const [k, v] of Object.entries(ratios)) console.log(`  ${k}: ${v.toFixed(2)}×`);
