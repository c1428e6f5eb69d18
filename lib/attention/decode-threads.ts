import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { requireArg, TtcError } from "../core/errors.ts";
import { decodeSequenceWasm, type BatchTables, type SequenceJob } from "./wasm-decode-rows.ts";
import { decodeKernelModule, SCRATCH_BYTES, type DecodeKernel, type WasmKvStorage } from "./wasm-kv.ts";

/** A decode job as a worker receives it: shared arrays, and which sequences are its share. */
interface WorkerJob {
  type: "job";
  /** Sequence indices (into the batch) this worker decodes. */
  rows: Int32Array;
  qs: Float32Array;
  out: Float32Array;
  lse: Float32Array;
  tables: BatchTables;
  hq: number;
  group: number;
  d: number;
  blockSize: number;
  scale: number;
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
      const t = msg.tables;
      const m = new Float64Array(msg.hq);
      const l = new Float64Array(msg.hq);
      for (const b of msg.rows) {
        decodeSequenceWasm({
          kernels, scratches, scratchBase: thread * scratchBytes, qs: msg.qs, qOffset: b * msg.hq * msg.d, hq: msg.hq,
          group: msg.group, d: msg.d, blockSize: msg.blockSize, length: t.lengths[b], scale: msg.scale,
          arenaOfBlock: t.arenaOfBlock, kOffset: t.kOffset, vOffset: t.vOffset, table: t.tables[b],
          out: msg.out, outOffset: b * msg.hq * msg.d, lse: msg.lse, lseOffset: b * msg.hq, m, l,
        });
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
  run(rows: readonly Int32Array[], job: Omit<WorkerJob, "type" | "rows">, kernels: readonly DecodeKernel[], scratches: readonly Float32Array[]): void {
    requireArg("DecodeThreads.run", rows.length <= this.storage.threads, `at most ${this.storage.threads} shares`, rows.length);
    const number = ++this.jobNumber;
    const busy: DecodeWorker[] = [];
    for (let t = 1; t < rows.length; t++) {
      if ((rows[t] as Int32Array).length === 0) continue;
      const w = this.worker(t);
      for (; w.arenas < this.storage.arenas.length; w.arenas++) w.port.postMessage({ type: "arena", memory: this.storage.arenas[w.arenas]!.memory } satisfies ArenaMessage);
      w.port.postMessage({ type: "job", rows: rows[t] as Int32Array, ...job } satisfies WorkerJob);
      Atomics.store(w.control, 0, number);
      Atomics.notify(w.control, 0);
      busy.push(w);
    }
    const [m, l] = [new Float64Array(job.hq), new Float64Array(job.hq)];
    const t = job.tables;
    for (const b of rows[0] ?? []) {
      decodeSequenceWasm({
        kernels, scratches, scratchBase: 0, qs: job.qs, qOffset: b * job.hq * job.d, hq: job.hq, group: job.group, d: job.d,
        blockSize: job.blockSize, length: t.lengths[b] as number, scale: job.scale, arenaOfBlock: t.arenaOfBlock, kOffset: t.kOffset,
        vOffset: t.vOffset, table: t.tables[b] as number, out: job.out, outOffset: b * job.hq * job.d, lse: job.lse, lseOffset: b * job.hq, m, l,
      } satisfies SequenceJob);
    }
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
