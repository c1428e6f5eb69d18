import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { countSimTokens, parseSimSolution } from "./step-text.ts";
import { SIM_STEP_WORLD_DEFAULTS, simStepWorld } from "./step-world.ts";

const world = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 6, stepSuccess: { alpha: 2, beta: 2 } }, rng(11));
const sample = (prefixes: string[], o: { n?: number; maxTokens?: number; stopAtStepEnd?: boolean; temperature?: number; seed?: number | string } = {}) =>
  world.policy.sampleSteps(prefixes, { maxTokens: o.maxTokens ?? 400, stopAtStepEnd: o.stopAtStepEnd ?? false, temperature: o.temperature ?? 1, n: o.n ?? 1, rng: rng(o.seed ?? 5) });

/** Mann–Whitney AUC of scores of positives over negatives (ties count ½). */
function auc(pos: number[], neg: number[]): number {
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

function correlation(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0, sxx = 0, syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * ((y[i] as number) - my);
    sxx += (xi - mx) ** 2;
    syy += ((y[i] as number) - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe("simStepWorld policy", () => {
  it("gets a step right with the problem's probability q, tempered by the temperature", async () => {
    for (const p of world.problems.slice(0, 3)) {
      for (const t of [1, 0.5]) {
        const res = await sample([p.prompt], { n: 400, stopAtStepEnd: true, temperature: t });
        const right = res.samples[0]!.filter((s) => parseSimSolution(s.text)[0]!.head.value === p.chain[0]).length / 400;
        const q = p.stepSuccess;
        const expected = q ** (1 / t) / (q ** (1 / t) + (1 - q) ** (1 / t)); // tempered two-way choice
        expect(Math.abs(right - expected)).toBeLessThan(4 * Math.sqrt(expected * (1 - expected) / 400) + 1e-9);
      }
    }
  });

  it("keeps a wrong solution wrong, answers the truth only when every step is right, and a distractor otherwise", async () => {
    const p = world.problems[1]!;
    const res = await sample([p.prompt], { n: 300 });
    let right = 0;
    for (const s of res.samples[0]!) {
      expect(s.finished).toBe(true);
      expect(s.tokens).toBe(countSimTokens(s.text));
      const steps = parseSimSolution(s.text);
      expect(steps).toHaveLength(p.chain.length);
      const allRight = steps.every((st, i) => st.head.value === p.chain[i]);
      const answer = steps[steps.length - 1]!.answer;
      if (allRight) right++;
      expect(answer === p.truth).toBe(allRight);
      if (!allRight) expect(p.distractors).toContain(answer);
    }
    // P(all S steps right) = q^S.
    const expected = p.stepSuccess ** p.chain.length;
    expect(Math.abs(right / 300 - expected)).toBeLessThan(4 * Math.sqrt(expected * (1 - expected) / 300) + 0.01);
  });

  it("does not depend on batching: a prefix's samples are the same alone, with others, or listed twice", async () => {
    const [a, b] = world.prompts as [string, string];
    const together = await sample([a, b], { n: 2, stopAtStepEnd: true });
    const alone = [await sample([a], { n: 2, stopAtStepEnd: true }), await sample([b], { n: 2, stopAtStepEnd: true })];
    expect(together.samples).toEqual([alone[0]!.samples[0], alone[1]!.samples[0]]);
    const twice = await sample([a, a], { n: 1, stopAtStepEnd: true });
    expect(twice.samples.flat()).toEqual(alone[0]!.samples[0]);
    expect(together.usage.promptTokens).toBe(2 * (countSimTokens(a) + countSimTokens(b)));
  });

  it("continues a step cut after τ tokens exactly as it would have gone on, whatever the stream", async () => {
    const p = world.problems[2]!;
    const full = (await sample([p.prompt], { n: 20, stopAtStepEnd: true })).samples[0]!;
    const cut = (await sample([p.prompt], { n: 20, stopAtStepEnd: true, maxTokens: 2 })).samples[0]!;
    for (let j = 0; j < 20; j++) {
      if (cut[j]!.stepEnded) {
        expect(cut[j]).toEqual(full[j]); // a 2-token step: nothing was cut
        continue;
      }
      const rest = (await sample([p.prompt + cut[j]!.text], { stopAtStepEnd: true, seed: "other" })).samples[0]![0]!;
      expect(cut[j]!.text + rest.text).toBe(full[j]!.text);
      expect(cut[j]!.tokens + rest.tokens).toBe(full[j]!.tokens);
      expect(rest.stepEnded || rest.finished).toBe(true);
    }
  });

  it("is greedy at temperature 0: the same step for every sample and stream", async () => {
    const a = await sample([world.prompts[0]!], { n: 3, temperature: 0, stopAtStepEnd: true, seed: 1 });
    const b = await sample([world.prompts[0]!], { n: 1, temperature: 0, stopAtStepEnd: true, seed: 2 });
    expect(new Set(a.samples[0]!.map((s) => s.text)).size).toBe(1);
    expect(a.samples[0]![0]).toEqual(b.samples[0]![0]);
  });

  it("refuses prefixes from another world", async () => {
    await expect(sample(["nope\n"])).rejects.toThrow("simPolicy.sampleSteps requires prefixes that start with one of the world's prompts");
  });
});

describe("simStepWorld verifier", () => {
  const w = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 4, stepTokens: { median: 8, sigma: 0 }, stepSuccess: { alpha: 1, beta: 1 }, verifier: { auc: 0.75, partialNoise: 1 } }, rng(3));

  it("separates right from wrong complete steps with the configured AUC", async () => {
    const pos: number[] = [];
    const neg: number[] = [];
    for (const p of w.problems) {
      const res = await w.policy.sampleSteps([p.prompt], { maxTokens: 400, stopAtStepEnd: false, temperature: 1, n: 150, rng: rng(8) });
      const texts = res.samples[0]!.map((s) => s.text);
      const scored = await w.verifier.scoreSteps(p.prompt, texts);
      texts.forEach((t, i) => {
        let ok = true;
        parseSimSolution(t).forEach((st, s) => {
          ok = ok && st.head.value === p.chain[s];
          (ok ? pos : neg).push(scored.scores[i]![s]!);
        });
      });
    }
    // Binormal model: AUC = Φ(μ/√2) = 0.75 by construction; ~2,000 steps give a standard error near 0.01.
    expect(Math.abs(auc(pos, neg) - 0.75)).toBeLessThan(0.04);
  });

  it("scores a partial step more like its final score the more of it there is, and exactly so when complete", async () => {
    const p = w.problems[0]!;
    const res = await w.policy.sampleSteps([p.prompt], { maxTokens: 400, stopAtStepEnd: true, temperature: 1, n: 300, rng: rng(9) });
    const full = res.samples[0]!.map((s) => s.text); // first steps, 8 tokens each
    const finalScores = (await w.verifier.scoreSteps(p.prompt, full)).scores.map((s) => s[0]!);
    const corr: number[] = [];
    for (const tau of [1, 2, 4, 7, 8]) {
      const cut = full.map((t) => {
        const tokens = t.replace("\n", " \n").split(" ").slice(0, tau);
        return tokens.join(" ").replace(" \n", "\n");
      });
      const partial = (await w.verifier.scoreSteps(p.prompt, cut)).scores.map((s) => s[0]!);
      corr.push(correlation(partial, finalScores));
      if (tau === 8) expect(partial).toEqual(finalScores);
    }
    for (let i = 1; i < corr.length; i++) expect(corr[i]!).toBeGreaterThan(corr[i - 1]!);
    expect(corr[0]!).toBeLessThan(0.8);
  });

  it("reports the tokens it read", async () => {
    const p = w.problems[1]!;
    const res = await w.verifier.scoreSteps(p.prompt, ["", "v1.a/2\n"]);
    expect(res.usage.tokens).toBe(2 * countSimTokens(p.prompt) + 2);
    expect(res.scores[0]).toEqual([0.5]);
  });
});

describe("simStepWorld", () => {
  it("is deterministic in its seed and checks its config", () => {
    const again = simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, problems: 6, stepSuccess: { alpha: 2, beta: 2 } }, rng(11));
    expect(again.problems).toEqual(world.problems);
    expect(world.isCorrect(world.prompts[0]!, world.problems[0]!.truth)).toBe(true);
    expect(world.isCorrect(world.prompts[0]!, null)).toBe(false);
    expect(() => simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, verifier: { auc: 0.4, partialNoise: 1 } }, rng(1))).toThrow("simStepWorld requires a verifier auc in (0.5, 1)");
    expect(() => simStepWorld({ ...SIM_STEP_WORLD_DEFAULTS, steps: { min: 3, max: 2 } }, rng(1))).toThrow("integer steps 1 <= min <= max");
  });
});
