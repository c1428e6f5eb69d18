import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kvElementsPerToken, parameterCount, type ModelShape } from "./model-shape.ts";
import { MODEL_SHAPES, modelShape, QWEN3_DENSE } from "./model-shapes.ts";

interface PaperModel extends Omit<ModelShape, "name"> {
  name: string;
  publishedParams: number;
  publishedNonEmbeddingParams: number | null;
  kineticsParams: number | null;
}
const papers = JSON.parse(readFileSync(new URL("../../data/papers/model-shapes.json", import.meta.url), "utf8")) as { models: PaperModel[] };

const rel = (a: number, b: number) => Math.abs(a - b) / b;

describe("parameterCount", () => {
  it("counts Qwen3-0.6B by hand", () => {
    // Per layer: q 1024·2048 + k 1024·1024 + v 1024·1024 + o 2048·1024 = 6,291,456;
    // MLP 3·1024·3072 = 9,437,184; norms 2·1024 + q/k-norm 2·128 = 2,304 → 15,730,944.
    // 28 layers + final norm 1024 = 440,467,456 (card: 0.44B non-embedding);
    // embedding 151,936·1024 = 155,582,464, tied → total 596,049,920 (card: 0.6B).
    const p = parameterCount(modelShape("Qwen3-0.6B"));
    expect(p.perLayer).toBe(15_730_944);
    expect(p.nonEmbedding).toBe(440_467_456);
    expect(p.embedding).toBe(155_582_464);
    expect(p.total).toBe(596_049_920);
    expect(p.matmul).toBe(28 * (6_291_456 + 9_437_184) + 155_582_464);
  });

  it("counts Llama-3-8B at 8,030,261,248 (the exact figure Hugging Face lists as 8.03B)", () => {
    // Per layer: 2·4096² + 2·4096·1024 + 3·4096·14336 + 2·4096 = 218,112,000; ×32 + 4096 + 2·128,256·4096.
    expect(parameterCount(modelShape("Llama-3-8B")).total).toBe(8_030_261_248);
  });

  it("lands within 2% of every published total and non-embedding count (published figures are rounded to 2–3 digits)", () => {
    for (const m of papers.models) {
      const p = parameterCount(modelShape(m.name));
      expect(rel(p.total, m.publishedParams), m.name).toBeLessThan(0.02);
      if (m.publishedNonEmbeddingParams !== null) expect(rel(p.nonEmbedding, m.publishedNonEmbeddingParams), m.name).toBeLessThan(0.02);
    }
  });

  it("explains Kinetics' P: our stored total within 0.5%, except Qwen3-0.6B and 1.7B where Kinetics counts the tied embedding twice", () => {
    for (const m of papers.models.filter((x) => x.kineticsParams !== null)) {
      const p = parameterCount(modelShape(m.name));
      const twice = m.name === "Qwen3-0.6B" || m.name === "Qwen3-1.7B";
      expect(rel(twice ? p.total + p.embedding : p.total, m.kineticsParams as number), m.name).toBeLessThan(0.005);
    }
  });

  it("refuses a KV head count that does not divide the query heads", () => {
    expect(() => parameterCount({ ...modelShape("Qwen3-8B"), kvHeads: 5 })).toThrow("parameterCount requires kvHeads to divide queryHeads");
  });

  it("KV elements per token: Qwen3-8B stores 2·36·8·128 = 73,728 (144 KiB in bf16)", () => {
    expect(kvElementsPerToken(modelShape("Qwen3-8B"))).toBe(73_728);
  });
});

describe("MODEL_SHAPES", () => {
  it("agrees field by field with data/papers/model-shapes.json", () => {
    expect(papers.models.map((m) => m.name).sort()).toEqual(Object.keys(MODEL_SHAPES).sort());
    for (const m of papers.models) {
      const s = modelShape(m.name);
      for (const k of ["hiddenSize", "layers", "queryHeads", "kvHeads", "headDim", "intermediateSize", "vocabSize", "tieEmbeddings", "qkNorm"] as const) {
        expect(s[k], `${m.name}.${k}`).toBe(m[k]);
      }
    }
  });

  it("Llama 3's FFN sizes follow from params.json by llama/model.py's rule", () => {
    // hidden = multiple_of · ⌈1.3 · ⌊2·4·dim/3⌋ / multiple_of⌉ (multiple_of 1024 for 8B, 4096 for 70B).
    const ffn = (dim: number, multipleOf: number) => multipleOf * Math.ceil(Math.floor(1.3 * Math.floor((2 * 4 * dim) / 3)) / multipleOf);
    expect(ffn(4096, 1024)).toBe(modelShape("Llama-3-8B").intermediateSize);
    expect(ffn(8192, 4096)).toBe(modelShape("Llama-3-70B").intermediateSize);
  });

  it("lists the Qwen3 dense family smallest first", () => {
    const totals = QWEN3_DENSE.map((n) => parameterCount(modelShape(n)).total);
    expect([...totals].sort((a, b) => a - b)).toEqual(totals);
  });

  it("an unknown name lists the known ones", () => {
    expect(() => modelShape("Qwen3-7B")).toThrow(/modelShape requires a known model \(one of: Qwen3-0.6B, .*\), got "Qwen3-7B"/);
  });
});
