import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { gelu, layerNorm, matMul2d } from "./ops.ts";
import { paramSpecs, resolveConfig, type ParamSpec, type TransformerConfig } from "./transformer-config.ts";

/** Standard deviation of the normal initialisation (GPT-2). */
export const INIT_STD = 0.02;

/**
 * A decoder-only transformer on tfjs ops: token + learned position embedding,
 * pre-LN blocks of causal multi-head attention (MHA, or GQA/MQA with
 * `kvHeads`) and a GELU MLP, a final layer norm and an output head tied to the
 * token embedding.
 *
 * Written for the wasm backend (STACK.md): every projection is a 2-D
 * non-transposed matMul with a custom gradient ({@link matMul2d}), the token
 * embedding is a one-hot matMul (wasm has no gather gradient; its OneHot ignores a float32 dtype, so the int32 one-hot is cast), and the
 * residual stream stays 2-D, [B·T, D].
 *
 * The model owns its variables: call {@link Transformer.dispose} when done.
 */
export class Transformer {
  readonly config: Required<TransformerConfig>;
  /** Parameter names and shapes, in checkpoint order ({@link paramSpecs}). */
  readonly specs: readonly ParamSpec[];
  /** The trainable variables, in the order of `specs`. */
  readonly params: readonly tf.Variable[];
  private readonly byName: ReadonlyMap<string, tf.Variable>;

  /** Use {@link createTransformer}; this takes ownership of `params`. */
  constructor(config: TransformerConfig, params: tf.Variable[]) {
    this.config = resolveConfig(config);
    this.specs = paramSpecs(this.config);
    requireArg("Transformer", params.length === this.specs.length, `${this.specs.length} parameters`, params.length);
    this.specs.forEach((s, i) => requireArg("Transformer", sameShape(params[i]!.shape, s.shape), `${s.name} of shape [${s.shape}]`, params[i]!.shape));
    this.params = params;
    this.byName = new Map(this.specs.map((s, i) => [s.name, params[i] as tf.Variable]));
  }

  /** Total number of parameters. */
  get numParams(): number {
    return this.params.reduce((n, p) => n + p.size, 0);
  }

  /** The variable named `name` (see {@link paramSpecs}); owned by the model. */
  param(name: string): tf.Variable {
    const p = this.byName.get(name);
    requireArg("Transformer.param", p !== undefined, "a parameter name of this model", name);
    return p;
  }

  /**
   * Logits for every position (full recomputation, causal).
   *
   * @param tokens - [B, T] int32 token ids, T ≤ maxLen
   * @returns [B, T, V] logits; the caller disposes it
   */
  forward(tokens: tf.Tensor2D): tf.Tensor3D {
    const [batch, len] = tokens.shape;
    const { vocabSize, dModel, maxLen, layers } = this.config;
    requireArg("Transformer.forward", len >= 1 && len <= maxLen, `1..${maxLen} tokens per row`, len);
    return tf.tidy(() => {
      const emb = this.param("tok_emb") as tf.Tensor2D;
      const oneHot = tf.cast(tf.oneHot(tf.reshape(tokens, [batch * len]), vocabSize), "float32") as tf.Tensor2D;
      const pos = tf.slice(this.param("pos_emb"), [0, 0], [len, dModel]);
      let x = tf.reshape(tf.add(tf.reshape(matMul2d(oneHot, emb), [batch, len, dModel]), pos), [batch * len, dModel]) as tf.Tensor2D;
      const mask = causalBias(len, this.config.heads / this.config.kvHeads);
      for (let l = 0; l < layers; l++) x = this.block(x, l, batch, len, mask);
      x = layerNorm(x, this.param("lnf.g") as tf.Tensor1D, this.param("lnf.b") as tf.Tensor1D);
      return tf.reshape(matMul2d(x, tf.transpose(emb)), [batch, len, vocabSize]);
    });
  }

