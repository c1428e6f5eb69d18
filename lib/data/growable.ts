/** A typed-array constructor this module can grow. */
type TypedCtor<T> = { new (length: number): T };

/**
 * An append-only typed array that doubles its buffer when full, so builders
 * and readers accumulate numeric columns without boxing each value.
 */
export class Growable<T extends Float64Array | Uint32Array | Uint8Array> {
  private buf: T;
  /** Number of values appended so far. */
  length = 0;

  /** @param ctor - the typed-array class, e.g. `Float64Array` */
  constructor(private readonly ctor: TypedCtor<T>, capacity = 1024) {
    this.buf = new ctor(Math.max(1, capacity));
  }

  /** Append one value. */
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new this.ctor(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** Value at `i` (no bounds check beyond the typed array's). */
  at(i: number): number {
    return this.buf[i] as number;
  }

  /** Drop values past `length` (undo a partial append). */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  /** A right-sized copy of the values. */
  toArray(): T {
    const out = new this.ctor(this.length);
    out.set(this.buf.subarray(0, this.length));
    return out;
  }
}
