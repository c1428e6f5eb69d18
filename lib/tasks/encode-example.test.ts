import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { generateProblem } from "./chain-problem.ts";
import { CHAIN_TOKENIZER as tok } from "./char-tokenizer.ts";
import { encodeExample } from "./encode-example.ts";
import { formatPrompt, formatSolution } from "./format.ts";

describe("encodeExample", () => {
  it("is BOS + prompt + solution + EOS, padded on request", () => {
    const p = generateProblem(rng("ex"), 3);
    const e = encodeExample(p, 128);
    expect(e.tokens).toHaveLength(128);
    expect(e.promptTokens).toBe(1 + formatPrompt(p).length);
    expect(e.lengthTokens).toBe(e.promptTokens + formatSolution(p).length + 1);
    expect(e.tokens[e.lengthTokens - 1]).toBe(tok.eos);
    expect(e.tokens.slice(e.lengthTokens).every((t) => t === tok.pad)).toBe(true);
    expect(tok.decode(e.tokens.slice(e.promptTokens))).toBe(formatSolution(p));
    expect(() => encodeExample(p, 5)).toThrow("encodeExample requires padTo >= the example's");
  });
});
