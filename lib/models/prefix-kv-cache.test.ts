import { describe, expect, it } from "vitest";
import { kvPrefixValues, type KvPrefix, type KvSpan } from "./kv-span.ts";
import { PrefixKvCache } from "./prefix-kv-cache.ts";

/**
 * A span of 1 layer × 1 KV head × headDim 2 whose entries name their source:
 * key (token, position), value (position, −token), values[p] = 10·token + position.
 * Bytes per position: 2 × 2 floats (16) + its value (4) + its label token (4) = 24.
 */
function spanOf(ids: readonly number[], from: number, to: number): KvSpan {
  const k = new Float32Array(2 * (to - from));
  const v = new Float32Array(2 * (to - from));
  const values = new Float32Array(to - from);
  for (let p = from; p < to; p++) {
    k.set([ids[p]!, p], 2 * (p - from));
    v.set([p, -ids[p]!], 2 * (p - from));
    values[p - from] = 10 * ids[p]! + p;
  }
  return { length: to - from, k: [[k]], v: [[v]], values };
}

/** A cache that records the [from, to) ranges it asked `read` for. */
function recording(maxBytes?: number) {
  const cache = new PrefixKvCache(maxBytes === undefined ? {} : { maxBytes });
  const reads: [number, number][] = [];
  const insert = (ids: number[]) => cache.insert(ids, (from, to) => (reads.push([from, to]), spanOf(ids, from, to)));
  return { cache, reads, insert };
}

/** The keys a prefix supplies, flattened: [token, position] per position. */
function keysOf(prefix: KvPrefix): number[] {
  const out: number[] = [];
  for (const s of prefix.spans) out.push(...s.k[0]![0]!);
  return out.slice(0, 2 * prefix.length);
}

describe("PrefixKvCache", () => {
  it("returns the longest stored prefix, ending inside a stored run when that is where the match ends, up to maxLength", () => {
    const { cache, insert } = recording();
    insert([1, 5, 6, 7, 8]);
    expect(cache.lookup([1, 5, 6, 9]).length).toBe(3); // ends inside the run 1 5 6 7 8
    expect(keysOf(cache.lookup([1, 5, 6, 9]))).toEqual([1, 0, 5, 1, 6, 2]);
    expect(cache.lookup([1, 5, 6, 7, 8]).length).toBe(5); // the stored sequence itself
    expect(cache.lookup([1, 5, 6, 7, 8], 4).length).toBe(4); // ... capped: a policy feeds at least one token
    expect(cache.lookup([1, 5, 6, 7, 8, 9, 9]).length).toBe(5); // the stored sequence is a strict prefix
    expect(cache.lookup([2, 5])).toEqual({ length: 0, spans: [] });
    expect(kvPrefixValues(cache.lookup([1, 5, 6, 7]))).toEqual(Float32Array.of(10, 51, 62, 73));
  });

  it("asks read() only for positions it does not hold, splits a run where two sequences part, and keeps every position's K/V", () => {
    const { cache, reads, insert } = recording();
    insert([1, 5, 6, 7, 8]);
    insert([1, 5, 6, 9]); // shares 1 5 6: the run is cut after 3 positions
    insert([1, 5, 6, 7, 8]); // held already: nothing to read
    insert([1, 5]); // a prefix of what is held
    expect(reads).toEqual([[0, 5], [3, 4]]);
    expect(cache.stats()).toMatchObject({ tokens: 6, nodes: 3, bytes: 6 * 24 });
    expect(keysOf(cache.lookup([1, 5, 6, 9]))).toEqual([1, 0, 5, 1, 6, 2, 9, 3]);
    expect(keysOf(cache.lookup([1, 5, 6, 7, 8]))).toEqual([1, 0, 5, 1, 6, 2, 7, 3, 8, 4]);
    expect(kvPrefixValues(cache.lookup([1, 5, 6, 7, 8]))).toEqual(Float32Array.of(10, 51, 62, 73, 84));
  });

  it("drops least recently used leaves to stay within maxBytes; a lookup counts as a use", () => {
    // Room for 9 positions (216 bytes).
    const { cache, insert } = recording(220);
    insert([1, 2, 3, 4]); // 4 positions
    insert([1, 2, 5, 6]); // + 2 (shares 1 2)
    insert([1, 7, 8]); // + 2 → 8 positions, 192 bytes
    cache.lookup([1, 2, 3, 4]); // 1 2 3 4 is now the most recent; 1 2 5 6 the least
    insert([1, 9, 9, 9]); // + 3 → 11 positions: one leaf must go — the 5 6 run
    expect(cache.stats()).toMatchObject({ tokens: 9, bytes: 216, evictions: 1 });
    expect(cache.lookup([1, 2, 5, 6]).length).toBe(2);
    expect(cache.lookup([1, 2, 3, 4]).length).toBe(4);
    expect(cache.lookup([1, 9, 9, 9]).length).toBe(4);
  });

  it("never holds more than maxBytes, however much is inserted", () => {
    const { cache, insert } = recording(1000);
    let worst = 0;
    for (let i = 0; i < 200; i++) {
      insert([1, i % 7, (i * 3) % 11, ...Array.from({ length: i % 13 }, (_, j) => (i + j) % 17)]);
      worst = Math.max(worst, cache.stats().bytes);
    }
    expect(worst).toBeLessThanOrEqual(1000);
    expect(cache.stats().evictions).toBeGreaterThan(0);
  });

  it("keeps nothing with maxBytes 0 and forgets everything on clear(); rejects a bad size or a read of the wrong length", () => {
    const off = recording(0);
    off.insert([1, 2, 3]);
    expect(off.reads).toEqual([]);
    expect(off.cache.lookup([1, 2, 3]).length).toBe(0);
    const { cache, insert } = recording();
    insert([1, 2, 3]);
    cache.clear();
    expect(cache.lookup([1, 2, 3]).length).toBe(0);
    expect(cache.stats()).toMatchObject({ tokens: 0, bytes: 0, nodes: 0 });
    expect(() => new PrefixKvCache({ maxBytes: -1 })).toThrow("PrefixKvCache requires maxBytes ≥ 0, got -1");
    expect(() => cache.insert([1, 2], () => spanOf([1, 2], 0, 1))).toThrow("PrefixKvCache.insert requires a span of 2 positions from read(0, 2), got 1");
  });
});
