import { formatValue } from "../core/errors.ts";

/**
 * What a {@link SampleTableBuilder} remembers about one problem while rows
 * arrive: its position, how many rows it has, the line each sample index was
 * first seen on (to name it in a duplicate error), and its metadata with the
 * line that set it. Sample indices are tracked densely (a typed array, 4 bytes
 * per index) while they stay near the row count, as they do in every dump
 * numbered 0..n-1, and in a `Map` otherwise.
 */
export class ProblemState {
  /** Rows committed for this problem. */
  count = 0;
  groundTruth: string | null = null;
  level: number | null = null;
  private dense = new Uint32Array(16);
  private sparse: Map<number, number> | undefined;
  private metaLine = { groundTruth: 0, level: 0 };

  /** @param index - the problem's position in the table */
  constructor(readonly index: number) {}

  /** The line a sample index was first accepted on, or `undefined` if it is new. */
  lineOf(sample: number): number | undefined {
    const line = sample < this.dense.length ? (this.dense[sample] as number) : 0;
    return line > 0 ? line : this.sparse?.get(sample);
  }

  /** The conflict between this row's metadata and what earlier rows set, if any. */
  metaConflict(groundTruth: string | null, level: number | null): { field: string; problem: string } | undefined {
    if (groundTruth !== null && this.groundTruth !== null && groundTruth !== this.groundTruth) {
      return { field: "groundTruth", problem: `${formatValue(groundTruth)} conflicts with ${formatValue(this.groundTruth)} on line ${this.metaLine.groundTruth}` };
    }
    if (level !== null && this.level !== null && level !== this.level) {
      return { field: "level", problem: `${level} conflicts with ${this.level} on line ${this.metaLine.level}` };
    }
    return undefined;
  }

  /** Record an accepted row (after {@link lineOf} and {@link metaConflict} passed). */
  commit(sample: number, line: number, groundTruth: string | null, level: number | null): void {
    this.count++;
    const mark = Math.max(1, line);
    if (sample < 8 * (this.count + 128)) {
      if (sample >= this.dense.length) {
        let size = this.dense.length;
        while (size <= sample) size *= 2;
        const next = new Uint32Array(size);
        next.set(this.dense);
        this.dense = next;
      }
      this.dense[sample] = mark;
    } else {
      (this.sparse ??= new Map()).set(sample, mark);
    }
    if (groundTruth !== null && this.groundTruth === null) {
      this.groundTruth = groundTruth;
      this.metaLine.groundTruth = line;
    }
    if (level !== null && this.level === null) {
      this.level = level;
      this.metaLine.level = line;
    }
  }
}
