import { requireArg } from "../core/errors.ts";
import { Generation, type SequenceOptions, type StopReason } from "../models/generation.ts";
import type { Transformer } from "../models/transformer.ts";
import { HttpError } from "./http-error.ts";

/** Which decoding batch a job ran in. */
export interface JobBatchInfo {
  /** Batch number (1, 2, …); 0 when the job never reached a batch (cancelled while queued). */
  batch: number;
  /** Sequences in that batch, all jobs together. */
  batchSequences: number;
}

/** Work for the {@link DecodeBatcher}: some sequences and what to do with their tokens. */
export interface DecodeJob {
  /** Token ids per sequence, BOS first. */
  readonly prompts: readonly (readonly number[])[];
  /** Per-sequence sampling settings; each sampling sequence brings its own `rng`. */
  readonly sequences: readonly SequenceOptions[];
  /** When true, the job's sequences are stopped at the next step (or the job is dropped from the queue). */
  readonly cancelled: boolean;
  /**
   * Sequence `seq` of this job sampled `token`.
   *
   * @param logits - [V] this step's logits for the sequence (a view, valid during the call)
   * @param reason - why the decoder stopped the sequence with this token, if it did
   * @returns true to stop the sequence now (e.g. a stop string completed)
   */
  onToken(seq: number, token: number, logProb: number, logits: Float32Array, reason: StopReason | undefined): boolean;
  /** Every sequence of the job has stopped (`error` when decoding failed). Called exactly once. */
  onDone(info: JobBatchInfo, error?: unknown): void;
}

/** Queue and batch limits. */
export interface DecodeBatcherOptions {
  /** Most jobs waiting for a batch; one more is refused with 429 (default 64). */
  maxQueue?: number;
  /** How long the first queued job waits for others before a batch starts, in ms (default 5). */
  batchWindowMs?: number;
  /** Most sequences in one decoding batch (default 64); a full batch starts without waiting. */
  maxBatch?: number;
}

/** Counters since the batcher started. */
export interface DecodeBatcherStats {
  queuedJobs: number;
  decodingJobs: number;
  batches: number;
  /** Sequences decoded, over all batches. */
  sequences: number;
  /** Tokens sampled, over all batches. */
  generatedTokens: number;
  cancelledJobs: number;
}

/**
 * A bounded queue of decoding jobs run in batches: jobs that arrive within
 * `batchWindowMs` of the first, or while a batch is decoding, are merged into
 * the next batch (up to `maxBatch` sequences) and decoded in lockstep by one
 * {@link Generation}. Each step yields to the event loop, so requests keep
 * arriving, streams flush and cancellations land while a batch decodes. A job
 * finishes as soon as its own sequences stop.
 *
 * Because every sampling sequence brings its own rng, a job's tokens do not
 * depend on what it was batched with.
 *
 * @example
 * const batcher = new DecodeBatcher(model, { batchWindowMs: 5, maxBatch: 64 });
 * batcher.submit(job);   // throws HttpError 429 when the queue is full
 * await batcher.close(); // finishes what was accepted
 */
export class DecodeBatcher {
  private readonly queue: DecodeJob[] = [];
  private readonly maxQueue: number;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly counts = { batches: 0, sequences: 0, generatedTokens: 0, cancelledJobs: 0, decodingJobs: 0 };

  /**
   * @param model - the policy (not disposed by the batcher)
   * @throws InvalidArgumentError on a negative queue size or window, or a batch size below 1
   */
  constructor(
    private readonly model: Transformer,
    options: DecodeBatcherOptions = {},
  ) {
    [this.maxQueue, this.windowMs, this.maxBatch] = [options.maxQueue ?? 64, options.batchWindowMs ?? 5, options.maxBatch ?? 64];
    requireArg("DecodeBatcher", Number.isSafeInteger(this.maxQueue) && this.maxQueue >= 0, "a non-negative integer maxQueue", this.maxQueue);
    requireArg("DecodeBatcher", Number.isFinite(this.windowMs) && this.windowMs >= 0, "a batchWindowMs ≥ 0", this.windowMs);
    requireArg("DecodeBatcher", Number.isSafeInteger(this.maxBatch) && this.maxBatch >= 1, "a positive integer maxBatch", this.maxBatch);
  }

