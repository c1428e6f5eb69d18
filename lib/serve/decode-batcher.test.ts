import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import type { SequenceOptions, StopReason } from "../models/generation.ts";
import { createTransformer, type Transformer } from "../models/transformer.ts";
import { DecodeBatcher, type DecodeJob, type JobBatchInfo } from "./decode-batcher.ts";
import { HttpError } from "./http-error.ts";
import { SERVE_TINY, until } from "./serve-fixtures.test-util.ts";

/** A greedy job of `seqs` sequences of `tokens` tokens each that records what it was given. */
class FakeJob implements DecodeJob {
  readonly prompts: number[][];
  readonly sequences: SequenceOptions[];
  cancelled = false;
  tokens: number[][];
  reasons: (StopReason | undefined)[];
  done: JobBatchInfo | undefined;
  constructor(seqs: number, tokens: number, private readonly stopAfter = Infinity) {
    this.prompts = Array.from({ length: seqs }, (_, i) => [1, 4 + i]);
    this.sequences = this.prompts.map(() => ({ temperature: 0, maxNewTokens: tokens, stopAtEos: false }));
    this.tokens = this.prompts.map(() => []);
    this.reasons = this.prompts.map(() => undefined);
  }
  onToken(seq: number, token: number, _lp: number, _logits: Float32Array, reason: StopReason | undefined): boolean {
    this.tokens[seq]!.push(token);
    this.reasons[seq] = reason;
    return this.tokens[seq]!.length >= this.stopAfter;
  }
  onDone(info: JobBatchInfo): void {
    if (this.done !== undefined) throw new Error("onDone called twice");
    this.done = info;
  }
}

let model: Transformer;
beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  model = createTransformer(SERVE_TINY, rng("batcher"));
});
afterAll(() => model.dispose());

describe("DecodeBatcher", () => {
  it("merges jobs that arrive within the window into one batch, first come first served up to maxBatch", async () => {
    const before = tf.memory().numTensors;
    const b = new DecodeBatcher(model, { batchWindowMs: 50, maxBatch: 4 });
    const jobs = [new FakeJob(2, 3), new FakeJob(1, 3), new FakeJob(2, 3)];
    jobs.forEach((j) => b.submit(j));
    // The queue holds a full batch, yet nothing runs inside submit (a server writes its stream headers after submit).
    expect(jobs[0]!.tokens[0]).toEqual([]);
    await b.close();
    expect(jobs.map((j) => j.done)).toEqual([
      { batch: 1, batchSequences: 3 },
      { batch: 1, batchSequences: 3 },
      { batch: 2, batchSequences: 2 },
    ]);
    expect(jobs.every((j) => j.tokens.every((t) => t.length === 3))).toBe(true);
    expect(b.stats()).toMatchObject({ queuedJobs: 0, batches: 2, sequences: 5, generatedTokens: 15, cancelledJobs: 0 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("puts jobs that arrive while a batch decodes into the next batch, and finishes a job when its own sequences stop", async () => {
    const b = new DecodeBatcher(model, { batchWindowMs: 0, maxBatch: 8 });
    const long = new FakeJob(1, 120);
    const short = new FakeJob(1, 120, 2);
    b.submit(long);
    b.submit(short);
    await until(() => long.tokens[0]!.length >= 5);
    expect(short.done).toEqual({ batch: 1, batchSequences: 2 });
    expect(long.done).toBeUndefined();
    const late = new FakeJob(2, 4);
    b.submit(late);
    await b.close();
    expect([long.done, late.done]).toEqual([
      { batch: 1, batchSequences: 2 },
      { batch: 2, batchSequences: 2 },
    ]);
    expect([long.reasons[0], short.reasons[0], short.tokens[0]!.length]).toEqual(["length", undefined, 2]);
  });

  it("stops a cancelled job's sequences, drops a cancelled queued job, and refuses work when full or closed", async () => {
    const b = new DecodeBatcher(model, { batchWindowMs: 0, maxBatch: 2, maxQueue: 1 });
    const running = new FakeJob(2, 100);
    b.submit(running);
    await until(() => running.tokens[0]!.length >= 3);
    const waiting = new FakeJob(1, 5);
    b.submit(waiting);
    expect(() => b.submit(new FakeJob(1, 5))).toThrow(expect.objectContaining({ status: 429 }));
    waiting.cancelled = true;
    running.cancelled = true;
    await b.close();
    expect(running.tokens[0]!.length).toBeLessThan(100);
    expect(waiting.done).toEqual({ batch: 0, batchSequences: 0 });
    expect(waiting.tokens[0]).toEqual([]);
    expect(b.stats().cancelledJobs).toBe(2);
    let refused: unknown;
    try {
      b.submit(new FakeJob(1, 1));
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(503);
    expect(() => new DecodeBatcher(model, { maxBatch: 0 })).toThrow(/DecodeBatcher requires a positive integer maxBatch, got 0/);
  });
});