  /** One pre-LN block on the residual stream x [B·T, D]; call inside tf.tidy. */
  private block(x: tf.Tensor2D, l: number, batch: number, len: number, mask: tf.Tensor2D): tf.Tensor2D {
    const { dModel, heads, kvHeads } = this.config;
    const [hd, group] = [dModel / heads, heads / kvHeads];
    const p = (n: string) => this.param(`l${l}.${n}`);
    const h = layerNorm(x, p("ln1.g") as tf.Tensor1D, p("ln1.b") as tf.Tensor1D);
    // Heads: [B·T, H·d] → [B, H, T, d]; consecutive query heads share a KV head, so → [B·H_kv, G·T, d].
    const split = (m: tf.Tensor2D, nh: number, rows: number) => tf.reshape(tf.transpose(tf.reshape(m, [batch, len, nh, hd]), [0, 2, 1, 3]), [batch * kvHeads, rows, hd]);
    const q = split(tf.mul(matMul2d(h, p("wq") as tf.Tensor2D), 1 / Math.sqrt(hd)), heads, group * len);
    const k = split(matMul2d(h, p("wk") as tf.Tensor2D), kvHeads, len);
    const v = split(matMul2d(h, p("wv") as tf.Tensor2D), kvHeads, len);
    const att = tf.softmax(tf.add(tf.matMul(q, k, false, true), mask)); // [B·H_kv, G·T, T]
    const o = tf.reshape(tf.transpose(tf.reshape(tf.matMul(att, v), [batch, heads, len, hd]), [0, 2, 1, 3]), [batch * len, dModel]) as tf.Tensor2D;
    x = tf.add(x, matMul2d(o, p("wo") as tf.Tensor2D));
    const h2 = layerNorm(x, p("ln2.g") as tf.Tensor1D, p("ln2.b") as tf.Tensor1D);
    const m = gelu(tf.add(matMul2d(h2, p("w1") as tf.Tensor2D), p("b1")) as tf.Tensor2D);
    return tf.add(x, tf.add(matMul2d(m, p("w2") as tf.Tensor2D), p("b2")));
  }

  /** Free the model's variables. */
  dispose(): void {
    tf.dispose(this.params as tf.Variable[]);
  }
}

/**
 * A model with fresh weights drawn from `rng`: N(0, 0.02²) matrices and
 * embeddings (each parameter from its own fork, `rng.fork("param/<name>")`),
 * output projections `wo`, `w2` scaled by 1/√(2·layers) (GPT-2), layer-norm
 * gains 1, biases 0. The same config and seed give identical weights.
 *
 * @returns a model that owns new variables; the caller disposes it
 * @throws InvalidArgumentError on an invalid config
 */
export function createTransformer(config: TransformerConfig, rng: Rng): Transformer {
  const c = resolveConfig(config);
  const params = paramSpecs(c).map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const leaf = s.name.slice(s.name.lastIndexOf(".") + 1);
    const values = new Float32Array(size);
    if (leaf === "g") values.fill(1);
    else if (s.shape.length === 2) {
      const std = leaf === "wo" || leaf === "w2" ? INIT_STD / Math.sqrt(2 * c.layers) : INIT_STD;
      const r = rng.fork(`param/${s.name}`);
      for (let i = 0; i < size; i++) values[i] = r.normal(0, std);
    }
    const init = tf.tensor(values, s.shape);
    const v = tf.variable(init, true);
    init.dispose();
    return v;
  });
  return new Transformer(c, params);
}

/** [G·T, T] additive causal mask: 0 where key j ≤ query position (row mod T), −1e9 elsewhere. */
function causalBias(len: number, group: number): tf.Tensor2D {
  const bias = new Float32Array(group * len * len);
  for (let r = 0; r < group * len; r++) for (let j = (r % len) + 1; j < len; j++) bias[r * len + j] = -1e9;
  return tf.tensor2d(bias, [group * len, len]);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
