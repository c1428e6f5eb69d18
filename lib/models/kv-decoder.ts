import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import { decodeAttention } from "./decode-attention.ts";
import type { KvPrefix, KvSpan } from "./kv-span.ts";
import { resolveBlockTopK, type DecoderAttention } from "./decoder-attention.ts";
import { gelu, LAYER_NORM_EPS, layerNorm } from "./ops.ts";
import { SparseKvAttention } from "./sparse-kv-attention.ts";
import type { Transformer } from "./transformer.ts";

/** Options of {@link KvDecoder}. */
export interface KvDecoderOptions {
  /** Dense (default) or block top-k attention at decode steps ({@link DecoderAttention}). */
  attention?: DecoderAttention;
}

/** Per-layer tensors the decoder derives from the model (it owns the fused/transposed ones). */
interface LayerWeights {
  ln1: [tf.Tensor1D, tf.Tensor1D];
  ln2: [tf.Tensor1D, tf.Tensor1D];
  /** [D, D + 2·H_kv·d]: wq | wk | wv side by side (owned). */
  wqkv: tf.Tensor2D;
  wo: tf.Tensor2D;
  w1: tf.Tensor2D;
  b1: tf.Tensor1D;
  w2: tf.Tensor2D;
  b2: tf.Tensor1D;
}

/**
 * Incremental (KV-cache) decoding of a batch of sequences, one token per
 * sequence per {@link KvDecoder.step}; each sequence has its own position, so
 * ragged prompts decode in lockstep.
 *
 * Layout for this CPU (STACK.md): the projections and MLP run as 2-D
 * non-transposed tfjs matMuls over the whole batch [B, D]; attention over the
 * cache runs in plain typed-array loops ({@link decodeAttention}), with one `Float32Array(maxLen·d)` of
 * keys and one of values per (layer, sequence, KV head), written as tokens
 * arrive — nothing is sliced or gathered inside a step. The math is the
 * training forward pass's ({@link Transformer.forward}), so logits agree with
 * full recomputation to float32 rounding.
 *
 * With `attention: { kind: "block-topk", ... }` the cache is paged instead
 * ({@link SparseKvAttention}: blocks with Quest key summaries) and rows that
 * decode sparsely keep the sink blocks, the window and the top-k blocks per
 * KV head; density 1 gives dense attention's logits to float32 rounding.
 *
 * A row's state can leave and re-enter the decoder (dense attention only):
 * {@link KvDecoder.readKv} copies its K/V out, {@link KvDecoder.writeKv}
 * starts a row from such spans, {@link KvDecoder.copyRow} forks a row. A row's
 * arithmetic never depends on the other rows, so a row started from cached K/V
 * computes the same bits as one that fed every token itself.
 *
 * Reads the model's variables (do not dispose the model first); owns a few
 * derived tensors: call {@link KvDecoder.dispose}.
 */
export class KvDecoder {
  /** Tokens already in each sequence's cache. */
  readonly positions: Int32Array;
  private readonly k: Float32Array[][];
  private readonly v: Float32Array[][];
  private readonly layers: LayerWeights[];
  private readonly lnf: [tf.Tensor1D, tf.Tensor1D];
  private readonly embT: tf.Tensor2D;
  private readonly tokEmb: Float32Array;
  private readonly posEmb: Float32Array;
  private readonly sparse: SparseKvAttention | undefined;

  /**
   * @param batch - number of sequences B
   * @throws InvalidArgumentError on a non-positive batch or a malformed attention option
   */
  constructor(
    private readonly model: Transformer,
    readonly batch: number,
    options: KvDecoderOptions = {},
  ) {
    requireArg("KvDecoder", Number.isSafeInteger(batch) && batch >= 1, "a positive integer batch", batch);
    const { layers, kvHeads, maxLen, dModel, heads } = model.config;
    const hd = dModel / heads;
    this.positions = new Int32Array(batch);
    const blockTopK = resolveBlockTopK("KvDecoder", options.attention);
    this.sparse = blockTopK && new SparseKvAttention({ layers, heads, kvHeads, headDim: hd }, batch, blockTopK);
    // The paged cache of sparse attention replaces the flat one.
    const rows = this.sparse ? 0 : maxLen * hd;
    const cache = () => Array.from({ length: layers }, () => Array.from({ length: batch * kvHeads }, () => new Float32Array(rows)));
    [this.k, this.v] = [cache(), cache()];
    const p = (n: string) => model.param(n);
    this.layers = Array.from({ length: layers }, (_, l) => {
      const q = (n: string) => p(`l${l}.${n}`);
      return {
        ln1: [q("ln1.g"), q("ln1.b")] as [tf.Tensor1D, tf.Tensor1D],
        ln2: [q("ln2.g"), q("ln2.b")] as [tf.Tensor1D, tf.Tensor1D],
        wqkv: tf.concat([q("wq"), q("wk"), q("wv")], 1) as tf.Tensor2D,
        wo: q("wo") as tf.Tensor2D,
        w1: q("w1") as tf.Tensor2D,
        b1: q("b1") as tf.Tensor1D,
        w2: q("w2") as tf.Tensor2D,
        b2: q("b2") as tf.Tensor1D,
      };
    });
    this.lnf = [p("lnf.g"), p("lnf.b")] as [tf.Tensor1D, tf.Tensor1D];
    this.embT = tf.transpose(p("tok_emb")) as tf.Tensor2D;
    this.tokEmb = Float32Array.from(p("tok_emb").dataSync());
    this.posEmb = Float32Array.from(p("pos_emb").dataSync());
  }

