import { dotAt } from "./dot.ts";
import type { KvBlock, KvPlace } from "./kv-cache.ts";
import { SCRATCH, SCRATCH_BYTES, type WasmArena, type WasmKvStorage } from "./wasm-kv.ts";

/** How a block is summarised for scoring. */
export type BlockSummary = "mean" | "minmax";

/** Which tokens of one sequence a selection keeps, as token ranges. */
export interface BlockSelection {
  /** Top-k block indices chosen by score (ascending); sinks and the local window are kept besides. */
  blocks: Int32Array;
  /** Kept tokens as half-open ranges [starts[i], ends[i]), ascending and disjoint. */
  starts: number[];
  ends: number[];
  /** Tokens kept (Σ ends − starts). */
  tokens: number;
}

/** Where the always-kept tokens of a sequence of `length` tokens lie. */
export interface KeptRegions {
  /** Tokens [0, sinkEnd) are attention sinks. */
  sinkEnd: number;
  /** Tokens [localStart, length) are the local window. */
  localStart: number;
}

/**
 * Indices of the blocks that hold at least one token outside the sinks and
 * the local window — the blocks top-k chooses among.
 */
export function candidateBlocks(length: number, blockSize: number, r: KeptRegions): number[] {
  const out: number[] = [];
  const nb = Math.ceil(length / blockSize);
  for (let i = 0; i < nb; i++) {
    if (Math.max(i * blockSize, r.sinkEnd) < Math.min((i + 1) * blockSize, length, r.localStart)) out.push(i);
  }
  return out;
}

/**
 * Upper bound (Quest, `"minmax"`) or estimate (`"mean"`) of q·k over a block's
 * keys for KV head `head`, summed over the query rows `qs` (one row for
 * per-head selection, the G rows of a group for per-group selection).
 *
 * @param q - [H_q, d] queries of one sequence (row-major)
 * @param rows - query heads whose scores are summed
 * @see Tang et al. 2024 (Quest), §3.2: Σ_i max(q_i·min_i, q_i·max_i) bounds q·k
 */
export function blockScore(block: KvBlock, head: number, d: number, q: Float32Array, rows: readonly number[], summary: BlockSummary): number {
  let s = 0;
  const o = head * d;
  for (const r of rows) {
    const qo = r * d;
    if (summary === "mean") {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += (q[qo + i] as number) * (block.keySum[o + i] as number);
      s += dot / block.length;
    } else {
      for (let i = 0; i < d; i++) {
        const x = q[qo + i] as number;
        s += Math.max(x * (block.keyMin[o + i] as number), x * (block.keyMax[o + i] as number));
      }
    }
  }
  return s;
}

/**
 * Turn a chosen block set plus the sinks and local window into token ranges.
 *
 * @param kept - chosen block indices, ascending
 */
export function keptRanges(length: number, blockSize: number, r: KeptRegions, kept: Int32Array): BlockSelection {
  const starts: number[] = [];
  const ends: number[] = [];
  // The sinks, the chosen blocks and the local window come in ascending order of their starts
  // (a candidate block starts before the window); overlapping or touching pieces merge.
  const push = (a: number, b: number): void => {
    if (a >= b) return;
    const last = ends.length - 1;
    if (last >= 0 && a <= (ends[last] as number)) {
      if (b > (ends[last] as number)) ends[last] = b;
    } else (starts.push(a), ends.push(b));
  };
  push(0, r.sinkEnd);
  for (let i = 0; i < kept.length; i++) {
    const a = (kept[i] as number) * blockSize;
    push(a, Math.min(a + blockSize, length));
  }
  push(r.localStart, length);
  let tokens = 0;
  for (let i = 0; i < starts.length; i++) tokens += (ends[i] as number) - (starts[i] as number);
  return { blocks: kept, starts, ends, tokens };
}

/** Reusable buffers for {@link selectTopBlocks} (grown on demand). */
export class SelectionScratch {
  scores = new Float64Array(0);
  /** A copy of the scores that {@link keepBest} reorders, and its bucket counts. */
  values = new Float64Array(0);
  readonly buckets = new Int32Array(64);
  /** How many values exceeded the last threshold {@link kthLargest} returned. */
  above = 0;
  /** The query's positive part (max(q, 0)) and negative part (min(q, 0); for `"mean"`, q itself), per row. */
  qPos = new Float64Array(0);
  qNeg = new Float64Array(0);

  ensureQuery(n: number): void {
    if (this.qPos.length >= n) return;
    this.qPos = new Float64Array(n);
    this.qNeg = new Float64Array(n);
  }

  ensure(n: number): void {
    if (this.scores.length >= n) return;
    this.scores = new Float64Array(n);
    this.values = new Float64Array(n);
  }
}

