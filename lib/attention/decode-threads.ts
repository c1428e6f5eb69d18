import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { requireArg, TtcError } from "../core/errors.ts";
import { decodeSequenceWasm, type SegmentPlan, type SequenceJob } from "./wasm-decode-rows.ts";
import { decodeKernelModule, SCRATCH_BYTES, type DecodeKernel, type WasmKvStorage } from "./wasm-kv.ts";

/** What every thread of a batch shares: the plan, queries, outputs and shapes (all arrays on SharedArrayBuffers). */
export type BatchJob = Pick<SequenceJob, "plan" | "qs" | "out" | "lse" | "hq" | "group" | "d" | "blockSize" | "scale">;

/** A decode job as a worker receives it: the batch, and which sequences are its share. */
interface WorkerJob extends BatchJob {
  type: "job";
  /** Sequence indices (into the batch) this worker decodes. */
  rows: Int32Array;
}

/** A new arena for a worker to bind a kernel instance to. */
interface ArenaMessage {
  type: "arena";
  memory: WebAssembly.Memory;
}

/**
 * The worker's program. It runs {@link decodeSequenceWasm}'s own source (that
 * function is self-contained for this reason), so the worker and this thread
 * execute the same code. Control words (Int32Array over a SharedArrayBuffer):
 * [0] job number posted (−1 = exit), [1] job number done, [2] 1 when the job
 * failed (the message follows on the port).
 */
function workerSource(): string {
  return `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const __name = (f) => f; // esbuild's keepNames helper, should the bundler have emitted it
const decodeSequenceWasm = ${decodeSequenceWasm.toString()};
const { control, port, module, thread, scratchBytes } = workerData;
const kernels = [];
const scratches = [];
let seen = 0;
for (;;) {
  Atomics.wait(control, 0, seen);
  seen = Atomics.load(control, 0);
  if (seen < 0) break;
  try {
    for (let rec = receiveMessageOnPort(port); rec !== undefined; rec = receiveMessageOnPort(port)) {
      const msg = rec.message;
      if (msg.type === "arena") {
        kernels.push(new WebAssembly.Instance(module, { env: { mem: msg.memory } }).exports);
        scratches.push(new Float32Array(msg.memory.buffer, thread * scratchBytes, scratchBytes / 4));
        continue;
      }
      const job = { ...msg, kernels, scratches, scratchBase: thread * scratchBytes, row: 0, m: new Float64Array(msg.hq), l: new Float64Array(msg.hq) };
      for (const b of msg.rows) {
        job.row = b;
        decodeSequenceWasm(job);
      }
    }
  } catch (e) {
    Atomics.store(control, 2, 1);
    port.postMessage(String(e && e.stack || e));
  }
  Atomics.store(control, 1, seen);
  Atomics.notify(control, 1);
}
`;
}

/** One worker thread and its control words. */
interface DecodeWorker {
  worker: Worker;
  port: MessagePort;
  control: Int32Array;
  /** Arenas already sent to it. */
  arenas: number;
}

/** How long {@link DecodeThreads.run} waits for a worker's share before giving up (ms). */
const WORKER_TIMEOUT_MS = 600_000;

/**
 * Worker threads that decode part of a batch from a shared-memory
 * {@link WasmKvStorage} while the calling thread decodes the rest, so a decode
 * step uses more than one core's memory bandwidth (STACK.md: one core streams
 * ≈ 21 GB/s at best, two ≈ 35). Synchronous: the caller blocks in
 * `Atomics.wait` until every share is done, so {@link denseDecode} keeps its
 * signature. Workers are started on first use, `unref`'d (they never keep a
 * process alive) and each bound to every arena of the storage.
 *
 * Thread t (0 = the caller) uses scratch region t of every arena. Owned by the
 * storage ({@link WasmKvStorage.decodeThreads}); {@link DecodeThreads.dispose} stops the workers.
 */
export class DecodeThreads {
  private readonly workers: DecodeWorker[] = [];
  private jobNumber = 0;

  /** @param storage - a storage made with `threads` ≥ 2 (shared memories) */
  constructor(readonly storage: WasmKvStorage) {
    requireArg("DecodeThreads", storage.threads >= 2, "a WasmKvStorage with threads ≥ 2", storage.threads);
  }

  /** The storage's pool, created on first use and kept in `storage.threadPool`. */
  static of(storage: WasmKvStorage): DecodeThreads {
    if (!(storage.threadPool instanceof DecodeThreads)) storage.threadPool = new DecodeThreads(storage);
    return storage.threadPool as DecodeThreads;
  }

  /**
   * Decode sequences `rows[t]` on thread t (rows[0] here, the others on the
   * workers): the same arguments {@link decodeSequenceWasm} takes per sequence.
   * The queries and outputs must be on SharedArrayBuffers, as must the tables.
   *
   * @throws TtcError when a worker fails or does not answer within 10 minutes
   */
  run(rows: readonly Int32Array[], batch: BatchJob, kernels: readonly DecodeKernel[], scratches: readonly Float32Array[]): void {
    requireArg("DecodeThreads.run", rows.length <= this.storage.threads, `at most ${this.storage.threads} shares`, rows.length);
    const number = ++this.jobNumber;
    const busy: DecodeWorker[] = [];
    for (let t = 1; t < rows.length; t++) {
      if ((rows[t] as Int32Array).length === 0) continue;
      const w = this.worker(t);
      for (; w.arenas < this.storage.arenas.length; w.arenas++) w.port.postMessage({ type: "arena", memory: this.storage.arenas[w.arenas]!.memory } satisfies ArenaMessage);
      w.port.postMessage({ type: "job", rows: rows[t] as Int32Array, ...batch } satisfies WorkerJob);
      Atomics.store(w.control, 0, number);
      Atomics.notify(w.control, 0);
      busy.push(w);
    }
    decodeRows(rows[0] ?? new Int32Array(0), batch, kernels, scratches);
    for (const w of busy) {
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      while (Atomics.load(w.control, 1) !== number) {
        if (Date.now() > deadline) throw new TtcError(`DecodeThreads: a decode worker did not finish job ${number} within ${WORKER_TIMEOUT_MS / 1000} s`);
        Atomics.wait(w.control, 1, Atomics.load(w.control, 1), 1000);
      }
      if (Atomics.load(w.control, 2) === 1) {
        Atomics.store(w.control, 2, 0);
        const why = receiveMessageOnPort(w.port)?.message;
        throw new TtcError(`DecodeThreads: a decode worker failed: ${String(why)}`);
      }
    }
  }

