import { requireArg } from "../../core/errors.ts";
import { TwoLevelMemory } from "./two-level-memory.ts";

/** Loop order of a tiled attention schedule. */
export type FlashOrder = "q-outer" | "kv-outer";

export interface FlashAttentionIOOptions {
  /**
   * `"q-outer"` (default; FlashAttention-2): a block of query rows stays in fast
   * memory while all key/value blocks stream past. `"kv-outer"` (FlashAttention-1,
   * Dao et al. 2022 Alg. 1): a key/value block stays while query rows and their
   * partial outputs stream in and out.
   */
  order?: FlashOrder;
  /** Query rows per tile (B_r). Default: chosen by {@link chooseFlashBlocks}. */
  blockRows?: number;
  /** Key/value rows per tile (B_c). Default: chosen by {@link chooseFlashBlocks}. */
  blockCols?: number;
}

/** Result of running a tiled attention schedule on a {@link TwoLevelMemory}. */
export interface AttentionIOResult {
  /** The attention output, [N, d] row-major (read back from slow memory). */
  output: Float64Array;
  /** Words read from slow memory. */
  wordsRead: number;
  /** Words written to slow memory. */
  wordsWritten: number;
  /** Largest fast-memory footprint reached, in words (≤ M). */
  peakWords: number;
  /** Tile sizes or other schedule facts, for the record. */
  schedule: Record<string, number | string>;
}

/** Fast-memory words a tiled schedule needs for tiles of `br` query rows and `bc` key rows. */
export function flashFootprint(d: number, br: number, bc: number): number {
  // Q_i and O_i (br·d each), running max and sum (br each), K_j and V_j (bc·d each), scores S (br·bc).
  return 2 * br * d + 2 * br + 2 * bc * d + br * bc;
}

/**
 * Tile sizes that minimise words moved under a fast-memory budget of M words.
 * Words moved depend only on the tile of the *resident* operand (B_r for
 * q-outer, B_c for kv-outer), so that one is made as large as fits with the
 * streamed tile at one row, and the streamed tile then takes what is left.
 *
 * @throws InvalidArgumentError when even 1×1 tiles do not fit (M < 4d + 3)
 */
export function chooseFlashBlocks(n: number, d: number, m: number, order: FlashOrder): { blockRows: number; blockCols: number } {
  requireArg("chooseFlashBlocks", flashFootprint(d, 1, 1) <= m, `M >= 4d + 3 = ${4 * d + 3} words`, m);
  const grow = (fits: (b: number) => boolean): number => {
    let b = 1;
    while (b < n && fits(b + 1)) b++;
    return b;
  };
  if (order === "q-outer") {
    const br = grow((b) => flashFootprint(d, b, 1) <= m);
    return { blockRows: br, blockCols: grow((b) => flashFootprint(d, br, b) <= m) };
  }
  const bc = grow((b) => flashFootprint(d, 1, b) <= m);
  return { blockRows: grow((b) => flashFootprint(d, b, bc) <= m), blockCols: bc };
}

/**
 * Run FlashAttention's tiled, online-softmax schedule for O = softmax(QKᵀ/√d)·V
 * on an instrumented two-level memory with a fast memory of `m` words, and
 * count the words it moves. The output is computed for real (float64) and is
 * returned so callers can check it against {@link attentionReference}.
 *
 * @param q - [N, d] row-major queries
 * @param k - [N, d] row-major keys
 * @param v - [N, d] row-major values
 * @param n - sequence length N
 * @param d - head dimension d
 * @param m - fast-memory size M in words
 * @returns output, words read/written, peak footprint and tile sizes
 * @throws InvalidArgumentError on mismatched sizes or a budget too small for 1×1 tiles
 * @see Dao et al. 2022 (FlashAttention), Alg. 1; Dao 2023 (FlashAttention-2), Alg. 1; Saha & Ye 2024, abstract (Θ(N²d²/M), optimal for M ≥ d²)
 */
export function flashAttentionIO(
  q: Float64Array, k: Float64Array, v: Float64Array, n: number, d: number, m: number, options: FlashAttentionIOOptions = {},
): AttentionIOResult {
  for (const [name, a] of [["q", q], ["k", k], ["v", v]] as const) {
    requireArg("flashAttentionIO", a.length === n * d, `${name} of length N·d = ${n * d}`, a.length);
  }
  const order = options.order ?? "q-outer";
  const chosen = chooseFlashBlocks(n, d, m, order);
  const br = options.blockRows ?? chosen.blockRows;
  const bc = options.blockCols ?? chosen.blockCols;
  requireArg("flashAttentionIO", flashFootprint(d, br, bc) <= m, `tiles that fit in M = ${m} words`, { blockRows: br, blockCols: bc });

  const mem = new TwoLevelMemory(m);
  mem.put("Q", q);
  mem.put("K", k);
  mem.put("V", v);
  mem.put("O", new Float64Array(n * d));
  mem.put("LSE", new Float64Array(n));
  const scale = 1 / Math.sqrt(d);
  if (order === "q-outer") qOuter(mem, n, d, br, bc, scale);
  else kvOuter(mem, n, d, br, bc, scale);
  return {
    output: mem.get("O"),
    wordsRead: mem.wordsRead,
    wordsWritten: mem.wordsWritten,
    peakWords: mem.peakWords,
    schedule: { order, blockRows: br, blockCols: bc },
  };
}

/**
 * One online-softmax update (FlashAttention Alg. 1, lines 9–12) of `rows`
 * query rows against a tile of `cols` keys, all in fast memory. `oAcc` holds
 * unnormalised outputs, `mx` running maxima, `sum` running exp-sums.
 */
