import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { generateProblem } from "./chain-problem.ts";
import { CHAIN_TOKENIZER, CharTokenizer } from "./char-tokenizer.ts";
import { formatPrompt, formatSolution } from "./format.ts";

const tok = CHAIN_TOKENIZER;

describe("CharTokenizer", () => {
  it("has the documented vocabulary and special ids", () => {
    expect(tok.vocabSize).toBe(20);
    expect([tok.pad, tok.bos, tok.eos, tok.sep]).toEqual([0, 1, 2, 3]);
    expect(tok.vocab.slice(0, 4)).toEqual(["<pad>", "<bos>", "<eos>", "\n"]);
    expect(tok.encode("+5=352", { bos: true })).toEqual([1, 14, 9, 17, 7, 9, 6]);
    expect(tok.encode("\n")).toEqual([tok.sep]);
  });

  it("round-trips every level's prompts and solutions", () => {
    const r = rng("tok");
    for (let level = 1; level <= 8; level++) {
      for (let i = 0; i < 50; i++) {
        const text = formatPrompt(generateProblem(r, level)) + formatSolution(generateProblem(r, level));
        const ids = tok.encode(text, { bos: true, eos: true });
        expect(ids).toHaveLength(text.length + 2);
        expect(tok.decode(ids)).toBe(text);
      }
    }
  });

  it("drops PAD and BOS, stops at EOS unless told not to", () => {
    const ids = [tok.bos, ...tok.encode("#1"), tok.eos, ...tok.encode("23"), tok.pad, tok.pad];
    expect(tok.decode(ids)).toBe("#1");
    expect(tok.decode(ids, { stopAtEos: false })).toBe("#123");
    expect(tok.decode(Int32Array.from(ids))).toBe("#1");
  });

  it("rejects unknown characters and ids, and bad vocabularies", () => {
    expect(() => tok.encode("12/3")).toThrow('CharTokenizer.encode requires characters in the vocabulary, got "\\"/\\" at index 2"');
    expect(() => tok.decode([20])).toThrow("CharTokenizer.decode requires ids in 0..19, got \"20 at index 0\"");
    expect(() => new CharTokenizer(["a", "a"])).toThrow("CharTokenizer requires distinct single characters");
    expect(() => new CharTokenizer(["ab"])).toThrow("CharTokenizer requires distinct single characters");
    expect(() => new CharTokenizer(["\n"])).toThrow("CharTokenizer requires distinct single characters");
  });
});
