import { UnknownNameError } from "../core/errors.ts";
import type { ModelShape } from "./model-shape.ts";

/** Qwen3 shapes share head dim 128, 8 KV heads, vocab 151,936 and QK-norm. */
function qwen3(name: string, hiddenSize: number, layers: number, queryHeads: number, intermediateSize: number, tieEmbeddings: boolean): ModelShape {
  return { name, hiddenSize, layers, queryHeads, kvHeads: 8, headDim: 128, intermediateSize, vocabSize: 151936, tieEmbeddings, qkNorm: true };
}

/** Llama 3 shapes: head dim 128, 8 KV heads, vocab 128,256, untied, no QK-norm. */
function llama3(name: string, hiddenSize: number, layers: number, queryHeads: number, intermediateSize: number): ModelShape {
  return { name, hiddenSize, layers, queryHeads, kvHeads: 8, headDim: 128, intermediateSize, vocabSize: 128256, tieEmbeddings: false, qkNorm: false };
}

/**
 * Real model shapes, transcribed from their `config.json` / `params.json`.
 * Sources, published parameter counts and the values not confirmed here are in
 * `data/papers/model-shapes.json`; a test checks that file and this table agree
 * and that {@link parameterCount} lands within 2.5% of the published totals.
 *
 * @see data/papers/model-shapes.json
 */
export const MODEL_SHAPES: Readonly<Record<string, ModelShape>> = Object.freeze({
  "Qwen3-0.6B": qwen3("Qwen3-0.6B", 1024, 28, 16, 3072, true),
  "Qwen3-1.7B": qwen3("Qwen3-1.7B", 2048, 28, 16, 6144, true),
  "Qwen3-4B": qwen3("Qwen3-4B", 2560, 36, 32, 9728, true),
  "Qwen3-8B": qwen3("Qwen3-8B", 4096, 36, 32, 12288, false),
  "Qwen3-14B": qwen3("Qwen3-14B", 5120, 40, 40, 17408, false),
  "Qwen3-32B": qwen3("Qwen3-32B", 5120, 64, 64, 25600, false),
  "Llama-3-8B": llama3("Llama-3-8B", 4096, 32, 32, 14336),
  "Llama-3-70B": llama3("Llama-3-70B", 8192, 80, 64, 28672),
});

/** The Qwen3 dense models Kinetics studies, smallest first. */
export const QWEN3_DENSE = ["Qwen3-0.6B", "Qwen3-1.7B", "Qwen3-4B", "Qwen3-8B", "Qwen3-14B", "Qwen3-32B"] as const;

/**
 * Look a model shape up by name.
 *
 * @throws UnknownNameError listing the known names
 */
export function modelShape(name: string): ModelShape {
  const shape = MODEL_SHAPES[name];
  if (shape === undefined) throw new UnknownNameError("modelShape", "model", name, Object.keys(MODEL_SHAPES));
  return shape;
}
