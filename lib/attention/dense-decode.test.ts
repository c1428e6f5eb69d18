import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { appendRandom, decodeSetup, maxAbsDiff, randTensor, TEST_BACKENDS } from "./attention-fixtures.test-util.ts";
import { blockSparseDecode } from "./block-sparse-decode.ts";
import { decodePlan, THREADED_MIN_WORK, type DecodeThreads } from "./decode-threads.ts";
import { densePlan, type SegmentPlan } from "./wasm-decode-rows.ts";
import { denseDecode, RowState, segmentAttender, type DecodePath } from "./dense-decode.ts";
import { denseAttentionWithLse } from "./dense-attention.ts";
import { KvCache } from "./kv-cache.ts";
import { cacheTensors } from "./kv-tensors.ts";
import { WasmKvStorage } from "./wasm-kv.ts";

const setup = decodeSetup;

const paths: DecodePath[] = ["js", "wasm-simd"];

describe.each(TEST_BACKENDS)("denseDecode on %s", (backend) => {
  beforeAll(async () => void (await selectBackend({ name: backend })));
  afterAll(async () => void (await selectBackend({ name: "cpu" })));

  // H_q, H_kv, d, ragged lengths (not multiples of the block size 8, one shorter than a block)
  const cases: [string, number, number, number, number[]][] = [
    ["MHA, B 3", 4, 4, 16, [45, 3, 270]],
    ["GQA, B 2", 4, 2, 8, [17, 640]],
    ["MQA, B 2, d 32", 4, 1, 32, [300, 9]],
  ];
  describe.each(paths)("path %s", (path) => {
    it.each(cases)("%s equals dense attention (output and lse) to 1e-5 and leaks nothing", (name, hq, hkv, d, lengths) => {
      const { cache, seqs, q, storage } = setup(`dense-decode/${name}`, hq, hkv, d, lengths, path === "wasm-simd");
      const whole = cacheTensors(cache, seqs);
      const b = seqs.length;
      const ref = denseAttentionWithLse(tf.reshape(q, [b, hq, 1, d]), whole.k, whole.v, { kvLengths: whole.lengths });
      const before = tf.memory().numTensors;
      const got = denseDecode(q, cache, seqs, { path });
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(got.path).toBe(path);
      expect(maxAbsDiff(got.output, ref.output)).toBeLessThan(1e-5);
      expect(maxAbsDiff(got.lse, ref.lse)).toBeLessThan(1e-5);
      if (storage !== undefined) expect(storage.arenas.length).toBeGreaterThan(1);
      tf.dispose([q, whole.k, whole.v, ref.output, ref.lse, got.output, got.lse]);
    });
  });
});

describe("denseDecode paths", () => {
  it("auto picks wasm-simd for WebAssembly storage and js otherwise; refuses wasm-simd on plain storage", () => {
    const plain = setup("dense-decode/auto", 2, 2, 8, [5], false);
    const wasm = setup("dense-decode/auto", 2, 2, 8, [5], true);
    const a = denseDecode(plain.q, plain.cache, plain.seqs);
    const b = denseDecode(wasm.q, wasm.cache, wasm.seqs);
    expect([a.path, b.path]).toEqual(["js", "wasm-simd"]);
    expect(maxAbsDiff(a.output, b.output)).toBeLessThan(1e-6);
    expect(() => denseDecode(plain.q, plain.cache, plain.seqs, { path: "wasm-simd" })).toThrow(/denseDecode requires path wasm-simd only for a cache in WasmKvStorage/);
    tf.dispose([plain.q, wasm.q, a.output, a.lse, b.output, b.lse]);
  });

  it("released wasm blocks are reused zero-filled", () => {
    const { cache, seqs, q, storage } = setup("dense-decode/reuse", 2, 2, 8, [20], true);
    const top = storage!.arenas.map((x) => x.top);
    cache.free(seqs[0]!);
    const s = cache.createSequence();
    cache.append(s, new Float32Array(16), new Float32Array(16));
    expect(storage!.arenas.map((x) => x.top)).toEqual(top);
    expect(Array.from(cache.blocks(s)[0]!.k.subarray(16))).toEqual(new Array(112).fill(0));
    q.dispose();
  });
});