function updateTile(
  qt: Float64Array, kt: Float64Array, vt: Float64Array, s: Float64Array, oAcc: Float64Array, mx: Float64Array, sum: Float64Array,
  rows: number, cols: number, d: number, scale: number,
): void {
  for (let r = 0; r < rows; r++) {
    let rowMax = -Infinity;
    for (let c = 0; c < cols; c++) {
      let dot = 0;
      for (let x = 0; x < d; x++) dot += (qt[r * d + x] as number) * (kt[c * d + x] as number);
      const val = dot * scale;
      s[r * cols + c] = val;
      if (val > rowMax) rowMax = val;
    }
    const mOld = mx[r] as number;
    const mNew = Math.max(mOld, rowMax);
    const alpha = Math.exp(mOld - mNew); // 0 when mOld = -Infinity
    let add = 0;
    for (let x = 0; x < d; x++) oAcc[r * d + x] = (oAcc[r * d + x] as number) * alpha;
    for (let c = 0; c < cols; c++) {
      const p = Math.exp((s[r * cols + c] as number) - mNew);
      add += p;
      for (let x = 0; x < d; x++) oAcc[r * d + x] = (oAcc[r * d + x] as number) + p * (vt[c * d + x] as number);
    }
    sum[r] = (sum[r] as number) * alpha + add;
    mx[r] = mNew;
  }
}

/** Normalise `rows` accumulated outputs in place and write their log-sum-exp into `lse`. */
function finishRows(oAcc: Float64Array, mx: Float64Array, sum: Float64Array, lse: Float64Array, rows: number, d: number): void {
  for (let r = 0; r < rows; r++) {
    const l = sum[r] as number;
    for (let x = 0; x < d; x++) oAcc[r * d + x] = (oAcc[r * d + x] as number) / l;
    lse[r] = (mx[r] as number) + Math.log(l);
  }
}

function qOuter(mem: TwoLevelMemory, n: number, d: number, br: number, bc: number, scale: number): void {
  // Tile buffers are allocated once at full size (the kernel's SRAM) and reused.
  const qt = mem.alloc(br * d);
  const oAcc = mem.alloc(br * d);
  const mx = mem.alloc(br);
  const sum = mem.alloc(br);
  const kt = mem.alloc(bc * d);
  const vt = mem.alloc(bc * d);
  const s = mem.alloc(br * bc);
  for (let i0 = 0; i0 < n; i0 += br) {
    const rows = Math.min(br, n - i0);
    mem.loadInto(qt, "Q", d, i0, rows, 0, d);
    oAcc.fill(0);
    mx.fill(-Infinity);
    sum.fill(0);
    for (let j0 = 0; j0 < n; j0 += bc) {
      const cols = Math.min(bc, n - j0);
      mem.loadInto(kt, "K", d, j0, cols, 0, d);
      mem.loadInto(vt, "V", d, j0, cols, 0, d);
      updateTile(qt, kt, vt, s, oAcc, mx, sum, rows, cols, d, scale);
    }
    finishRows(oAcc, mx, sum, sum, rows, d); // the sums' slots now hold the log-sum-exp
    mem.storeTile(oAcc, "O", d, i0, rows, 0, d);
    mem.storeTile(sum, "LSE", 1, i0, rows, 0, 1);
  }
  mem.free(qt, oAcc, mx, sum, kt, vt, s);
}

function kvOuter(mem: TwoLevelMemory, n: number, d: number, br: number, bc: number, scale: number): void {
  // Partial state between key blocks lives in slow memory: unnormalised O, running max, running sum.
  mem.put("M", new Float64Array(n).fill(-Infinity));
  mem.put("L", new Float64Array(n));
  const kt = mem.alloc(bc * d);
  const vt = mem.alloc(bc * d);
  const qt = mem.alloc(br * d);
  const oAcc = mem.alloc(br * d);
  const mx = mem.alloc(br);
  const sum = mem.alloc(br);
  const s = mem.alloc(br * bc);
  for (let j0 = 0; j0 < n; j0 += bc) {
    const cols = Math.min(bc, n - j0);
    const first = j0 === 0;
    const last = j0 + bc >= n;
    mem.loadInto(kt, "K", d, j0, cols, 0, d);
    mem.loadInto(vt, "V", d, j0, cols, 0, d);
    for (let i0 = 0; i0 < n; i0 += br) {
      const rows = Math.min(br, n - i0);
      mem.loadInto(qt, "Q", d, i0, rows, 0, d);
      if (first) {
        // The first key block starts from empty state, so nothing needs loading.
        oAcc.fill(0);
        mx.fill(-Infinity);
        sum.fill(0);
      } else {
        mem.loadInto(oAcc, "O", d, i0, rows, 0, d);
        mem.loadInto(mx, "M", 1, i0, rows, 0, 1);
        mem.loadInto(sum, "L", 1, i0, rows, 0, 1);
      }
      updateTile(qt, kt, vt, s, oAcc, mx, sum, rows, cols, d, scale);
      if (last) {
        finishRows(oAcc, mx, sum, sum, rows, d);
        mem.storeTile(oAcc, "O", d, i0, rows, 0, d);
        mem.storeTile(sum, "LSE", 1, i0, rows, 0, 1);
      } else {
        mem.storeTile(oAcc, "O", d, i0, rows, 0, d);
        mem.storeTile(mx, "M", 1, i0, rows, 0, 1);
        mem.storeTile(sum, "L", 1, i0, rows, 0, 1);
      }
    }
  }
  mem.free(kt, vt, qt, oAcc, mx, sum, s);
}
