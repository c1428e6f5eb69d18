/**
 * Block-sparse decode (density 1/8, Quest min/max summaries, per query head,
 * 4 sinks + one block of local window) against dense decode on the same cache:
 * batch 16, 8 heads, d 64, blocks of 32, at 16k–64k keys. Times include block
 * selection; selection alone is timed too. Both run on typed arrays
 * (denseDecodeArrays, blockSparseDecodeArrays). Dense and sparse repetitions
 * alternate (timeInterleaved); the ratio is given both as medians' ratio and
 * as the median of the paired rounds' ratios. Recall against exact attention:
 * the attention mass on the kept keys (mean over rows) and the fraction of
 * rows whose top-1 key (largest weight) is kept. Keys carry a drifting mean
 * (bench/attention/fill.ts, drift 1) so that blocks are coherent, as in real
 * caches; i.i.d. keys (drift 0) are the worst case and are reported too.
 * Run: npm run bench -- block-sparse   (env SPARSE_TOKENS=16384,32768 to choose lengths)
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/core/backend.ts";
import { rng } from "../../lib/core/rng.ts";
import { candidateBlocks, scoreCandidatesWasm, SelectionScratch, topBlocksFromScores } from "../../lib/attention/block-selection.ts";
import { blockSparseDecode, blockSparseDecodeArrays, type BlockSparseDecodeResult } from "../../lib/attention/block-sparse-decode.ts";
import { denseDecodeArrays, type DecodePath } from "../../lib/attention/dense-decode.ts";
import { KvCache, type KvBlock } from "../../lib/attention/kv-cache.ts";
import { WasmKvStorage } from "../../lib/attention/wasm-kv.ts";
import { medianRatio, report, timeCase, timeInterleaved, type CaseResult } from "../harness.ts";
import { fillSequence, kvBytes } from "./fill.ts";

const [B, H, D, BS, DENSITY] = [16, 8, 64, 32, 1 / 8];
const lengths = (process.env.SPARSE_TOKENS ?? "16384,32768,65536").split(",").map(Number);
const backend = await selectBackend();
const cases: CaseResult[] = [];
const ratios: Record<string, number> = {};
const recall: Record<string, { massRecall: number; top1Recall: number; keptFraction: number }> = {};
const paths: Record<string, string> = {};
const r = rng("bench-block-sparse");
const qa = Float32Array.from({ length: B * H * D }, () => r.normal());
const q = tf.tensor3d(qa, [B, H, D]);
const out = new Float32Array(B * H * D);
const lse = new Float32Array(B * H);
const options = { density: DENSITY, summary: "minmax" as const, selectPer: "query-head" as const, sinks: 4, localWindow: BS };

/** Mass on kept keys and whether the argmax key is kept, per row, from exact scores. */
function measureRecall(cache: KvCache, seqs: number[], got: BlockSparseDecodeResult) {
  const scale = 1 / Math.sqrt(D);
  let [mass, top1, kept, rows] = [0, 0, 0, 0];
  seqs.forEach((seq, b) => {
    const len = cache.length(seq);
    const blocks = cache.blocks(seq);
    const s = new Float64Array(len);
    for (let h = 0; h < H; h++) {
      const qo = (b * H + h) * D;
      let [m, arg] = [-Infinity, 0];
      for (let t = 0; t < len; t++) {
        const blk = blocks[Math.floor(t / BS)] as KvBlock;
        const ko = (h * BS + (t % BS)) * D;
        let dot = 0;
        for (let i = 0; i < D; i++) dot += (qa[qo + i] as number) * (blk.k[ko + i] as number);
        s[t] = dot * scale;
        if (s[t]! > m) [m, arg] = [s[t]!, t];
      }
      let z = 0;
      for (let t = 0; t < len; t++) z += Math.exp(s[t]! - m);
      const sel = got.selections[b * got.selectionHeads + h]!;
      let inKept = 0;
      let argKept = false;
      for (let i = 0; i < sel.starts.length; i++) {
        for (let t = sel.starts[i]!; t < sel.ends[i]!; t++) inKept += Math.exp(s[t]! - m);
        if (arg >= sel.starts[i]! && arg < sel.ends[i]!) argKept = true;
      }
      mass += inKept / z;
      top1 += argKept ? 1 : 0;
      kept += sel.tokens / len;
      rows++;
    }
  });
  return { massRecall: mass / rows, top1Recall: top1 / rows, keptFraction: kept / rows };
}

