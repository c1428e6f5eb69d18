import { describe, expect, it } from "vitest";
import { TwoLevelMemory } from "./two-level-memory.ts";

describe("TwoLevelMemory", () => {
  it("counts every word loaded and stored, and tracks the peak footprint", () => {
    const mem = new TwoLevelMemory(10);
    mem.put("A", Float64Array.from({ length: 12 }, (_, i) => i)); // 3 × 4, row-major
    const t = mem.loadTile("A", 4, 1, 2, 1, 3); // rows 1–2, cols 1–3
    expect(Array.from(t)).toEqual([5, 6, 7, 9, 10, 11]);
    expect(mem.wordsRead).toBe(6);
    t[0] = -1;
    mem.storeTile(t, "A", 4, 0, 1, 0, 3); // first row of the tile into A[0, 0..2]
    expect(mem.wordsWritten).toBe(3);
    expect(Array.from(mem.get("A").slice(0, 4))).toEqual([-1, 6, 7, 3]);
    const extra = mem.alloc(4);
    expect(mem.peakWords).toBe(10);
    mem.free(t, extra);
    expect(mem.usedWords).toBe(0);
    expect(mem.wordsMoved).toBe(9);
  });

  it("refuses to exceed its capacity, naming the sizes", () => {
    const mem = new TwoLevelMemory(8);
    mem.alloc(5);
    expect(() => mem.alloc(4)).toThrow("TwoLevelMemory.alloc requires fast memory to hold 9 words (capacity 8), got \"4 more words with 5 in use\"");
  });

  it("refuses double frees and foreign buffers", () => {
    const mem = new TwoLevelMemory(8);
    const b = mem.alloc(2);
    mem.free(b);
    expect(() => mem.free(b)).toThrow(/a live buffer/);
    expect(() => mem.free(new Float64Array(2))).toThrow(/a live buffer/);
    expect(() => mem.get("nope")).toThrow('TwoLevelMemory.get requires an array placed with put(), got "nope"');
    expect(() => new TwoLevelMemory(0)).toThrow(/positive integer capacity/);
  });
});
