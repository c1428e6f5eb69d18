import { KvCache, type KvBlock } from "../../lib/attention/kv-cache.ts";

/** What a kernel read from one sequence's blocks, per KV head. */
export interface SequenceReads {
  /** Distinct key rows (token × KV head) read, per KV head, [H_kv]. */
  keyRows: number[];
  /** Distinct value rows read, per KV head. */
  valueRows: number[];
  /** Distinct block-summary vectors (sum, min or max of one block and KV head) read, per KV head. */
  summaryVectors: number[];
  /** Element reads of K and V counted with repetition (a row read by G query heads counts G times). */
  kvElementReads: number;
}

/** Marks of one block: which K rows, V rows and summary vectors were touched. */
interface BlockMarks {
  k: Uint8Array;
  v: Uint8Array;
  summaries: Uint8Array;
}

/**
 * A read-counting view of a {@link KvCache}: `blocks(seq)` hands out blocks
 * whose K, V and summary arrays are proxies that record every index read, so
 * the KV a kernel actually touches can be counted without trusting the
 * kernel's own report. Writing through the view is not supported (it is for
 * decode kernels, which only read). Proxies are slow (tens of ns per element
 * read): use it for counting, never for timing.
 */
export class CountingKvCache extends KvCache {
  private readonly inner: KvCache;
  private readonly views = new Map<number, { blocks: KvBlock[]; marks: BlockMarks[]; elementReads: { n: number } }>();

  constructor(inner: KvCache) {
    super({ kvHeads: inner.kvHeads, headDim: inner.headDim, blockSize: inner.blockSize });
    this.inner = inner;
  }

  override length(seq: number): number {
    return this.inner.length(seq);
  }

  override blocks(seq: number): readonly KvBlock[] {
    let view = this.views.get(seq);
    if (view === undefined) {
      const elementReads = { n: 0 };
      const marks: BlockMarks[] = [];
      const blocks = this.inner.blocks(seq).map((b) => {
        const m = { k: new Uint8Array(this.kvHeads * this.blockSize), v: new Uint8Array(this.kvHeads * this.blockSize), summaries: new Uint8Array(3 * this.kvHeads) };
        marks.push(m);
        const d = this.headDim;
        return {
          id: b.id,
          length: b.length,
          refs: b.refs,
          k: counted(b.k, d, m.k, 0, elementReads),
          v: counted(b.v, d, m.v, 0, elementReads),
          keySum: counted(b.keySum, d, m.summaries, 0, null),
          keyMin: counted(b.keyMin, d, m.summaries, this.kvHeads, null),
          keyMax: counted(b.keyMax, d, m.summaries, 2 * this.kvHeads, null),
        };
      });
      view = { blocks, marks, elementReads };
      this.views.set(seq, view);
    }
    return view.blocks;
  }

  /** What has been read from `seq` since the view was created (zeros if nothing asked for its blocks). */
  reads(seq: number): SequenceReads {
    const [h, bs] = [this.kvHeads, this.blockSize];
    const out: SequenceReads = { keyRows: new Array<number>(h).fill(0), valueRows: new Array<number>(h).fill(0), summaryVectors: new Array<number>(h).fill(0), kvElementReads: 0 };
    const view = this.views.get(seq);
    if (view === undefined) return out;
    for (const m of view.marks) {
      for (let i = 0; i < h * bs; i++) {
        const head = Math.floor(i / bs);
        out.keyRows[head] = (out.keyRows[head] as number) + (m.k[i] as number);
        out.valueRows[head] = (out.valueRows[head] as number) + (m.v[i] as number);
      }
      for (let i = 0; i < 3 * h; i++) out.summaryVectors[i % h] = (out.summaryVectors[i % h] as number) + (m.summaries[i] as number);
    }
    out.kvElementReads = view.elementReads.n;
    return out;
  }
}

/**
 * A proxy over `arr` (rows of `d` floats) that marks row `offset + ⌊i / d⌋` in
 * `marks` on every read of element i, and counts reads in `tally` when given.
 */
function counted(arr: Float32Array, d: number, marks: Uint8Array, offset: number, tally: { n: number } | null): Float32Array {
  return new Proxy(arr, {
    get(target, prop) {
      if (typeof prop === "string") {
        const i = Number(prop);
        if (Number.isInteger(i)) {
          marks[offset + Math.floor(i / d)] = 1;
          if (tally !== null) tally.n++;
          return target[i];
        }
      }
      return Reflect.get(target, prop, target);
    },
  });
}