  /** Worker t (1-based), started on first use. */
  private worker(t: number): DecodeWorker {
    const have = this.workers[t - 1];
    if (have !== undefined) return have;
    const control = new Int32Array(new SharedArrayBuffer(16));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(workerSource(), {
      eval: true,
      workerData: { control, port: port2, module: decodeKernelModule(true), thread: t, scratchBytes: SCRATCH_BYTES },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    const w: DecodeWorker = { worker, port: port1, control, arenas: 0 };
    this.workers[t - 1] = w;
    return w;
  }

  /** Threads running now, the caller's included. */
  get started(): number {
    return 1 + this.workers.filter((w) => w !== undefined).length;
  }

  /** Stop the workers (a later {@link DecodeThreads.run} starts new ones). */
  dispose(): void {
    for (const w of this.workers) {
      if (w === undefined) continue;
      Atomics.store(w.control, 0, -1);
      Atomics.notify(w.control, 0);
      w.port.close();
    }
    this.workers.length = 0;
  }
}

/** Decode sequences `rows` of a batch on this thread (scratch region 0). */
function decodeRows(rows: Iterable<number>, batch: BatchJob, kernels: readonly DecodeKernel[], scratches: readonly Float32Array[]): void {
  const job: SequenceJob = { ...batch, kernels, scratches, scratchBase: 0, row: 0, m: new Float64Array(batch.hq), l: new Float64Array(batch.hq) };
  for (const b of rows) {
    job.row = b;
    decodeSequenceWasm(job);
  }
}

/** Below this many keys × query heads in a batch, a threaded storage still decodes on one thread (a worker's wake-up costs ≈ 0.1 ms). */
export const THREADED_MIN_WORK = 1 << 18;

/**
 * Run a batch's {@link SegmentPlan} with the wasm kernel: on this thread, or,
 * for a storage made with `threads` ≥ 2 and a plan of at least
 * THREADED_MIN_WORK keys × heads, split by work over that many threads
 * (largest sequence first onto the least-loaded thread). Same bytes either way.
 *
 * @param plan - built with `shared` = true when the storage has threads ≥ 2
 * @param qs - [B, H_q, d] queries; out [B, H_q, d] and lse [B, H_q] are written
 * @param maxThreads - use at most this many threads (default the storage's)
 * @throws InvalidArgumentError for a maxThreads below 1; TtcError when a worker fails
 */
export function decodePlan(
  storage: WasmKvStorage,
  plan: SegmentPlan,
  shape: Pick<SequenceJob, "hq" | "group" | "d" | "blockSize" | "scale">,
  qs: Float32Array,
  out: Float32Array,
  lse: Float32Array,
  maxThreads = storage.threads,
): void {
  requireArg("decodePlan", Number.isSafeInteger(maxThreads) && maxThreads >= 1, "threads a positive integer", maxThreads);
  const [kernels, scratches] = [storage.arenas.map((a) => a.kernel), storage.arenas.map((a) => a.scratch)];
  const batch = plan.segStart.length - 1;
  const threads = Math.min(storage.threads, maxThreads, batch);
  if (threads < 2 || plan.work < THREADED_MIN_WORK) {
    decodeRows(Array.from({ length: batch }, (_, b) => b), { ...shape, plan, qs, out, lse }, kernels, scratches);
    return;
  }
  const sab = (n: number) => new Float32Array(new SharedArrayBuffer(4 * n));
  const job: BatchJob = { ...shape, plan, qs: sab(qs.length), out: sab(out.length), lse: sab(lse.length) };
  job.qs.set(qs);
  DecodeThreads.of(storage).run(splitByWork(plan, threads), job, kernels, scratches);
  out.set(job.out);
  lse.set(job.lse);
}

/** Sequence indices per thread, balancing keys × heads: largest first onto the least-loaded thread; each list ascending. */
function splitByWork(plan: SegmentPlan, threads: number): Int32Array[] {
  const batch = plan.segStart.length - 1;
  const work = new Float64Array(batch);
  for (let b = 0; b < batch; b++) for (let i = plan.segStart[b] as number; i < (plan.segStart[b + 1] as number); i++) work[b]! += plan.segments[4 * i + 3] as number;
  const load = new Float64Array(threads);
  const lists: number[][] = Array.from({ length: threads }, () => []);
  const order = Array.from(work.keys()).sort((a, b) => (work[b] as number) - (work[a] as number) || a - b);
  for (const b of order) {
    let t = 0;
    for (let u = 1; u < threads; u++) if ((load[u] as number) < (load[t] as number)) t = u;
    lists[t]!.push(b);
    load[t]! += work[b] as number;
  }
  return lists.map((xs) => Int32Array.from(xs.sort((a, b) => a - b)));
}