  /** Forget a sequence's cache so the row can start a new sequence. */
  reset(row: number): void {
    this.positions[row] = 0;
    this.sparse?.reset(row);
  }

  /**
   * Keys one query head attended at the latest step of `row`, averaged over
   * layers (block top-k rows may keep a different number per layer only when
   * the setting is not block-aligned; ours always is). Dense: position + 1.
   */
  attendedKeys(row: number): number {
    return this.sparse ? (this.sparse.attended[row] as number) : (this.positions[row] as number);
  }

  /**
   * Copy positions [from, to) of `row`'s cache out (dense attention only):
   * the K/V a prefix cache keeps to start a later row from ({@link KvDecoder.writeKv}).
   *
   * @param to - end position (default the row's position)
   * @returns a span of `to − from` positions whose arrays the caller owns
   * @throws InvalidArgumentError on a bad row or range, or with block top-k attention (its cache is paged)
   */
  readKv(row: number, from = 0, to: number = this.positions[row] ?? 0): KvSpan {
    this.requireFlat("KvDecoder.readKv", row);
    requireArg("KvDecoder.readKv", Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= (this.positions[row] as number), `0 ≤ from ≤ to ≤ ${this.positions[row]} (the row's position)`, { from, to });
    const { kvHeads, dModel, heads } = this.model.config;
    const hd = dModel / heads;
    const cut = (cache: Float32Array[][]) => cache.map((layer) => Array.from({ length: kvHeads }, (_, g) => (layer[row * kvHeads + g] as Float32Array).slice(from * hd, to * hd)));
    return { length: to - from, k: cut(this.k), v: cut(this.v) };
  }

  /**
   * Start `row` from cached K/V: its cache holds `prefix.length` positions
   * copied from the spans and its position becomes `prefix.length`, so the
   * next {@link KvDecoder.step} feeds the token at that position. The spans
   * must be this model's K/V of the row's tokens (nothing can check that).
   *
   * @throws InvalidArgumentError on a bad row, spans of another shape or too short, a prefix ≥ maxLen, or with block top-k attention
   */
  writeKv(row: number, prefix: KvPrefix): void {
    this.requireFlat("KvDecoder.writeKv", row);
    const { kvHeads, dModel, heads, layers, maxLen } = this.model.config;
    const hd = dModel / heads;
    const covered = prefix.spans.reduce((a, s) => a + s.length, 0);
    const shaped = prefix.spans.every((s) => [s.k, s.v].every((c) => c.length === layers && c.every((h) => h.length === kvHeads && h.every((a) => a.length >= s.length * hd))));
    requireArg("KvDecoder.writeKv", Number.isInteger(prefix.length) && prefix.length >= 0 && prefix.length < maxLen && prefix.length <= covered && shaped, `a prefix of 0..${maxLen - 1} positions covered by spans of ${layers} layers × ${kvHeads} KV heads × ${hd} floats`, { length: prefix.length, covered, shaped });
    let at = 0;
    for (const s of prefix.spans) {
      const n = Math.min(s.length, prefix.length - at);
      if (n <= 0) break;
      for (let l = 0; l < layers; l++) {
        for (let g = 0; g < kvHeads; g++) {
          (this.k[l]![row * kvHeads + g] as Float32Array).set((s.k[l]![g] as Float32Array).subarray(0, n * hd), at * hd);
          (this.v[l]![row * kvHeads + g] as Float32Array).set((s.v[l]![g] as Float32Array).subarray(0, n * hd), at * hd);
        }
      }
      at += n;
    }
    this.positions[row] = prefix.length;
  }

  /**
   * Make row `to` a copy of row `from` (its cache and position): n
   * continuations of one prefix fork from one prefill.
   *
   * @throws InvalidArgumentError on a bad row, or with block top-k attention
   */
  copyRow(from: number, to: number): void {
    this.requireFlat("KvDecoder.copyRow", from);
    this.requireFlat("KvDecoder.copyRow", to);
    const { kvHeads, dModel, heads } = this.model.config;
    const n = (this.positions[from] as number) * (dModel / heads);
    for (const cache of [this.k, this.v]) {
      for (const layer of cache) for (let g = 0; g < kvHeads; g++) (layer[to * kvHeads + g] as Float32Array).set((layer[from * kvHeads + g] as Float32Array).subarray(0, n));
    }
    this.positions[to] = this.positions[from] as number;
  }

