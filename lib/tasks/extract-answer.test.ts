import { describe, expect, it } from "vitest";
import { extractAnswer } from "./extract-answer.ts";

describe("extractAnswer", () => {
  it("reads the first well-formed answer line", () => {
    expect(extractAnswer("+5=724533\n#352")).toBe(352);
    expect(extractAnswer("#007")).toBe(7);
    expect(extractAnswer("+5=724533\n#352\n#111")).toBe(352);
    expect(extractAnswer("#35\n#036")).toBe(36);
  });
  it("returns undefined without an answer line", () => {
    expect(extractAnswer("")).toBeUndefined();
    expect(extractAnswer("+5=724533\n-8=245433")).toBeUndefined();
    expect(extractAnswer("+5=724533#352")).toBeUndefined();
    expect(extractAnswer("#1234")).toBeUndefined();
  });
});