  /**
   * Queue a job.
   *
   * @throws HttpError 503 once {@link DecodeBatcher.close} was called; 429 when `maxQueue` jobs are waiting;
   *   InvalidArgumentError when the job has more sequences than `maxBatch`
   */
  submit(job: DecodeJob): void {
    if (this.closing) throw new HttpError(503, "The server is shutting down and takes no new requests.", "server_error", null, "server_shutting_down");
    requireArg("DecodeBatcher.submit", job.prompts.length >= 1 && job.prompts.length <= this.maxBatch, `1..${this.maxBatch} sequences per job`, job.prompts.length);
    if (this.queue.length >= this.maxQueue) {
      throw new HttpError(429, `The request queue is full (${this.maxQueue} requests waiting); retry later.`, "rate_limit_error", null, "queue_full");
    }
    this.queue.push(job);
    this.schedule();
  }

  /** Current queue and lifetime counters. */
  stats(): DecodeBatcherStats {
    return { queuedJobs: this.queue.length, ...this.counts };
  }

  /** Refuse new jobs (503), start what is queued without waiting for the window, and resolve when every accepted job is done. */
  close(): Promise<void> {
    this.closing = true;
    if (this.timer !== undefined && !this.running) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.drain();
    }
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Start a batch after the window, or on the next turn of the event loop when the queue fills a batch (never inside `submit`, so a caller can set up before its job runs). */
  private schedule(): void {
    if (this.running) return;
    const now = this.closing || this.queue.reduce((a, j) => a + j.prompts.length, 0) >= this.maxBatch;
    if (!now && this.timer !== undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.drain();
      },
      now ? 0 : this.windowMs,
    );
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) await this.runBatch(this.take());
    } finally {
      this.running = false;
      if (this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Jobs from the front of the queue (first come, first served) up to `maxBatch` sequences; cancelled ones are dropped. */
  private take(): DecodeJob[] {
    const jobs: DecodeJob[] = [];
    let seqs = 0;
    while (this.queue.length > 0) {
      const job = this.queue[0] as DecodeJob;
      if (job.cancelled) {
        this.queue.shift();
        this.counts.cancelledJobs++;
        job.onDone({ batch: 0, batchSequences: 0 });
        continue;
      }
      if (seqs + job.prompts.length > this.maxBatch) break;
      this.queue.shift();
      jobs.push(job);
      seqs += job.prompts.length;
    }
    return jobs;
  }

  private async runBatch(jobs: DecodeJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const owner: { job: DecodeJob; seq: number }[] = jobs.flatMap((job) => job.prompts.map((_, seq) => ({ job, seq })));
    const rowsOf = new Map<DecodeJob, number[]>(jobs.map((j) => [j, []]));
    owner.forEach((o, row) => rowsOf.get(o.job)!.push(row));
    const info: JobBatchInfo = { batch: ++this.counts.batches, batchSequences: owner.length };
    const open = new Set(jobs);
    this.counts.decodingJobs = jobs.length;
    let gen: Generation | undefined;
    try {
      gen = new Generation(this.model, jobs.flatMap((j) => j.prompts), { maxNewTokens: 1, sequences: jobs.flatMap((j) => j.sequences) });
      this.counts.sequences += owner.length;
      while (gen.running) {
        for (const row of gen.step()) {
          const { job, seq } = owner[row]!;
          const [tokens, logProbs] = [gen.tokens[row]!, gen.logProbs[row]!];
          this.counts.generatedTokens++;
          if (job.onToken(seq, tokens.at(-1)!, logProbs.at(-1)!, gen.logitsOf(row), gen.stopReasons[row])) gen.stop(row);
        }
        for (const job of open) {
          const rows = rowsOf.get(job)!;
          if (job.cancelled) for (const row of rows) gen.stop(row);
          if (rows.some((row) => gen!.isRunning(row))) continue;
          open.delete(job);
          this.counts.decodingJobs--;
          if (job.cancelled) this.counts.cancelledJobs++;
          job.onDone(info);
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      for (const job of open) job.onDone(info, e);
      open.clear();
    } finally {
      gen?.dispose();
      this.counts.decodingJobs = 0;
    }
  }
}