  /**
   * Feed one token per sequence and get the next-token logits. Only active
   * rows are computed (the batch is compacted to them before the matMuls);
   * each row's arithmetic does not depend on the other rows.
   *
   * @param tokens - B token ids
   * @param active - rows to advance (default all); other rows' caches and positions are left alone and their logits are 0
   * @param sparse - with block top-k attention, the rows that attend sparsely in this step (default all); the others attend densely, e.g. while they read their prompt
   * @returns [B·V] row-major logits (a new array)
   * @throws InvalidArgumentError on a wrong token count, an id outside the vocabulary, or an active sequence already at maxLen
   */
  step(tokens: ArrayLike<number>, active?: ArrayLike<boolean>, sparse?: ArrayLike<boolean>): Float32Array {
    const { vocabSize, dModel, maxLen } = this.model.config;
    requireArg("KvDecoder.step", tokens.length === this.batch, `${this.batch} tokens`, tokens.length);
    const rows: number[] = [];
    for (let b = 0; b < this.batch; b++) if (active === undefined || active[b]) rows.push(b);
    const x0 = new Float32Array(rows.length * dModel);
    rows.forEach((b, r) => {
      const [t, pos] = [tokens[b] as number, this.positions[b] as number];
      requireArg("KvDecoder.step", Number.isInteger(t) && t >= 0 && t < vocabSize, `token ids in 0..${vocabSize - 1}`, t);
      requireArg("KvDecoder.step", pos < maxLen, `sequences shorter than maxLen (${maxLen})`, pos);
      for (let i = 0; i < dModel; i++) x0[r * dModel + i] = (this.tokEmb[t * dModel + i] as number) + (this.posEmb[pos * dModel + i] as number);
    });
    const logits = new Float32Array(this.batch * vocabSize);
    if (rows.length === 0) return logits;
    let x: tf.Tensor2D = tf.tensor2d(x0, [rows.length, dModel]);
    this.layers.forEach((w, l) => {
      const qkvT = tf.tidy(() => tf.matMul(layerNorm(x, w.ln1[0], w.ln1[1]), w.wqkv));
      const att = this.attend(l, qkvT.dataSync() as Float32Array, rows, active, sparse);
      qkvT.dispose();
      const next = tf.tidy(() => {
        const x1 = tf.add(x, tf.matMul(tf.tensor2d(att, [rows.length, dModel]), w.wo)) as tf.Tensor2D;
        const m = gelu(tf.add(tf.matMul(layerNorm(x1, w.ln2[0], w.ln2[1]), w.w1), w.b1));
        return tf.add(x1, tf.add(tf.matMul(m, w.w2), w.b2)) as tf.Tensor2D;
      });
      x.dispose();
      x = next;
    });
    const logitsT = tf.tidy(() => tf.matMul(layerNorm(x, this.lnf[0], this.lnf[1]), this.embT));
    const data = logitsT.dataSync() as Float32Array;
    rows.forEach((b, r) => logits.set(data.subarray(r * vocabSize, (r + 1) * vocabSize), b * vocabSize));
    tf.dispose([x, logitsT]);
    for (const b of rows) this.positions[b]! += 1;
    return logits;
  }

  /**
   * Write this step's keys/values into the cache and attend over it.
   * @param qkv - [R, D + 2·H_kv·d] for the active `rows` (R of them), in order
   * @returns [R, D] head outputs
   */
  private attend(l: number, qkv: Float32Array, rows: readonly number[], active?: ArrayLike<boolean>, sparse?: ArrayLike<boolean>): Float32Array {
    const { dModel, heads, kvHeads } = this.model.config;
    const hd = dModel / heads;
    const full = rows.length === this.batch;
    if (this.sparse) {
      // The paged cache addresses rows by their batch index: spread the active rows out, then gather their outputs back.
      const width = dModel + 2 * kvHeads * hd;
      const wide = full ? qkv : new Float32Array(this.batch * width);
      if (!full) rows.forEach((b, r) => wide.set(qkv.subarray(r * width, (r + 1) * width), b * width));
      const outB = new Float32Array(this.batch * dModel);
      this.sparse.attend(l, wide, this.positions, outB, active, sparse);
      if (full) return outB;
      const out = new Float32Array(rows.length * dModel);
      rows.forEach((b, r) => out.set(outB.subarray(b * dModel, (b + 1) * dModel), r * dModel));
      return out;
    }
    const out = new Float32Array(rows.length * dModel);
    const [k, v] = [this.k[l] as Float32Array[], this.v[l] as Float32Array[]];
    const pick = (c: Float32Array[]) => (full ? c : rows.flatMap((b) => c.slice(b * kvHeads, (b + 1) * kvHeads)));
    decodeAttention(qkv, full ? this.positions : Int32Array.from(rows, (b) => this.positions[b] as number), pick(k), pick(v), { heads, kvHeads, headDim: hd }, out);
    return out;
  }

  private requireFlat(fn: string, row: number): void {
    requireArg(fn, this.sparse === undefined, "dense attention (block top-k attention keeps a paged cache)", "block-topk");
    requireArg(fn, Number.isInteger(row) && row >= 0 && row < this.batch, `a row in 0..${this.batch - 1}`, row);
  }

  /** Free the tensors the decoder derived (the model's variables are untouched). */
  dispose(): void {
    tf.dispose([...this.layers.map((w) => w.wqkv), this.embT]);
  }
}
