import { requireArg } from "../core/errors.ts";
import type { TransformerConfig } from "../models/transformer-config.ts";
import type { ModelShape } from "./model-shape.ts";

/** The sizes of a tiny transformer that fix its cost: `lib/models`' config itself (the type only; no runtime dependency). */
export type TinyTransformerSizes = TransformerConfig;

/**
 * The {@link ModelShape} of one of our tiny tfjs transformers (`lib/models`):
 * GPT-2-style blocks (LayerNorm, GELU MLP with biases), learned positions, the
 * LM head tied to the embedding, head dim dModel / heads. With it every
 * `lib/cost` function prices the tiny policies as it prices Qwen3:
 * `parameterCount(shape).matmul` is the weights a token multiplies by (blocks
 * plus the tied head), `kvElementsPerToken` its KV width, and the Kinetics
 * eFLOPs (`kineticsEflops`, `kineticsDenseCost`) follow.
 *
 * @param name - a label, e.g. `"policy-35k"`
 * @throws InvalidArgumentError unless every size is a positive integer, heads divides dModel and kvHeads divides heads
 * @example
 * const shape = tinyModelShape("policy-35k", { vocabSize: 20, dModel: 32, layers: 2, heads: 4, dFF: 128, maxLen: 208 });
 * parameterCount(shape).total // 32,512 = countParams of that config
 * parameterCount(shape).matmul // 2·(4·32·32 + 2·32·128) + 20·32 = 25,216
 */
export function tinyModelShape(name: string, sizes: TinyTransformerSizes): ModelShape {
  const { vocabSize, dModel, layers, heads, dFF, maxLen } = sizes;
  const kvHeads = sizes.kvHeads ?? heads;
  const all = [vocabSize, dModel, layers, heads, kvHeads, dFF, maxLen];
  requireArg("tinyModelShape", all.every((x) => Number.isSafeInteger(x) && x >= 1), "positive integer sizes", sizes);
  requireArg("tinyModelShape", dModel % heads === 0 && heads % kvHeads === 0, "heads dividing dModel and kvHeads dividing heads", sizes);
  return {
    name,
    hiddenSize: dModel,
    layers,
    queryHeads: heads,
    kvHeads,
    headDim: dModel / heads,
    intermediateSize: dFF,
    vocabSize,
    tieEmbeddings: true,
    qkNorm: false,
    mlp: "gelu",
    learnedPositions: maxLen,
  };
}
