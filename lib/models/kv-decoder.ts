import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import { decodeAttention } from "./decode-attention.ts";
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
   * Feed one token per sequence and get the next-token logits.
   *
   * @param tokens - B token ids
   * @param active - rows to advance (default all); other rows' caches and positions are left alone and their logits are meaningless
   * @param sparse - with block top-k attention, the rows that attend sparsely in this step (default all); the others attend densely, e.g. while they read their prompt
   * @returns [B·V] row-major logits (a new array)
   * @throws InvalidArgumentError on a wrong token count, an id outside the vocabulary, or an active sequence already at maxLen
   */
  step(tokens: ArrayLike<number>, active?: ArrayLike<boolean>, sparse?: ArrayLike<boolean>): Float32Array {
    const { vocabSize, dModel, maxLen } = this.model.config;
    requireArg("KvDecoder.step", tokens.length === this.batch, `${this.batch} tokens`, tokens.length);
    const x0 = new Float32Array(this.batch * dModel);
    for (let b = 0; b < this.batch; b++) {
      if (active !== undefined && !active[b]) continue;
      const [t, pos] = [tokens[b] as number, this.positions[b] as number];
      requireArg("KvDecoder.step", Number.isInteger(t) && t >= 0 && t < vocabSize, `token ids in 0..${vocabSize - 1}`, t);
      requireArg("KvDecoder.step", pos < maxLen, `sequences shorter than maxLen (${maxLen})`, pos);
      for (let i = 0; i < dModel; i++) x0[b * dModel + i] = (this.tokEmb[t * dModel + i] as number) + (this.posEmb[pos * dModel + i] as number);
    }
    let x: tf.Tensor2D = tf.tensor2d(x0, [this.batch, dModel]);
    this.layers.forEach((w, l) => {
      const qkvT = tf.tidy(() => tf.matMul(layerNorm(x, w.ln1[0], w.ln1[1]), w.wqkv));
      const att = this.attend(l, qkvT.dataSync() as Float32Array, active, sparse);
      qkvT.dispose();
      const next = tf.tidy(() => {
        const x1 = tf.add(x, tf.matMul(tf.tensor2d(att, [this.batch, dModel]), w.wo)) as tf.Tensor2D;
        const m = gelu(tf.add(tf.matMul(layerNorm(x1, w.ln2[0], w.ln2[1]), w.w1), w.b1));
        return tf.add(x1, tf.add(tf.matMul(m, w.w2), w.b2)) as tf.Tensor2D;
      });
      x.dispose();
      x = next;
    });
    const logitsT = tf.tidy(() => tf.matMul(layerNorm(x, this.lnf[0], this.lnf[1]), this.embT));
    const logits = Float32Array.from(logitsT.dataSync());
    tf.dispose([x, logitsT]);
    for (let b = 0; b < this.batch; b++) if (active === undefined || active[b]) this.positions[b]! += 1;
    return logits;
  }

  /** Write this step's keys/values into the cache and attend over it; returns [B, D] head outputs. */
  private attend(l: number, qkv: Float32Array, active?: ArrayLike<boolean>, sparse?: ArrayLike<boolean>): Float32Array {
    const { dModel, heads, kvHeads } = this.model.config;
    const out = new Float32Array(this.batch * dModel);
    if (this.sparse) {
      this.sparse.attend(l, qkv, this.positions, out, active, sparse);
      return out;
    }
    decodeAttention(qkv, this.positions, this.k[l] as Float32Array[], this.v[l] as Float32Array[], { heads, kvHeads, headDim: dModel / heads }, out, active);
    return out;
  }

  /** Free the tensors the decoder derived (the model's variables are untouched). */
  dispose(): void {
    tf.dispose([...this.layers.map((w) => w.wqkv), this.embT]);
  }
}
