import { describe, expect, it } from "vitest";
import { CharTokenizer } from "../tasks/char-tokenizer.ts";
import { CompletionChoice } from "./completion-choice.ts";

// ids: 0 pad, 1 bos, 2 eos, 3 "\n", 4 "a", 5 "b", 6 "c"
const tok = new CharTokenizer(["a", "b", "c"]);
const flat = new Float32Array(7);
const push = (c: CompletionChoice, text: string) => [...text].map((ch) => c.push(tok.encode(ch)[0]!, -1, flat));

describe("CompletionChoice", () => {
  it("cuts the text before the first stop string to complete, across tokens, keeping every token's log-prob", () => {
    const c = new CompletionChoice(0, tok, ["bc", "cc"], false, 0);
    expect(push(c, "abab")).toEqual([false, false, false, false]);
    expect(push(c, "c")).toEqual([true]);
    expect([c.text, c.finishReason, c.stopReason, c.generated]).toEqual(["aba", "stop", "bc", 5]);
    expect(c.toJSON().logprobs).toEqual({ tokens: ["a", "b", "a", "b", "c"], token_logprobs: [-1, -1, -1, -1, -1], top_logprobs: null, text_offset: [0, 1, 2, 3, 4] });
    const kept = new CompletionChoice(0, tok, ["bc"], true, undefined);
    push(kept, "abc");
    expect([kept.text, kept.toJSON().logprobs]).toEqual(["abc", null]);
  });

  it("streams deltas that hold back a possible stop-string start and add up to the final text", () => {
    const c = new CompletionChoice(3, tok, ["bca"], false, undefined);
    const deltas: string[] = [];
    for (const ch of "abcbcc") {
      push(c, ch);
      deltas.push(c.delta()?.text ?? "-");
    }
    // "b" and "bc" could begin "bca": held until "bcb" / "bcc" rule it out.
    expect(deltas).toEqual(["a", "", "", "bc", "", "bcc"]);
    c.finish("length");
    expect(c.delta()).toEqual({ index: 3, text: "", logprobs: null, finish_reason: "length", stop_reason: null });
    expect(deltas.join("")).toBe(c.text);
    const stopped = new CompletionChoice(0, tok, ["bca"], false, undefined);
    const parts = [..."abca"].map((ch) => (push(stopped, ch), stopped.delta()!.text));
    expect(parts).toEqual(["a", "", "", ""]);
    expect([stopped.text, stopped.finishReason, stopped.delta()]).toEqual(["a", "stop", undefined]);
  });

  it("maps the decoder's stop reasons and leaves EOS out of the text", () => {
    const eos = new CompletionChoice(0, tok, [], false, undefined);
    push(eos, "ab");
    eos.push(tok.eos, -0.5, flat);
    eos.finish("eos");
    expect([eos.text, eos.finishReason, eos.stopReason, eos.generated]).toEqual(["ab", "stop", null, 3]);
    for (const [reason, finish] of [["length", "length"], ["context", "length"], ["step", "stop"]] as const) {
      const c = new CompletionChoice(0, tok, [], false, undefined);
      c.finish(reason);
      expect(c.finishReason).toBe(finish);
    }
  });

  it("reports the k most likely tokens with their log-probabilities", () => {
    // logits ln(1), ln(2), …: p(id) = (id + 1) / 28 for ids 0..6 (sum 1 + … + 7 = 28).
    const logits = Float32Array.from({ length: 7 }, (_, i) => Math.log(i + 1));
    const c = new CompletionChoice(0, tok, [], false, 2);
    c.push(4, Math.log(5 / 28), logits);
    const top = c.toJSON().logprobs!.top_logprobs![0]!;
    expect(Object.keys(top).sort()).toEqual(["b", "c"]);
    expect(top.c).toBeCloseTo(Math.log(7 / 28), 6);
    expect(top.b).toBeCloseTo(Math.log(6 / 28), 6);
  });
});