describe("denseDecode on several threads", () => {
  // 8 query heads over 2 KV heads, ragged lengths crossing many arenas: 44,008 keys × 8 heads ≥ THREADED_MIN_WORK.
  const lengths = [20000, 9001, 7, 12000, 3000];
  const [hq, hkv, d] = [8, 2, 4];

  it("splits the batch over worker threads and returns the one-thread bytes exactly", () => {
    expect(lengths.reduce((a, v) => a + v) * hq).toBeGreaterThanOrEqual(THREADED_MIN_WORK);
    const one = setup("dense-decode/threads", hq, hkv, d, lengths, true, 1);
    const two = setup("dense-decode/threads", hq, hkv, d, lengths, true, 2);
    const a = denseDecode(one.q, one.cache, one.seqs);
    const b = denseDecode(two.q, two.cache, two.seqs);
    expect(two.storage!.arenas.length).toBeGreaterThan(10);
    expect((two.storage!.threadPool as DecodeThreads).started).toBe(2);
    expect(Array.from(b.output.dataSync())).toEqual(Array.from(a.output.dataSync()));
    expect(Array.from(b.lse.dataSync())).toEqual(Array.from(a.lse.dataSync()));
    // a second step after more tokens (new arenas reach the worker) still agrees
    for (const s of [one, two]) appendRandom(s.cache, s.seqs[0]!, rng("more"), 3000);
    const c = denseDecode(one.q, one.cache, one.seqs);
    const e = denseDecode(two.q, two.cache, two.seqs);
    expect(Array.from(e.output.dataSync())).toEqual(Array.from(c.output.dataSync()));
    // block-sparse runs its kept segments through the same threaded plan (density 1: enough work to split)
    const f = blockSparseDecode(one.q, one.cache, one.seqs, { density: 1 });
    const h = blockSparseDecode(two.q, two.cache, two.seqs, { density: 1 });
    expect(Array.from(h.output.dataSync())).toEqual(Array.from(f.output.dataSync()));
    two.storage!.close();
    expect(two.storage!.threadPool).toBeUndefined();
    tf.dispose([f.output, h.output]);
    tf.dispose([one.q, two.q, a.output, a.lse, b.output, b.lse, c.output, c.lse, e.output, e.lse]);
  });

  // H_q 4 (GQA 2): four-stream groups; H_q 8 (MHA, and GQA 4 with d 12, not a multiple of 16): eight-stream groups,
  // four-stream and single segments where the lengths or heads of a round differ.
  it.each([
    { hq: 4, hkv: 2, d: 8 },
    { hq: 8, hkv: 8, d: 8 },
    { hq: 8, hkv: 4, d: 12 },
  ])("the plan (block-major dense, round-major block-sparse at density 1/4; multi-stream kernels where segments line up) gives the head-major kernel's bytes (%o)", ({ hq, hkv, d }) => {
    const { cache, seqs, q } = setup(`dense-decode/block-major/${hq}/${hkv}/${d}`, hq, hkv, d, [45, 3, 270], true);
    const qs = q.dataSync() as Float32Array;
    const bs = cache.blockSize;
    const g = hq / hkv;
    /** Head by head, block by block, over token ranges: the kernel as it was before block-major order. */
    const headMajor = (ranges: (b: number, h: number) => [number, number][]): number[] => {
      const out = new Float32Array(qs.length);
      const [state, attender] = [new RowState(d, bs), segmentAttender("wasm-simd", cache)];
      seqs.forEach((seq, b) => {
        for (let h = 0; h < hq; h++) {
          state.reset(qs, (b * hq + h) * d, 1 / Math.sqrt(d));
          attender.begin(state);
          for (const [start, end] of ranges(b, h)) {
            for (let t = start; t < end; ) {
              const n = Math.min(bs - (t % bs), end - t);
              attender.add(state, cache.blocks(seq)[Math.floor(t / bs)]!, Math.floor(h / g), t % bs, n);
              t += n;
            }
          }
          attender.end(state);
          state.finish(out, (b * hq + h) * d);
        }
      });
      return Array.from(out);
    };
    const dense = denseDecode(q, cache, seqs);
    expect(Array.from(dense.output.dataSync())).toEqual(headMajor((b) => [[0, cache.length(seqs[b]!)]]));
    const sparse = blockSparseDecode(q, cache, seqs, { density: 1 / 4 });
    expect(sparse.selections.length).toBe(seqs.length * hq);
    const sel = (b: number, h: number) => sparse.selections[b * hq + h]!;
    expect(Array.from(sparse.output.dataSync())).toEqual(headMajor((b, h) => sel(b, h).starts.map((s, i) => [s, sel(b, h).ends[i]!])));
    tf.dispose([q, dense.output, dense.lse, sparse.output]);
  });

  it("refuses a thread count outside 1..8 and arenas too small for every thread's scratch", () => {
    expect(() => new WasmKvStorage({ threads: 0 })).toThrow(/WasmKvStorage requires threads an integer in 1\.\.8, got 0/);
    expect(() => new WasmKvStorage({ threads: 2, arenaBytes: 2 * 65536 })).toThrow(/arenaBytes a multiple of 64 KiB in \(128 KiB, 4 GiB\)/);
  });
});

describe("decode worker failures", () => {
  it("a worker's exception reaches the caller as a TtcError naming it, and the pool keeps working", () => {
    // Two equal sequences: sequence 0 runs on this thread, sequence 1 on the worker.
    const { cache, seqs, q, storage } = setup("dense-decode/worker-error", 8, 8, 4, [20000, 20000], true, 2);
    const plan = densePlan(cache, storage!, seqs, 8, true);
    expect(plan.work).toBeGreaterThanOrEqual(THREADED_MIN_WORK);
    const shape = { hq: 8, group: 1, d: 4, blockSize: cache.blockSize, scale: 0.5 };
    const qs = q.dataSync() as Float32Array;
    const [out, lse] = [new Float32Array(qs.length), new Float32Array(2 * 8)];
    const broken: SegmentPlan = { ...plan, arenaOfBlock: plan.arenaOfBlock.slice() };
    // Sequence 1's first block points at an arena that does not exist (the worker has no kernel for it).
    broken.arenaOfBlock[broken.segments[4 * (broken.segStart[1] as number)] as number] = 999;
    expect(() => decodePlan(storage!, broken, shape, qs, out, lse)).toThrow(/DecodeThreads: a decode worker failed: TypeError/);
    decodePlan(storage!, plan, shape, qs, out, lse);
    const again = new Float32Array(out.length);
    decodePlan(storage!, plan, shape, qs, again, lse, 1);
    expect(Array.from(out)).toEqual(Array.from(again));
    storage!.close();
    q.dispose();
  });
});
