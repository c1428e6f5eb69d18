import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { rng } from "../../lib/core/rng.ts";
import { TINY } from "../../lib/models/models-fixtures.test-util.ts";
import { createTransformer } from "../../lib/models/transformer.ts";
import { transformerVerifier } from "../../lib/rewards/reward-model.ts";
import { partialScoringPrm, type PartialReading } from "./partial-scoring-prm.ts";

// An untrained model: its scores are arbitrary but fixed, which is all the equalities below need.
const model = createTransformer(TINY, rng(3));
// A short prompt keeps the forward passes cheap on the cpu backend; any text of the chain vocabulary will do.
const prompt = "347+005-008\n";
// An open step, a finished step, an unfinished answer line, a finished one, nothing.
const SOLUTIONS = ["+005=724533\n-0", "+005=724533\n-008=245433\n", "+005=724533\n#40", "#408", ""];
const reference = transformerVerifier(model, { name: "ref", kind: "prm" });
afterAll(() => model.dispose());

/** What each reading hands the PRM: an open step line gets a separator appended under "step-end". */
function asRead(text: string, reading: PartialReading): string {
  const last = text.slice(text.lastIndexOf("\n", text.length - 2) + 1);
  return reading === "step-end" && text !== "" && !text.endsWith("\n") && !last.startsWith("#") ? text + "\n" : text;
}

/** A solution's last line cut after τ = 1, 2, … tokens, each as a solution of its own. */
function cuts(sol: string): string[] {
  const body = sol.endsWith("\n") ? sol.slice(0, -1) : sol;
  const start = body.lastIndexOf("\n") + 1;
  return Array.from({ length: sol.length - start }, (_, k) => sol.slice(0, start + k + 1));
}

describe("partialScoringPrm", () => {
  it("scores like transformerVerifier (kind prm), an open last step read at its last token or at an appended separator", async () => {
    for (const reading of ["last-token", "step-end"] as const) {
      const want = await reference.scoreSteps(prompt, SOLUTIONS.map((s) => asRead(s, reading)));
      const got = await partialScoringPrm(model, { name: "rec", reading }).verifier.scoreSteps(prompt, SOLUTIONS);
      expect(got.usage).toEqual(want.usage);
      expect(got.scores.map((s) => s.length)).toEqual(want.scores.map((s) => s.length));
      got.scores.forEach((s, i) => s.forEach((v, j) => expect(v).toBeCloseTo(want.scores[i]![j]!, 6)));
    }
  });

  it("records each last line cut after τ = 1, 2, … tokens under both readings", async () => {
    const { verifier, rounds } = partialScoringPrm(model, { name: "rec", reading: "step-end", record: true, batchSize: 2 });
    await verifier.scoreSteps(prompt, SOLUTIONS);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]!.prompt).toBe(prompt);
    // Last lines: "-0" (2 tokens), "-008=245433\n" (12), "#40" (3), "#408" (4), none.
    for (const reading of ["last-token", "step-end"] as const) {
      const lines = rounds[0]!.lastLine[reading];
      expect(lines.map((l) => l.length)).toEqual([2, 12, 3, 4, 0]);
      const direct = await reference.scoreSteps(prompt, SOLUTIONS.flatMap(cuts).map((c) => asRead(c, reading))); // every cut scored on its own
      const expected = direct.scores.map((s) => s.at(-1) as number);
      expect(lines.flat()).toHaveLength(expected.length);
      lines.flat().forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 6));
    }
  });

  it("appends one round per call only when recording, and leaks no tensors", async () => {
    const quiet = partialScoringPrm(model, { name: "rec", reading: "last-token" });
    await quiet.verifier.scoreSteps(prompt, SOLUTIONS.slice(0, 1));
    expect(quiet.rounds).toEqual([]);
    const { verifier, rounds } = partialScoringPrm(model, { name: "rec", reading: "step-end", record: true });
    const before = tf.memory().numTensors;
    await verifier.scoreSteps(prompt, SOLUTIONS.slice(0, 2));
    await verifier.scoreSteps(prompt, SOLUTIONS.slice(2, 3));
    expect(tf.memory().numTensors).toBe(before);
    expect(rounds.map((r) => r.lastLine["step-end"].length)).toEqual([2, 1]);
  });

  it("refuses a bad batch size or reading, and text that is not one token per character", async () => {
    expect(() => partialScoringPrm(model, { name: "rec", reading: "step-end", batchSize: 0 })).toThrow("partialScoringPrm requires a positive integer batchSize, got 0");
    expect(() => partialScoringPrm(model, { name: "rec", reading: "middle" as PartialReading })).toThrow('partialScoringPrm requires a reading "step-end" or "last-token", got "middle"');
    const { verifier } = partialScoringPrm(model, { name: "rec", reading: "step-end" });
    await expect(verifier.scoreSteps(prompt, ["+5?"])).rejects.toThrow();
  });
});