/**
 * The top-k candidate blocks of one sequence for one selection head: every
 * candidate is scored by its summary in one tight loop (no per-block objects),
 * then the k best are kept by a threshold search (O(candidates), no sort);
 * ties go to the lower block index. Same choice as ranking by
 * {@link blockScore}.
 *
 * @param q - queries of one sequence, [H_q, d] row-major
 * @param rows - the query heads whose scores are summed (one for per-head selection)
 * @param cands - candidate block indices, ascending ({@link candidateBlocks})
 * @returns the k chosen block indices, ascending (a new array)
 */
export function selectTopBlocks(
  blocks: readonly KvBlock[],
  cands: readonly number[],
  k: number,
  head: number,
  d: number,
  q: Float32Array,
  rows: readonly number[],
  summary: BlockSummary,
  scratch: SelectionScratch,
): Int32Array {
  const n = cands.length;
  if (k >= n) return Int32Array.from(cands);
  if (k <= 0) return new Int32Array(0);
  scratch.ensure(n);
  const scores = scratch.scores;
  const o = head * d;
  // Quest's bound Σ_i max(q_i·min_i, q_i·max_i) = q⁺·max + q⁻·min with q⁺ = max(q, 0), q⁻ = min(q, 0): two branch-free dots.
  scratch.ensureQuery(rows.length * d);
  const { qPos, qNeg } = scratch;
  for (let ri = 0; ri < rows.length; ri++) {
    const qo = (rows[ri] as number) * d;
    for (let i = 0; i < d; i++) {
      const x = q[qo + i] as number;
      qPos[ri * d + i] = x > 0 ? x : 0;
      qNeg[ri * d + i] = x < 0 ? x : summary === "mean" ? x : 0;
    }
  }
  const nr = rows.length;
  const mean = summary === "mean";
  for (let c = 0; c < n; c++) {
    const block = blocks[cands[c] as number] as KvBlock;
    let s = 0;
    if (mean) {
      const y = block.keySum;
      for (let qo = 0; qo < nr * d; qo += d) s += dotAt(qNeg, qo, y, o, d) / block.length;
    } else {
      const hi = block.keyMax;
      const lo = block.keyMin;
      for (let qo = 0; qo < nr * d; qo += d) {
        let s0 = 0;
        let s1 = 0;
        let i = 0;
        for (; i + 1 < d; i += 2) {
          s0 += (qPos[qo + i] as number) * (hi[o + i] as number) + (qNeg[qo + i] as number) * (lo[o + i] as number);
          s1 += (qPos[qo + i + 1] as number) * (hi[o + i + 1] as number) + (qNeg[qo + i + 1] as number) * (lo[o + i + 1] as number);
        }
        if (i < d) s0 += (qPos[qo + i] as number) * (hi[o + i] as number) + (qNeg[qo + i] as number) * (lo[o + i] as number);
        s += s0 + s1;
      }
    }
    scores[c] = s;
  }
  return keepBest(scores, 0, scratch, cands, k);
}

/**
 * The k best of `scores[at .. at + cands.length)` as block indices, ascending:
 * the k-th largest score is found on a copy ({@link kthLargest}), then one pass
 * in index order keeps every score above it and, of those equal to it, the
 * lowest indices (NaN ranks as −∞).
 */