for (const T of lengths) {
  const bytes = kvBytes(B, H, T, D);
  const storage = new WasmKvStorage({ threads: 2 });
  const cache = new KvCache({ kvHeads: H, headDim: D, blockSize: BS, storage });
  const fr = rng(`bench-block-sparse/${T}`);
  const seqs = Array.from({ length: B }, () => {
    const s = cache.createSequence();
    fillSequence(cache, s, T, fr, 1);
    return s;
  });
  const reps = T >= 65536 ? 5 : 9;
  const medians: Record<string, number> = {};
  // wasm-simd on one thread, then on two (the storage is shared-memory; `threads` picks how many run); js on the first length.
  const variants: [DecodePath, number][] = T === lengths[0] ? [["wasm-simd", 1], ["wasm-simd", 2], ["js", 1]] : [["wasm-simd", 1], ["wasm-simd", 2]];
  for (const [path, threads] of variants) {
    const v = threads > 1 ? `${path}-${threads}t` : path;
    // Dense and sparse repetitions alternate, so drift in the machine's speed during the run hits both alike.
    const { results, rounds } = await timeInterleaved(
      [
        { name: `dense ${v} T=${T}`, fn: () => denseDecodeArrays(qa, H, cache, seqs, out, lse, { path, threads }), derive: (ms) => ({ "GB/s": bytes / (ms * 1e6) }) },
        { name: `sparse 1/8 ${v} T=${T}`, fn: () => blockSparseDecodeArrays(qa, H, cache, seqs, out, { ...options, path, threads }) },
      ],
      { repetitions: path === "js" ? 3 : reps, warmup: 1 },
    );
    const [dense, sparse] = results as [CaseResult, CaseResult];
    paths[dense.name] = `denseDecode path "${path}", ${threads} thread(s)${path === "wasm-simd" ? ", block-major plan, four-stream kernels" : ""}`;
    paths[sparse.name] = `blockSparseDecode path "${path}", ${threads} thread(s) (selection on this thread, then online-softmax attention over kept keys${path === "wasm-simd" ? ", round-major plan, four-stream kernels" : ""})`;
    cases.push(dense, sparse);
    medians[`dense ${v}`] = dense.medianMs;
    medians[`sparse ${v}`] = sparse.medianMs;
    ratios[`sparse/dense speedup, ${v}, T=${T}`] = dense.medianMs / sparse.medianMs;
    ratios[`sparse/dense speedup, ${v}, T=${T}, median of paired rounds`] = medianRatio(rounds, 0, 1);
  }
  // Selection alone, as blockSparseDecode runs it on this cache: wasm quest scores for every candidate and head, partial top-k per head.
  const scratch = new SelectionScratch();
  const rows = Array.from({ length: H }, (_, h) => [h]);
  const cands = candidateBlocks(T, BS, { sinkEnd: 4, localStart: T - BS });
  const table = new Float64Array(H * cands.length);
  const sel = await timeCase(`selection only T=${T}`, () => {
    for (let b = 0; b < B; b++) {
      const blocks = cache.blocks(seqs[b]!);
      const k = Math.ceil(DENSITY * blocks.length);
      scoreCandidatesWasm(storage, blocks, cands, qa.subarray(b * H * D, (b + 1) * H * D), H, 1, D, rows, "minmax", table);
      for (let h = 0; h < H; h++) topBlocksFromScores(table, h * cands.length, cands, k, scratch);
    }
  }, { repetitions: reps, warmup: 1 });
  paths[sel.name] = "scoreCandidatesWasm (wasm-simd quest kernel) + topBlocksFromScores (partial quickselect)";
  cases.push(sel);
  ratios[`selection share of sparse time, T=${T}`] = sel.medianMs / (medians["sparse wasm-simd"] as number);
  const got = blockSparseDecode(q, cache, seqs, options);
  recall[`drift 1, T=${T}`] = measureRecall(cache, seqs, got);
  got.output.dispose();
  for (const s of seqs) cache.free(s);
  if (T === lengths[0]) {
    // Worst case for summaries: i.i.d. keys.
    const iid = new KvCache({ kvHeads: H, headDim: D, blockSize: BS, storage });
    const ir = rng(`bench-block-sparse/iid/${T}`);
    const iseqs = Array.from({ length: B }, () => {
      const s = iid.createSequence();
      fillSequence(iid, s, T, ir, 0);
      return s;
    });
    const g = blockSparseDecode(q, iid, iseqs, options);
    recall[`drift 0 (i.i.d. keys), T=${T}`] = measureRecall(iid, iseqs, g);
    g.output.dispose();
    for (const s of iseqs) iid.free(s);
  }
  storage.close();
  console.log(`T=${T}`, recall);
}
q.dispose();
report("block-sparse-decode", cases, {
  backend: backend.name,
  shape: { batch: B, heads: H, kvHeads: H, headDim: D, blockSize: BS },
  options,
  paths,
  ratios,
  recall,
  target: "≥ 5× faster than dense decode at ≥ 16k keys including selection (ideal 8×), with top-1 attention-mass recall reported",
});
for (const [k, v] of Object.entries(ratios)) console.log(`  ${k}: ${v.toFixed(2)}`);
