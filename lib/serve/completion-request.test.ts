import { describe, expect, it } from "vitest";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import { HttpError } from "./http-error.ts";
import { parseCompletionRequest, type CompletionLimits } from "./completion-request.ts";

const limits: CompletionLimits = { model: "tiny", maxLen: 16, maxSequences: 8, tokenizer: CHAIN_TOKENIZER };
const refused = (body: unknown): [number, string | null, string] => {
  try {
    parseCompletionRequest(body, limits);
  } catch (e) {
    if (e instanceof HttpError) return [e.status, e.param, e.message];
    throw e;
  }
  throw new Error("accepted");
};

describe("parseCompletionRequest", () => {
  it("fills OpenAI's defaults, vLLM's max_tokens default (the context left) and treats null as absent", () => {
    const r = parseCompletionRequest({ prompt: ["1+2\n", "12\n"], temperature: null, stop: null, seed: null }, limits);
    expect(r).toEqual({
      model: "tiny",
      promptTexts: ["1+2\n", "12\n"],
      prompts: [CHAIN_TOKENIZER.encode("1+2\n", { bos: true }), CHAIN_TOKENIZER.encode("12\n", { bos: true })],
      n: 1,
      maxTokens: [16 - 5, 16 - 4],
      temperature: 1,
      topP: 1,
      stop: [],
      seed: undefined,
      logprobs: undefined,
      stream: false,
      includeUsage: false,
      ignoreEos: false,
      includeStopStr: false,
    });
  });

  it("takes the sampling fields, a string stop, a string seed and vLLM's extensions", () => {
    const r = parseCompletionRequest(
      { model: "tiny", prompt: "1\n", n: 4, max_tokens: 13, temperature: 0, top_p: 0.5, stop: "\n", seed: "42/p-3", logprobs: 0, stream: true, stream_options: { include_usage: true }, ignore_eos: true, include_stop_str_in_output: true, user: "x", best_of: 4, logit_bias: {} },
      limits,
    );
    expect([r.n, r.maxTokens, r.temperature, r.topP, r.stop, r.seed, r.logprobs, r.stream, r.includeUsage, r.ignoreEos, r.includeStopStr]).toEqual([4, [13], 0, 0.5, ["\n"], "42/p-3", 0, true, true, true, true]);
  });

  it("refuses each bad field with a 400 that names it", () => {
    expect(refused([])).toEqual([400, "the body", "/v1/completions requires the body to be a JSON object, got []"]);
    expect(refused({ prompt: "1\n", max_tokens: 14 })).toEqual([400, "max_tokens", "/v1/completions requires max_tokens to be at most 13: the context is 16 tokens and the longest prompt takes 3 (BOS included), got 14"]);
    expect(refused({ prompt: "1".repeat(15) })[1]).toBe("prompt");
    expect(refused({ prompt: [] })[1]).toBe("prompt");
    expect(refused({ prompt: [[1, 2]] })[1]).toBe("prompt");
    expect(refused({ prompt: ["1", "2", "3"], n: 3 })).toEqual([400, "n", '/v1/completions requires n to be at most 8 sequences per request (prompts × n), got "3 × 3"']);
    expect(refused({ prompt: "1", n: 1.5 })[1]).toBe("n");
    expect(refused({ prompt: "1", temperature: -0.1 })[1]).toBe("temperature");
    expect(refused({ prompt: "1", top_p: 1.5 })[1]).toBe("top_p");
    expect(refused({ prompt: "1", seed: 1.5 })[1]).toBe("seed");
    expect(refused({ prompt: "1", stop: Array(17).fill("a") })[1]).toBe("stop");
    expect(refused({ prompt: "1", stream: "yes" })[1]).toBe("stream");
    expect(refused({ prompt: "1", stream_options: { include_usage: 1 } })[1]).toBe("stream_options.include_usage");
    expect(refused({ prompt: "1", best_of: 2 })[1]).toBe("best_of");
    expect(refused({ prompt: "1", suffix: "x" })[1]).toBe("suffix");
    expect(refused({ prompt: "1", presence_penalty: 0.5 })[1]).toBe("presence_penalty");
    expect(refused({ prompt: "1", logit_bias: { "4": 1 } })[1]).toBe("logit_bias");
    expect(refused({ model: "other", prompt: "1" }).slice(0, 2)).toEqual([404, "model"]);
  });
});
