import { createReadStream } from "node:fs";
import { DataError } from "../core/errors.ts";
import { SampleTable } from "../data/sample-table.ts";
import { SampleTableBuilder } from "../data/sample-table-builder.ts";
import { decodeSampleRecord, type SampleRecord } from "./sample-record.ts";

/** A damaged last line that was left out. */
export interface DroppedTail {
  /** 1-based line number. */
  line: number;
  /** Its length in bytes (newline included, when it had one). */
  bytes: number;
  /** What was wrong with it. */
  reason: string;
}

/** What {@link readSampleDump} found. */
export interface SampleDump {
  /** The good records, in file order. */
  records: SampleRecord[];
  /** Bytes of the file up to the end of the last good record (newline included when present). */
  goodBytes: number;
  /** Whether the last good record lacks its newline (an append must write one first). */
  missingNewline: boolean;
  /** The damaged last line that was left out, or `null`. */
  droppedTail: DroppedTail | null;
}

/**
 * Read a collection dump written by `ttc sample`, checking every line's JSON,
 * fields and sha256. A damaged **last** line — what a killed run leaves
 * behind — is reported in `droppedTail` and left out; a damaged line anywhere
 * else, or a repeated (problem, sample) pair, is corruption and throws.
 * Streams the file; a missing file reads as an empty dump.
 *
 * @param path - the dump
 * @returns the good records and where they end
 * @throws DataError naming file, line and field for a damaged line before the last, or a duplicate pair
 * @example
 * const { records, droppedTail } = await readSampleDump("dump.jsonl");
 */
export async function readSampleDump(path: string): Promise<SampleDump> {
  const records: SampleRecord[] = [];
  const seen = new Map<string, number>();
  let goodBytes = 0;
  let missingNewline = false;
  let pending: { error: DataError; tail: DroppedTail } | null = null;
  for await (const raw of rawLines(path)) {
    if (pending) throw pending.error;
    if (raw.text.trim() === "") {
      if (raw.terminated) goodBytes = raw.end;
      continue;
    }
    const bad = (field: string | undefined, problem: string) => ({ error: new DataError(path, raw.line, field, problem), tail: { line: raw.line, bytes: raw.end - raw.start, reason: problem } });
    let value: unknown;
    try {
      value = JSON.parse(raw.text);
    } catch {
      pending = bad(undefined, raw.terminated ? "malformed JSON" : "truncated record (no newline, malformed JSON)");
      continue;
    }
    const decoded = decodeSampleRecord(value);
    if (!("record" in decoded)) {
      pending = bad(decoded.field, decoded.problem);
      continue;
    }
    const r = decoded.record;
    const key = `${r.problem}\u0000${r.sample}`;
    const first = seen.get(key);
    if (first !== undefined) throw new DataError(path, raw.line, "sample", `duplicate (problem, sample) pair (${JSON.stringify(r.problem)}, ${r.sample}), first on line ${first}`);
    seen.set(key, raw.line);
    records.push(r);
    goodBytes = raw.end;
    missingNewline = !raw.terminated;
  }
  return { records, goodBytes, missingNewline, droppedTail: pending?.tail ?? null };
}

/**
 * Load a collection dump into a {@link SampleTable} for the offline
 * estimators (pass@k, majority@k, …): one row per record with its answer
 * key, correctness, completion tokens and the problem's ground truth. A
 * damaged last line is left out (see {@link readSampleDump}).
 *
 * @param path - the dump
 * @returns the table (problems in order of first appearance, samples ascending)
 * @throws DataError for corruption before the last line
 * @example
 * const table = await loadSampleDump("dump.jsonl");
 * passAtK(table, 8);
 */
export async function loadSampleDump(path: string): Promise<SampleTable> {
  const { records } = await readSampleDump(path);
  const builder = new SampleTableBuilder({ source: path });
  records.forEach((r, i) =>
    builder.add({ problem: r.problem, sample: r.sample, answer: r.answer, correct: r.correct, completionTokens: r.completionTokens, groundTruth: r.groundTruth }, i + 1),
  );
  return builder.build();
}

/** Lines of a file split on `\n` bytes, with byte offsets and whether each ended with a newline. A missing file has none. */
async function* rawLines(path: string): AsyncGenerator<{ line: number; text: string; start: number; end: number; terminated: boolean }> {
  const input = createReadStream(path);
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  let line = 0;
  try {
    for await (const chunk of input) {
      let buf = Buffer.concat([carry, chunk as Buffer]);
      let at = buf.indexOf(10);
      while (at >= 0) {
        line++;
        yield { line, text: buf.subarray(0, at).toString("utf8"), start: offset, end: offset + at + 1, terminated: true };
        offset += at + 1;
        buf = buf.subarray(at + 1);
        at = buf.indexOf(10);
      }
      carry = Buffer.from(buf);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  } finally {
    input.destroy();
  }
  if (carry.length > 0) yield { line: line + 1, text: carry.toString("utf8"), start: offset, end: offset + carry.length, terminated: false };
}
