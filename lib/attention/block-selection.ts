import type { KvBlock } from "./kv-cache.ts";

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
  const push = (a: number, b: number): void => {
    if (a >= b) return;
    if (ends.length > 0 && ends[ends.length - 1] === a) ends[ends.length - 1] = b;
    else (starts.push(a), ends.push(b));
  };
  const nb = Math.ceil(length / blockSize);
  let next = 0;
  for (let i = 0; i < nb; i++) {
    const a = i * blockSize;
    const b = Math.min(a + blockSize, length);
    if (kept[next] === i) {
      push(a, b);
      next++;
    } else {
      push(a, Math.min(b, r.sinkEnd));
      push(Math.max(a, r.sinkEnd, r.localStart), b);
    }
  }
  let tokens = 0;
  for (let i = 0; i < starts.length; i++) tokens += (ends[i] as number) - (starts[i] as number);
  return { blocks: kept, starts, ends, tokens };
}
