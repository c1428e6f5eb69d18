import { requireArg } from "../../core/errors.ts";
import { blockedMatMulIO } from "./blocked-matmul-io.ts";
import type { AttentionIOResult } from "./flash-attention-io.ts";
import { TwoLevelMemory } from "./two-level-memory.ts";

/**
 * Standard (unfused) attention on an instrumented two-level memory with a fast
 * memory of `m` words: S = QKᵀ/√d is written to slow memory, a row softmax
 * turns S into P, and O = P·V — the "standard attention implementation" of
 * FlashAttention's Alg. 0, with each matmul blocked as well as the cache allows.
 * It moves Θ(N²) words at any M (S and P are N × N), plus Θ(N²d/√M) for the
 * matmuls; for M < d² that matmul term is the smaller-cache optimum.
 *
 * @param q - [N, d] row-major queries
 * @param k - [N, d] row-major keys
 * @param v - [N, d] row-major values
 * @param n - sequence length N
 * @param d - head dimension d
 * @param m - fast-memory size M in words (≥ 3)
 * @returns output, words read/written, peak footprint, tile sizes
 * @throws InvalidArgumentError on mismatched sizes or M < 3
 * @see Dao et al. 2022 (FlashAttention), Alg. 0; Saha & Ye 2024, §1 (small-cache regime Θ(N²d/√M))
 */
export function naiveAttentionIO(q: Float64Array, k: Float64Array, v: Float64Array, n: number, d: number, m: number): AttentionIOResult {
  for (const [name, a] of [["q", q], ["k", k], ["v", v]] as const) {
    requireArg("naiveAttentionIO", a.length === n * d, `${name} of length N·d = ${n * d}`, a.length);
  }
  const mem = new TwoLevelMemory(m);
  mem.put("Q", q);
  mem.put("K", k);
  mem.put("V", v);
  mem.put("S", new Float64Array(n * n));
  mem.put("O", new Float64Array(n * d));
  const t1 = blockedMatMulIO(mem, { a: "Q", b: "K", c: "S", m: n, n, k: d, transposeB: true, alpha: 1 / Math.sqrt(d) });
  const passes = softmaxRowsIO(mem, "S", n, n);
  const t2 = blockedMatMulIO(mem, { a: "S", b: "V", c: "O", m: n, n: d, k: n });
  return {
    output: mem.get("O"),
    wordsRead: mem.wordsRead,
    wordsWritten: mem.wordsWritten,
    peakWords: mem.peakWords,
    schedule: { qkTile: `${t1.bm}x${t1.bn}x${t1.bk}`, softmaxPasses: passes, pvTile: `${t2.bm}x${t2.bn}x${t2.bk}` },
  };
}

/**
 * Row softmax of the [rows, cols] slow array `name`, in place. A row that fits
 * in fast memory costs one read and one write per word; a longer row is done in
 * chunks in two passes (online max/sum, then normalise), costing two reads and
 * one write per word.
 *
 * @returns the number of passes over each row (2 or 3 words moved per element)
 */
export function softmaxRowsIO(mem: TwoLevelMemory, name: string, rows: number, cols: number): number {
  const fits = cols <= mem.capacityWords;
  const chunk = Math.min(cols, mem.capacityWords);
  const buf = mem.alloc(chunk);
  for (let r = 0; r < rows; r++) {
    let mx = -Infinity;
    let sum = 0;
    if (fits) {
      mem.loadInto(buf, name, cols, r, 1, 0, cols);
      for (let c = 0; c < cols; c++) mx = Math.max(mx, buf[c] as number);
      for (let c = 0; c < cols; c++) sum += Math.exp((buf[c] as number) - mx);
      for (let c = 0; c < cols; c++) buf[c] = Math.exp((buf[c] as number) - mx) / sum;
      mem.storeTile(buf, name, cols, r, 1, 0, cols);
      continue;
    }
    for (let c0 = 0; c0 < cols; c0 += chunk) {
      const w = Math.min(chunk, cols - c0);
      mem.loadInto(buf, name, cols, r, 1, c0, w);
      let pm = -Infinity;
      for (let c = 0; c < w; c++) pm = Math.max(pm, buf[c] as number);
      const nm = Math.max(mx, pm);
      sum *= Math.exp(mx - nm);
      for (let c = 0; c < w; c++) sum += Math.exp((buf[c] as number) - nm);
      mx = nm;
    }
    for (let c0 = 0; c0 < cols; c0 += chunk) {
      const w = Math.min(chunk, cols - c0);
      mem.loadInto(buf, name, cols, r, 1, c0, w);
      for (let c = 0; c < w; c++) buf[c] = Math.exp((buf[c] as number) - mx) / sum;
      mem.storeTile(buf, name, cols, r, 1, c0, w);
    }
  }
  mem.free(buf);
  return fits ? 2 : 3;
}
