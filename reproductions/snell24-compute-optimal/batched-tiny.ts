import { requireArg } from "../../lib/core/errors.ts";
import { generate, type SequenceOptions } from "../../lib/models/generate.ts";
import type { Transformer } from "../../lib/models/transformer.ts";
import { scorePositions, stepEndPositions } from "../../lib/rewards/reward-model.ts";
import type { ScoreStepsResult, Verifier } from "../../lib/rewards/verifier.ts";
import type { Policy, SampleStepsOptions, SampleStepsResult, StepSample } from "../../lib/strategies/policy.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";

/** A call waiting for the next flush. */
interface Pending<A, R> {
  args: A;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Collect the calls made before the event loop turns (`setImmediate`) and
 * serve them together. Strategies run their problems concurrently
 * (`runProblems`), so every problem's round-i call lands in one flush.
 */
function coalesce<A, R>(serve: (batch: readonly A[]) => R[]): (args: A) => Promise<R> {
  let queue: Pending<A, R>[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      const out = serve(batch.map((p) => p.args));
      batch.forEach((p, i) => p.resolve(out[i] as R));
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  };
  return (args) =>
    new Promise<R>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ args, resolve, reject });
    });
}

/**
 * The tiny transformer as a {@link Policy} that batches concurrent calls: the
 * `sampleSteps` calls of all problems searched together run as one lockstep
 * `generate` per flush (one per `stopAtStepEnd` setting) instead of one per
 * problem. Each continuation keeps `transformerPolicy`'s stream — continuation
 * j of prefix i of a call draws from `rng.fork("p<i>").fork("seq-<j>")` with
 * its own token limit and temperature — so the samples equal
 * `transformerPolicy`'s; only the wall time changes (a 2-layer model's decode
 * step costs about the same for 16 rows as for 256).
 *
 * @param model - the policy (not disposed here)
 * @param name - name for reports
 * @returns a Policy; sampleSteps rejects with InvalidArgumentError for a non-positive n
 * @example
 * const policy = batchedTinyPolicy(loadCheckpoint("data/models/policy-60k").model, "policy-60k");
 * await beamSearch(prompts, { policy, verifier, rng: rng(1) }, { n: 16, beamWidth: 4, extractAnswer });
 * @see transformerPolicy (lib/models/transformer-policy.ts), the unbatched original
 */
export function batchedTinyPolicy(model: Transformer, name: string): Policy {
  const tok = CHAIN_TOKENIZER;
  const serve = (calls: readonly { prefixes: readonly string[]; options: SampleStepsOptions }[]): SampleStepsResult[] => {
    const out: SampleStepsResult[] = calls.map((c) => ({ samples: c.prefixes.map(() => []), usage: { promptTokens: 0, generatedTokens: 0 } }));
    for (const stepEnd of [false, true]) {
      const rows: { call: number; prefix: number }[] = [];
      const prompts: number[][] = [];
      const sequences: SequenceOptions[] = [];
      calls.forEach(({ prefixes, options }, c) => {
        if (options.stopAtStepEnd !== stepEnd) return;
        const n = options.n ?? 1;
        requireArg("batchedTinyPolicy.sampleSteps", Number.isSafeInteger(n) && n >= 1, "a positive integer n", n);
        prefixes.forEach((p, i) => {
          const ids = tok.encode(p, { bos: true });
          const prefixRng = options.rng.fork(`p${i}`);
          for (let j = 0; j < n; j++) {
            rows.push({ call: c, prefix: i });
            prompts.push(ids);
            sequences.push({ rng: prefixRng.fork(`seq-${j}`), maxNewTokens: options.maxTokens, temperature: options.temperature, topP: options.topP ?? 1 });
          }
        });
      });
      if (rows.length === 0) continue;
      const maxNewTokens = Math.max(...sequences.map((s) => s.maxNewTokens as number));
      const g = generate(model, prompts, { maxNewTokens, temperature: 1, stopAtStepEnd: stepEnd, sequences });
      rows.forEach(({ call, prefix }, b) => {
        const ids = g.tokens[b] as number[];
        const reason = g.stopReasons[b];
        const sample: StepSample = { text: tok.decode(ids), tokens: ids.length, finished: reason === "eos", stepEnded: reason === "step", logProb: (g.logProbs[b] as number[]).reduce((a, v) => a + v, 0) };
        const res = out[call] as SampleStepsResult;
        (res.samples[prefix] as StepSample[]).push(sample);
        res.usage.promptTokens += g.promptTokens[b] as number;
        res.usage.generatedTokens += g.generatedTokens[b] as number;
      });
    }
    return out;
  };
  const call = coalesce(serve);
  return { name, stepSeparator: "\n", countTokens: (text) => tok.encode(text).length, sampleSteps: (prefixes, options) => call({ prefixes, options }) };
}

/**
 * A tiny reward model as a process {@link Verifier} that batches concurrent
 * calls: the sequences of every `scoreSteps` call of a flush are sorted by
 * length and scored `batchSize` at a time (one forward pass each), one score
 * per line (`stepEndPositions`), as `transformerVerifier(model, { kind: "prm" })`
 * scores them. Charged tokens: every token read (BOS, prompt, solution).
 *
 * @param model - the reward model (not disposed here)
 * @param name - name for reports
 * @param batchSize - sequences per forward pass (default 256)
 * @throws InvalidArgumentError for a batchSize that is not a positive integer
 * @example
 * const prm = batchedTinyPrm(loadCheckpoint("data/models/prm-60k").model, "prm-60k");
 * @see transformerVerifier (lib/rewards/reward-model.ts), the unbatched original
 */
export function batchedTinyPrm(model: Transformer, name: string, batchSize = 256): Verifier {
  requireArg("batchedTinyPrm", Number.isSafeInteger(batchSize) && batchSize >= 1, "a positive integer batchSize", batchSize);
  const tok = CHAIN_TOKENIZER;
  const serve = (calls: readonly { prompt: string; solutions: readonly string[] }[]): ScoreStepsResult[] => {
    const items: { call: number; sol: number; ids: number[]; positions: number[] }[] = [];
    const out: ScoreStepsResult[] = calls.map(({ prompt, solutions }, c) => {
      const promptIds = tok.encode(prompt, { bos: true });
      let tokens = 0;
      solutions.forEach((s, k) => {
        const ids = [...promptIds, ...tok.encode(s)];
        tokens += ids.length;
        items.push({ call: c, sol: k, ids, positions: s.length === 0 ? [] : stepEndPositions(s, promptIds.length) });
      });
      return { scores: solutions.map(() => []), usage: { tokens } };
    });
    const order = items.map((_, i) => i).sort((a, b) => (items[a] as { ids: number[] }).ids.length - (items[b] as { ids: number[] }).ids.length || a - b);
    for (let s = 0; s < order.length; s += batchSize) {
      const chunk = order.slice(s, s + batchSize).map((i) => items[i] as (typeof items)[number]);
      const scores = scorePositions(model, chunk.map((it) => it.ids), chunk.map((it) => it.positions));
      chunk.forEach((it, k) => ((out[it.call] as ScoreStepsResult).scores[it.sol] = scores[k] as number[]));
    }
    return out;
  };
  const call = coalesce(serve);
  return { name, scoreSteps: (prompt, solutions) => call({ prompt, solutions }) };
}
