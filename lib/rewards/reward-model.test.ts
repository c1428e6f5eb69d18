import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { Adam } from "../models/adam.ts";
import { TINY } from "../models/models-fixtures.test-util.ts";
import { createTransformer } from "../models/transformer.ts";
import { loadCheckpoint } from "../models/checkpoint.ts";
import { generateProblem, makeProblem } from "../tasks/chain-problem.ts";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import { formatPrompt, formatSolution, parseProblem } from "../tasks/format.ts";
import { rewardExample, transformerVerifier, rewardObjective, scorePositions, stepEndPositions } from "./reward-model.ts";
import { checkerLabels, completionLines, rolloutLabels } from "./step-labels.ts";

const p = makeProblem(347, [{ kind: "+", operand: 5 }, { kind: "-", operand: 8 }]); // 347 → 352 → 344
const prompt = formatPrompt(p);
const good = formatSolution(p); // "+005=724533\n-008=245433\n#344"
const bad = "+005=724533\n-008=255433\n#345";

describe("reward model plumbing", () => {
  beforeAll(async () => void (await selectBackend({ name: "wasm" })));

  it("scores the end of every line, partial last lines included", () => {
    expect(completionLines(good)).toEqual(["+005=724533\n", "-008=245433\n", "#344"]);
    expect(stepEndPositions(good, 10)).toEqual([10 + 11, 10 + 23, 10 + 27]);
    expect(stepEndPositions("+005=72", 10)).toEqual([16]);
    expect(stepEndPositions("", 10)).toEqual([]);
  });

  it("labels lines with the step checker: good until the first wrong line", () => {
    expect(checkerLabels(p, good)).toEqual([1, 1, 1]);
    expect(checkerLabels(p, bad)).toEqual([1, 0, 0]);
    expect(checkerLabels(p, "+005=724533\n-00")).toEqual([1, 0]); // a partial line is not a right line
  });

  it("the objective is the binary cross-entropy of the scores it reads", () => {
    const model = createTransformer(TINY, rng("rm"));
    const examples = [rewardExample(prompt, good, [1, 1, 1], "prm"), rewardExample(prompt, bad, [1, 0.25, 0], "prm"), rewardExample(prompt, bad, [0], "orm")];
    const scores = scorePositions(model, examples.map((e) => e.tokens), examples.map((e) => e.positions));
    let expected = 0;
    let count = 0;
    examples.forEach((e, i) => e.labels.forEach((y, k) => {
      const s = scores[i]![k]!;
      expected -= y * Math.log(s) + (1 - y) * Math.log(1 - s);
      count++;
    }));
    const batch = rewardObjective().prepare(examples);
    const loss = tf.tidy(() => batch.loss(model).dataSync()[0]!);
    batch.dispose();
    expect(loss).toBeCloseTo(expected / count, 5);
    model.dispose();
  });

  it("a gradient step on the objective lowers it, and leaks nothing", () => {
    const model = createTransformer(TINY, rng("rm-step"));
    const examples = [rewardExample(prompt, good, [1, 1, 1], "prm"), rewardExample(prompt, bad, [1, 0, 0], "prm")];
    const before = tf.memory().numTensors;
    const objective = rewardObjective();
    const lossOf = () => {
      const b = objective.prepare(examples);
      const v = tf.tidy(() => b.loss(model).dataSync()[0]!);
      b.dispose();
      return v;
    };
    const l0 = lossOf();
    const adam = new Adam(model.params);
    for (let i = 0; i < 5; i++) {
      const b = objective.prepare(examples);
      const { value, grads } = tf.variableGrads(() => b.loss(model), model.params as tf.Variable[]);
      adam.apply(model.params.map((q) => grads[q.name]!), 1e-2);
      tf.dispose([value, ...Object.values(grads)]);
      b.dispose();
    }
    expect(lossOf()).toBeLessThan(l0 - 0.05);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("as a Verifier: one score per line (PRM) or per solution (ORM), independent of batching", async () => {
    const model = createTransformer(TINY, rng("rm-verifier"));
    const before = tf.memory().numTensors;
    const solutions = [good, bad, "+005=72", ""];
    const prm = await transformerVerifier(model, { name: "prm", kind: "prm" }).scoreSteps(prompt, solutions);
    const prm1 = await transformerVerifier(model, { name: "prm", kind: "prm", batchSize: 1 }).scoreSteps(prompt, solutions);
    expect(prm.scores.map((s) => s.length)).toEqual([3, 3, 1, 0]);
    prm.scores.flat().forEach((s, i) => expect(s).toBeCloseTo(prm1.scores.flat()[i]!, 6));
    const promptTokens = CHAIN_TOKENIZER.encode(prompt, { bos: true }).length;
    expect(prm.usage.tokens).toBe(solutions.reduce((a, s) => a + promptTokens + s.length, 0));
    // the score of a line is the score at that position of the full solution: a prefix reads the same
    const prefix = await transformerVerifier(model, { name: "prm", kind: "prm" }).scoreSteps(prompt, ["+005=724533\n"]);
    expect(prefix.scores[0]![0]).toBeCloseTo(prm.scores[0]![0]!, 5);
    const orm = await transformerVerifier(model, { name: "orm", kind: "orm" }).scoreSteps(prompt, [good, bad, ""]);
    expect(orm.scores.map((s) => s.length)).toEqual([1, 1, 1]); // an empty solution is scored at the prompt's end
    expect(orm.scores[0]![0]).toBeCloseTo(prm.scores[0]![2]!, 5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("as a Verifier with its prefix cache (the default): the full forward pass's scores to 1e-6, the same usage, and counts of what it did not run", async () => {
    const model = createTransformer(TINY, rng("rm-cache"));
    const before = tf.memory().numTensors;
    const [cached, full] = [transformerVerifier(model, { name: "prm", kind: "prm" }), transformerVerifier(model, { name: "prm", kind: "prm", prefixCache: false })];
    const solutions = [good, bad, "+005=72", ""];
    const [a, b] = [await cached.scoreSteps(prompt, solutions), await full.scoreSteps(prompt, solutions)];
    expect(a.usage).toEqual(b.usage);
    expect(a.scores.map((s) => s.length)).toEqual(b.scores.map((s) => s.length));
    a.scores.flat().forEach((x, i) => expect(Math.abs(x - b.scores.flat()[i]!)).toBeLessThan(1e-6));
    // Cold: the shared prompt (L tokens, the empty solution's whole sequence) runs once, then 28 + 28 + 7 solution tokens.
    const l = CHAIN_TOKENIZER.encode(prompt, { bos: true }).length;
    expect(cached.counts()).toEqual({ calls: 1, tokens: 4 * l + 63, cachedTokens: 3 * l });
    // Warm: a solution scored before runs nothing; "+005=72" continued as "+005=720\n" runs only its 2 new tokens.
    const again = await cached.scoreSteps(prompt, [good, "+005=720\n"]);
    expect(again.scores[0]).toEqual(a.scores[0]);
    expect(cached.counts()).toEqual({ calls: 2, tokens: 6 * l + 63 + 28 + 9, cachedTokens: 3 * l + (l + 28) + (l + 7) });
    expect([cached.prefixCache === null, full.prefixCache]).toEqual([false, null]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("rollout labels: the last line by its outcome, the others by rollouts only", () => {
    const model = createTransformer(TINY, rng("rm-rollout"));
    const progress: [number, number][] = [];
    const items = [{ problem: p, completion: good }, { problem: p, completion: bad }];
    const labels = rolloutLabels(model, items, { rollouts: 3, rng: rng("r"), maxBatch: 4, onProgress: (d, t) => progress.push([d, t]) });
    // a random-init policy never completes a trace, so only the outcome of a right completion is 1:
    // the checker's labels ([1, 1, 1] and [1, 0, 0]) are not what rollouts see.
    expect(labels).toEqual([[0, 0, 1], [0, 0, 0]]);
    expect(progress.at(-1)).toEqual([12, 12]); // 2 items × 2 non-final lines × 3 rollouts
    expect(() => rolloutLabels(model, items, { rollouts: 0, rng: rng("r") })).toThrow("rolloutLabels requires a positive integer number of rollouts");
    model.dispose();
  });

  it("rollout labels of one item do not depend on a long item batched with it (each rollout has its own room)", () => {
    // data/models/policy-60k writes "163-3+4" right about 9 times in 10 once its first line is right.
    const policy = loadCheckpoint("data/models/policy-60k").model;
    const q = parseProblem("163-3+4");
    const right = { problem: q, completion: "-003=306611\n+004=046611\n#164" };
    // a 13-line completion of a 12-step problem: its prefixes leave almost no room in the context
    const long = generateProblem(rng("long"), 8);
    const ramble = { problem: long, completion: `${formatSolution(long).split("\n").slice(0, 12).join("\n")}\n${"+001=000000\n".repeat(1)}#000` };
    const alone = rolloutLabels(policy, [right], { rollouts: 8, rng: rng("rooms") });
    const together = rolloutLabels(policy, [right, ramble], { rollouts: 8, rng: rng("rooms") });
    expect(together[0]).toEqual(alone[0]);
    expect(alone[0]![0]).toBeGreaterThanOrEqual(0.5);
    policy.dispose();
  }, 60_000);

  it("rejects mismatched labels", () => {
    expect(() => rewardExample(prompt, good, [1, 1], "prm")).toThrow("rewardExample requires 3 label(s) for the completion's lines, got 2");
    expect(() => rewardExample(prompt, good, [2], "orm")).toThrow("rewardExample requires labels in [0, 1]");
  });
});
