import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { Policy, SampleStepsOptions, SampleStepsResult, StepSample } from "../strategies/policy.ts";
import { countSimTokens, headToken, parseSimSolution, renderTokens, SIM_STEP_SEPARATOR, stepTokens, type SimStepHead } from "./step-text.ts";
import type { SimStepProblem } from "./step-world.ts";

/**
 * The simulated world's policy (see `simStepWorld`). A new step's draws come
 * from `options.rng.fork(<text before the step>).fork(<sample index>)`, where
 * continuation j of the o-th copy of a prefix in a call has sample index
 * o·n + j — so results depend only on the prefix and the sample index, never on
 * what else is in the batch, and listing a prefix twice equals asking it for
 * 2n continuations. Temperature T tempers the right/wrong choice,
 * q_T = q^(1/T) / (q^(1/T) + (1 − q)^(1/T)); T = 0 is greedy (right iff q ≥ ½,
 * the rest drawn from `rng.fork("greedy")` by prefix, the same for every sample).
 * A cut step continues deterministically from its head.
 *
 * @param problems - the world's problems (prompts must be distinct)
 * @param lengths - step length distribution (see `SimStepWorldConfig.stepTokens`)
 * @param rng - the world's policy stream (greedy choices, distractor picks)
 * @throws InvalidArgumentError (from sampleSteps) on a prefix of no known prompt, a malformed solution, n or maxTokens < 1, a negative temperature
 * @example
 * const world = simStepWorld(SIM_STEP_WORLD_DEFAULTS, rng(1)); // world.policy is simPolicy(world.problems, …)
 * const { samples } = await world.policy.sampleSteps([world.prompts[0]], { maxTokens: 4, stopAtStepEnd: true, temperature: 1, n: 2, rng: rng(2) });
 * samples[0][0].text; // e.g. "v673.h1cdir/6 f f f" (cut after 4 tokens)
 */
export function simPolicy(problems: readonly SimStepProblem[], lengths: { median: number; sigma: number }, rng: Rng): Policy {
  const byPrompt = new Map(problems.map((p) => [p.prompt, p]));
  const logMedian = Math.log(lengths.median);
  const answerOf = (p: SimStepProblem, values: readonly number[], head: SimStepHead): string => {
    if ([...values, head.value].every((v, j) => v === p.chain[j])) return p.truth;
    return p.distractors[pickWeighted(p.distractorWeights, rng.fork("answer").fork(`${p.id}/${headToken(head)}`))] as string;
  };
  const drawHead = (p: SimStepProblem, values: readonly number[], before: string, temperature: number, draw: Rng): SimStepHead => {
    const chainOk = values.every((v, j) => v === p.chain[j]);
    const r = temperature === 0 ? rng.fork("greedy").fork(before) : draw.fork(before);
    const q = p.stepSuccess;
    const a = temperature === 0 ? 0 : Math.pow(q, 1 / temperature);
    const b = temperature === 0 ? 0 : Math.pow(1 - q, 1 / temperature);
    const ok = chainOk && (temperature === 0 ? q >= 0.5 : r.next() < a / (a + b));
    const right = p.chain[values.length] as number;
    const value = ok ? right : (right + 1 + r.int(999)) % 1000;
    const nonce = r.uint32().toString(36);
    const length = Math.max(2, Math.round(Math.exp(r.normal(logMedian, lengths.sigma))));
    return { value, nonce, length };
  };

  const continuation = (prefix: string, options: SampleStepsOptions, draw: Rng): StepSample => {
    const cut = prefix.indexOf(SIM_STEP_SEPARATOR) + 1;
    const p = byPrompt.get(prefix.slice(0, cut));
    requireArg("simPolicy.sampleSteps", p !== undefined, "prefixes that start with one of the world's prompts", prefix.slice(0, 40));
    const parsed = parseSimSolution(prefix.slice(cut));
    const values = parsed.filter((s) => s.complete).map((s) => s.head.value);
    const last = parsed[parsed.length - 1];
    let partial = last !== undefined && !last.complete ? { head: last.head, tokens: last.tokens } : null;
    requireArg("simPolicy.sampleSteps", values.length + (partial ? 1 : 0) <= p.chain.length, `at most ${p.chain.length} steps for ${p.id}`, prefix.slice(cut));
    let text = "";
    let tokens = 0;
    const done = last?.complete === true && last.answer !== null;
    while (!done && tokens < options.maxTokens) {
      const head = partial?.head ?? drawHead(p, values, prefix + text, options.temperature, draw);
      const final = values.length === p.chain.length - 1;
      const all = stepTokens(head, final ? answerOf(p, values, head) : null);
      const from = partial?.tokens ?? 0;
      const take = Math.min(all.length - from, options.maxTokens - tokens);
      text += renderTokens(all, from, from + take);
      tokens += take;
      if (from + take < all.length) break;
      if (final) return { text, tokens, finished: true, stepEnded: false };
      values.push(head.value);
      partial = null;
      if (options.stopAtStepEnd) break;
    }
    return { text, tokens, finished: done, stepEnded: !done && tokens > 0 && text.endsWith(SIM_STEP_SEPARATOR) };
  };

  return {
    name: "sim-policy",
    stepSeparator: SIM_STEP_SEPARATOR,
    countTokens: countSimTokens,
    async sampleSteps(prefixes: readonly string[], options: SampleStepsOptions): Promise<SampleStepsResult> {
      const n = options.n ?? 1;
      requireArg("simPolicy.sampleSteps", Number.isSafeInteger(n) && n >= 1, "a positive integer n", n);
      requireArg("simPolicy.sampleSteps", Number.isSafeInteger(options.maxTokens) && options.maxTokens >= 1, "an integer maxTokens >= 1", options.maxTokens);
      requireArg("simPolicy.sampleSteps", options.temperature >= 0, "a temperature >= 0", options.temperature);
      const seen = new Map<string, number>();
      let promptTokens = 0;
      let generatedTokens = 0;
      const samples = prefixes.map((prefix) => {
        const o = seen.get(prefix) ?? 0;
        seen.set(prefix, o + 1);
        promptTokens += n * countSimTokens(prefix);
        return Array.from({ length: n }, (_, j) => {
          const s = continuation(prefix, options, options.rng.fork(o * n + j));
          generatedTokens += s.tokens;
          return s;
        });
      });
      return { samples, usage: { promptTokens, generatedTokens } };
    },
  };
}

function pickWeighted(weights: readonly number[], r: Rng): number {
  const total = weights.reduce((a, w) => a + w, 0);
  let u = r.next() * total;
  for (let j = 0; j < weights.length; j++) {
    u -= weights[j] as number;
    if (u < 0) return j;
  }
  return weights.length - 1;
}
