import { describe, expect, it } from "vitest";
import type { Verifier } from "../rewards/verifier.ts";
import { HttpError } from "./http-error.ts";
import { parsePoolingRequest, scorePooling, splitPoolingInput } from "./pooling.ts";

describe("splitPoolingInput", () => {
  it("cuts after the problem line, and turns tagged steps into separator-joined steps", () => {
    expect(splitPoolingInput("347+5\n+5=724533\n#352")).toEqual({ prompt: "347+5\n", solution: "+5=724533\n#352" });
    expect(splitPoolingInput("347+5")).toEqual({ prompt: "347+5", solution: "" });
    // RewardModelVerifier's default input: prompt + "\n" + steps.join(tag) + tag (the prompt already ends with "\n").
    expect(splitPoolingInput("347+5\n\n+5=724533<extra_0>#352<extra_0>")).toEqual({ prompt: "347+5\n", solution: "+5=724533\n#352" });
    expect(splitPoolingInput("347+5\n+5=724533ки#352ки", "ки", "|")).toEqual({ prompt: "347+5\n", solution: "+5=724533|#352" });
  });
});

describe("parsePoolingRequest", () => {
  const split = (t: string) => splitPoolingInput(t);
  it("reads input strings and chat messages", () => {
    expect(parsePoolingRequest({ model: "prm", input: "1\n+1=1020" }, "prm", split)).toEqual([{ prompt: "1\n", solution: "+1=1020" }]);
    const messages = [
      { role: "system", content: "S:" },
      { role: "user", content: "1\n" },
      { role: "assistant", content: "+1=1020" },
    ];
    expect(parsePoolingRequest({ messages, task: "token_classify" }, "prm", split)).toEqual([{ prompt: "S:1\n", solution: "+1=1020" }]);
  });

  it("refuses bad bodies with the field named", () => {
    const param = (body: unknown) => {
      try {
        parsePoolingRequest(body, "prm", split);
      } catch (e) {
        return [(e as HttpError).status, (e as HttpError).param];
      }
      return "accepted";
    };
    expect(param("x")).toEqual([400, "the body"]);
    expect(param({ input: [] })).toEqual([400, "input"]);
    expect(param({ input: [[1, 2]] })).toEqual([400, "input"]);
    expect(param({ messages: [{ role: "assistant", content: "x" }] })).toEqual([400, "messages"]);
    expect(param({ model: "other", input: "x" })).toEqual([404, "model"]);
  });
});

describe("scorePooling", () => {
  it("refuses a verifier that returns the wrong number of score lists or scores outside [0, 1]", async () => {
    const liar = (scores: number[][]): Verifier => ({ name: "liar", scoreSteps: async () => ({ scores, usage: { tokens: 0 } }) });
    const items = [{ prompt: "1\n", solution: "a" }];
    await expect(scorePooling(liar([]), items, "pool-1", 0)).rejects.toThrow(/scorePooling requires verifier "liar" to return 1 score lists/);
    await expect(scorePooling(liar([[1.5]]), items, "pool-1", 0)).rejects.toThrow(HttpError);
    const ok = await scorePooling(liar([[0.25]]), items, "pool-1", 0);
    expect(ok.data).toEqual([{ index: 0, object: "pooling", data: [[0.75, 0.25]] }]);
  });
});
