import { requireArg } from "../core/errors.ts";

/**
 * The shape of a dense decoder-only transformer (Llama / Qwen family: pre-norm
 * RMSNorm, grouped-query attention without biases, SwiGLU MLP), as its
 * `config.json` states it. Enough to count parameters, FLOPs and KV-cache bytes.
 */
export interface ModelShape {
  /** Name, e.g. `"Qwen3-8B"`. */
  name: string;
  /** Residual width (`hidden_size`). */
  hiddenSize: number;
  /** Transformer blocks (`num_hidden_layers`). */
  layers: number;
  /** Query heads H_q (`num_attention_heads`). */
  queryHeads: number;
  /** Key/value heads H_kv (`num_key_value_heads`). */
  kvHeads: number;
  /** Per-head width d (`head_dim`; Llama: hidden / heads). */
  headDim: number;
  /** SwiGLU inner width (`intermediate_size`). */
  intermediateSize: number;
  /** Vocabulary size (`vocab_size`). */
  vocabSize: number;
  /** Whether the LM head reuses the embedding matrix (`tie_word_embeddings`). */
  tieEmbeddings: boolean;
  /** Whether each layer normalises queries and keys per head (Qwen3's q_norm / k_norm). */
  qkNorm: boolean;
  /**
   * Block style. `"swiglu"` (default): Llama/Qwen — RMSNorm, no biases, gated
   * MLP with three matrices. `"gelu"`: GPT-2 style, as our tiny transformer —
   * LayerNorm (gain and bias), a two-matrix GELU MLP with biases.
   */
  mlp?: "swiglu" | "gelu";
  /** Rows of a learned position table (not multiplied by, so only in the totals). Default 0 (rotary). */
  learnedPositions?: number;
}

/** Parameter counts of a {@link ModelShape}, each an exact integer. */
export interface ParameterCount {
  /** Weights of one block: Q, K, V, O projections, gate/up/down MLP, its norms. */
  perLayer: number;
  /** The weight matrices of one block that a token multiplies (no norm vectors). */
  perLayerMatmul: number;
  /** Embedding matrix, vocab × hidden. */
  embedding: number;
  /** All blocks plus the final norm: the "non-embedding" count model cards publish. */
  nonEmbedding: number;
  /** Parameters stored: non-embedding + embedding + (untied) LM head. */
  total: number;
  /**
   * Parameters a token multiplies by: every block's matrices plus the LM head
   * (vocab × hidden, tied or not; the embedding lookup is a gather, not a matmul).
   * Forward FLOPs per token ≈ 2 × this.
   */
  matmul: number;
}

/**
 * Count the parameters of a model from its shape.
 *
 * Per block: Q [h, H_q·d], K and V [h, H_kv·d], O [H_q·d, h]; MLP gate and up
 * [h, i] and down [i, h]; two RMSNorm vectors of h; with qkNorm two more of d.
 * Plus the final RMSNorm (h), the embedding (V·h) and, untied, the LM head (V·h).
 * With `mlp: "gelu"`: MLP up [h, i] (+ bias i) and down [i, h] (+ bias h), two
 * LayerNorms of 2·h each and a final one of 2·h, plus `learnedPositions`·h
 * (exactly our tiny transformer's `countParams`).
 *
 * @throws InvalidArgumentError unless every size is a positive integer and H_kv divides H_q
 * @example
 * parameterCount(modelShape("Qwen3-8B")).nonEmbedding // 6,946,071,552 (card: 6.95B)
 * @see data/papers/model-shapes.json; HF transformers Qwen3/Llama modeling code for the layer list
 */
export function parameterCount(shape: ModelShape): ParameterCount {
  const sizes = [shape.hiddenSize, shape.layers, shape.queryHeads, shape.kvHeads, shape.headDim, shape.intermediateSize, shape.vocabSize];
  requireArg("parameterCount", sizes.every((x) => Number.isSafeInteger(x) && x >= 1), "positive integer sizes", shape);
  requireArg("parameterCount", shape.queryHeads % shape.kvHeads === 0, "kvHeads to divide queryHeads", shape);
  const { hiddenSize: h, headDim: d, intermediateSize: i } = shape;
  const gelu = shape.mlp === "gelu";
  const positions = shape.learnedPositions ?? 0;
  requireArg("parameterCount", Number.isSafeInteger(positions) && positions >= 0, "an integer learnedPositions >= 0", positions);
  const attention = h * shape.queryHeads * d * 2 + h * shape.kvHeads * d * 2;
  const perLayerMatmul = attention + (gelu ? 2 : 3) * h * i;
  // RMSNorm: a gain per norm; LayerNorm: gain and bias; GELU MLP biases i + h.
  const norms = (gelu ? 4 * h + i + h : 2 * h) + (shape.qkNorm ? 2 * d : 0);
  const perLayer = perLayerMatmul + norms;
  const embedding = shape.vocabSize * h;
  const nonEmbedding = shape.layers * perLayer + (gelu ? 2 * h : h);
  const total = nonEmbedding + embedding * (shape.tieEmbeddings ? 1 : 2) + positions * h;
  const matmul = shape.layers * perLayerMatmul + embedding;
  return { perLayer, perLayerMatmul, embedding, nonEmbedding, total, matmul };
}

/**
 * KV-cache elements one token adds: K and V for every KV head of every layer,
 * 2 · layers · H_kv · d. Multiply by bytes per element for bytes.
 */
export function kvElementsPerToken(shape: ModelShape): number {
  return 2 * shape.layers * shape.kvHeads * shape.headDim;
}
