/**
 * Peak live tensor bytes of causal prefill attention vs sequence length:
 * tiledAttention (online softmax over key tiles of 64) against denseAttention
 * (full T×T scores), batch 1, 4 heads, d 64, on the default backend. Peak is
 * tfjs' own tracked peak of live tensor bytes during the call (`tf.profile`,
 * which reads the engine state behind `tf.memory()`), minus the bytes live
 * before it (the inputs). Doubling T should double the tiled peak (linear) and
 * quadruple the dense one (quadratic). Time per call is reported too.
 * Run: npm run bench -- tiled-memory
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { denseAttention } from "../../lib/attention/dense-attention.ts";
import { tiledAttention } from "../../lib/attention/tiled-attention.ts";
import { report, timeCase, type CaseResult } from "../harness.ts";

const [H, D, TILE] = [4, 64, 64];
const lengths = [256, 512, 1024, 2048, 4096];
const backend = await selectBackend();
const r = rng("bench-tiled-memory");
const cases: CaseResult[] = [];
const peaks: Record<string, { tokens: number; tiledPeakBytes: number; densePeakBytes: number; inputBytes: number }> = {};
const growth: Record<string, number> = {};

/** Extra peak bytes while `fn` runs, over what was live before. */
async function peakOf(fn: () => tf.TensorContainer): Promise<number> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => fn());
  if (tf.memory().numBytes !== before) throw new Error("leak in the profiled call");
  return info.peakBytes - before;
}

let prev: { tiled: number; dense: number } | undefined;
for (const T of lengths) {
  const mk = () => tf.tensor4d(Float32Array.from({ length: H * T * D }, () => r.normal()), [1, H, T, D]);
  const [q, k, v] = [mk(), mk(), mk()];
  const tiledRun = () => {
    const o = tiledAttention(q, k, v, { causal: true, tileSize: TILE });
    tf.dispose([o.output, o.lse]);
  };
  const denseRun = () => void denseAttention(q, k, v, { causal: true }).dispose();
  const tiledPeak = await peakOf(() => void tiledRun());
  const densePeak = await peakOf(() => void denseRun());
  peaks[`T=${T}`] = { tokens: T, tiledPeakBytes: tiledPeak, densePeakBytes: densePeak, inputBytes: 3 * H * T * D * 4 };
  const reps = T >= 2048 ? 3 : 5;
  cases.push(await timeCase(`tiled T=${T}`, tiledRun, { repetitions: reps, warmup: 1, derive: () => ({ peakMiB: tiledPeak / 2 ** 20 }) }));
  cases.push(await timeCase(`dense T=${T}`, denseRun, { repetitions: reps, warmup: 1, derive: () => ({ peakMiB: densePeak / 2 ** 20 }) }));
  if (prev !== undefined) {
    growth[`tiled peak ×, T ${T / 2}→${T}`] = tiledPeak / prev.tiled;
    growth[`dense peak ×, T ${T / 2}→${T}`] = densePeak / prev.dense;
  }
  prev = { tiled: tiledPeak, dense: densePeak };
  tf.dispose([q, k, v]);
}
report("tiled-memory", cases, {
  backend: backend.name,
  shape: { batch: 1, heads: H, headDim: D, tileSize: TILE, causal: true },
  peaks,
  growth,
  target: "tiled attention's peak live tensor bytes grow linearly, not quadratically, with sequence length",
});
for (const [key, g] of Object.entries(growth)) console.log(`  ${key}: ${g.toFixed(2)}`);