function keepBest(scores: Float64Array, at: number, scratch: SelectionScratch, cands: readonly number[], k: number): Int32Array {
  const n = cands.length;
  const values = scratch.values;
  let [lo, hi] = [Infinity, -Infinity];
  for (let c = 0; c < n; c++) {
    const x = scores[at + c] as number;
    const y = x === x ? x : -Infinity;
    values[c] = y;
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  const threshold = kthLargest(values, n, k, lo, hi, scratch);
  let ties = k - scratch.above;
  const kept = new Int32Array(k);
  for (let c = 0, i = 0; c < n && i < k; c++) {
    const x = scores[at + c] as number;
    const y = x === x ? x : -Infinity;
    if (y > threshold || (y === threshold && ties-- > 0)) kept[i++] = cands[c] as number;
  }
  return kept;
}

/**
 * Selection scores of every candidate block for every selection head at once,
 * on the WebAssembly SIMD `questBlocks` kernel (up to 4096 / H_q blocks per
 * call, all query heads), reading the block summaries in place
 * ({@link WasmKvStorage}). Same scores as {@link selectTopBlocks} computes, up
 * to float32 rounding.
 *
 * @param q - [H_q, d] queries of one sequence
 * @param groupRows - per selection head, the query heads whose scores are summed
 * @param out - [selection heads, cands.length] scores, written
 */
export function scoreCandidatesWasm(
  storage: WasmKvStorage,
  blocks: readonly KvBlock[],
  cands: readonly number[],
  q: Float32Array,
  hq: number,
  g: number,
  d: number,
  groupRows: readonly (readonly number[])[],
  summary: BlockSummary,
  out: Float64Array,
): void {
  const n = cands.length;
  const mean = summary === "mean";
  const rowOut = SCRATCH.rowScores >> 2;
  const perCall = Math.floor((SCRATCH_BYTES - SCRATCH.rowScores) / 4 / hq);
  let arena: WasmArena | undefined;
  let sc: Float32Array = new Float32Array(0);
  let ptrs: Int32Array = new Int32Array(0);
  for (let c0 = 0; c0 < n; ) {
    // Every block of a WasmKvStorage carries its place.
    const first = (blocks[cands[c0] as number] as KvBlock).place as KvPlace;
    const a = storage.arenas[first.summaryArena] as WasmArena;
    if (a !== arena) {
      arena = a;
      sc = a.scratch;
      ptrs = new Int32Array(a.memory.buffer, SCRATCH.blockPtrs, perCall);
      const [p0, n0] = [SCRATCH.qPos >> 2, SCRATCH.qNeg >> 2];
      for (let i = 0; i < hq * d; i++) {
        const x = q[i] as number;
        sc[p0 + i] = mean || x > 0 ? x : 0;
        sc[n0 + i] = !mean && x < 0 ? x : 0;
      }
    }
    // A run of candidates whose summaries lie in this arena: their maxima (or sums) pointers, then one kernel call.
    const loDelta = mean ? 0 : first.keyMax - first.keyMin;
    let c = c0;
    for (; c < n && c - c0 < perCall; c++) {
      const place = (blocks[cands[c] as number] as KvBlock).place as KvPlace;
      if (place.summaryArena !== first.summaryArena || (!mean && place.keyMax - place.keyMin !== loDelta)) break;
      ptrs[c - c0] = mean ? place.keySum : place.keyMax;
    }
    a.kernel.questBlocks(SCRATCH.qPos, SCRATCH.qNeg, SCRATCH.blockPtrs, c - c0, loDelta, hq, d, g, SCRATCH.rowScores);
    const count = c - c0;
    if (!mean && groupRows.length === hq) {
      // One query row per selection head (per-head selection): each head's scores are one row of the output.
      for (let s = 0; s < hq; s++) out.set(sc.subarray(rowOut + s * count, rowOut + (s + 1) * count), s * n + c0);
    } else {
      for (let u = c0; u < c; u++) {
        const div = mean ? (blocks[cands[u] as number] as KvBlock).length : 1;
        for (let s = 0; s < groupRows.length; s++) {
          const rows = groupRows[s] as readonly number[];
          let v = 0;
          for (let ri = 0; ri < rows.length; ri++) v += sc[rowOut + (rows[ri] as number) * count + (u - c0)] as number;
          out[s * n + u] = v / div;
        }
      }
    }
    c0 = c;
  }
}

/** The top k of one selection head's row of {@link scoreCandidatesWasm} scores, as block indices ascending. */
export function topBlocksFromScores(scores: Float64Array, offset: number, cands: readonly number[], k: number, scratch: SelectionScratch): Int32Array {
  const n = cands.length;
  if (k >= n) return Int32Array.from(cands);
  if (k <= 0) return new Int32Array(0);
  scratch.ensure(n);
  return keepBest(scores, offset, scratch, cands, k);
}

/**
 * The k-th largest of values[0 .. n) (1 ≤ k ≤ n; their minimum `lo` and
 * maximum `hi` given), reordering them; `scratch.above` is set to how many
 * values exceed it. Finite values go into 64 equal-width buckets between lo and
 * hi (bucketing is monotone, so every value in a higher bucket is at least
 * every value in a lower one); the bucket holding the k-th largest is compacted
 * to the front and searched by quickselect — three passes over n instead of a
 * quickselect over all of them.
 */
function kthLargest(values: Float64Array, n: number, k: number, lo: number, hi: number, scratch: SelectionScratch): number {
  const counts = scratch.buckets;
  const buckets = counts.length;
  const scale = buckets / (hi - lo);
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(scale)) {
    // All equal, or infinite values: plain quickselect, then count what lies above.
    const t = hi > lo ? quickselect(values, n, k) : hi;
    let above = 0;
    for (let i = 0; i < n; i++) if ((values[i] as number) > t) above++;
    scratch.above = above;
    return t;
  }
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.floor(((values[i] as number) - lo) * scale);
    counts[b < buckets ? b : buckets - 1]!++;
  }
  let above = 0;
  let top = buckets - 1;
  while (above + (counts[top] as number) < k) above += counts[top--] as number;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    const b = Math.floor((x - lo) * scale);
    if ((b < buckets ? b : buckets - 1) === top) values[m++] = x;
  }
  const t = quickselect(values, m, k - above);
  for (let i = 0; i < m; i++) if ((values[i] as number) > t) above++;
  scratch.above = above;
  return t;
}

/** The k-th largest of values[0 .. n) (1 ≤ k ≤ n), reordering them (Hoare-style quickselect, median-of-three pivot). */
function quickselect(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const want = k - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three, descending, as the pivot
    const [a, b, c] = [values[lo] as number, values[mid] as number, values[hi] as number];
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) > pivot) i++;
      while ((values[j] as number) < pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = t;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return values[want] as number;
  }
  return values[want] as number;
}
