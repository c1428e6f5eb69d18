import { describe, expect, it } from "vitest";
import { countParams } from "../models/transformer-config.ts";
import { kvElementsPerToken, parameterCount } from "./model-shape.ts";
import { tinyModelShape } from "./tiny-shape.ts";

/** The three shipped tiny policies' configs (data/models/recipes/policy-*.json). */
const POLICIES = {
  "policy-35k": { vocabSize: 20, dModel: 32, layers: 2, heads: 4, dFF: 128, maxLen: 208 },
  "policy-60k": { vocabSize: 20, dModel: 48, layers: 2, heads: 4, dFF: 192, maxLen: 208 },
  "policy-200k": { vocabSize: 20, dModel: 64, layers: 4, heads: 4, dFF: 256, maxLen: 208 },
};

describe("tinyModelShape", () => {
  it.each(Object.entries(POLICIES))("%s: parameterCount.total equals the model's own countParams", (name, config) => {
    expect(parameterCount(tinyModelShape(name, config)).total).toBe(countParams(config));
  });

  it("policy-35k by hand: 25,216 weights multiplied per token, 32,512 stored, 256 KV elements per token", () => {
    // Per layer: Q, K, V, O 4·32·32 = 4,096 + MLP 2·32·128 = 8,192 → 12,288; two layers 24,576; tied head 20·32 = 640.
    const shape = tinyModelShape("policy-35k", POLICIES["policy-35k"]);
    const p = parameterCount(shape);
    expect(p.matmul).toBe(25_216);
    // + per layer 2 LayerNorms (4·32) and MLP biases (128 + 32); final LayerNorm 64; positions 208·32.
    expect(p.total).toBe(25_216 + 2 * (128 + 160) + 64 + 208 * 32);
    expect(p.total).toBe(32_512); // the training log's parameter count
    expect(kvElementsPerToken(shape)).toBe(2 * 2 * 4 * 8);
    expect([shape.headDim, shape.kvHeads]).toEqual([8, 4]);
  });

  it("GQA: kvHeads narrows K and V", () => {
    const shape = tinyModelShape("gqa", { ...POLICIES["policy-35k"], kvHeads: 2 });
    expect(parameterCount(shape).total).toBe(countParams({ ...POLICIES["policy-35k"], kvHeads: 2 }));
    expect(kvElementsPerToken(shape)).toBe(2 * 2 * 2 * 8);
  });

  it("checks its sizes", () => {
    expect(() => tinyModelShape("bad", { ...POLICIES["policy-35k"], heads: 5 })).toThrow("tinyModelShape requires heads dividing dModel and kvHeads dividing heads");
    expect(() => tinyModelShape("bad", { ...POLICIES["policy-35k"], layers: 0 })).toThrow("tinyModelShape requires positive integer sizes");
  });
});
