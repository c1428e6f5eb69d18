import { generate, type SequenceOptions } from "../../lib/models/generate.ts";
import type { Transformer } from "../../lib/models/transformer.ts";
import { scorePositions, stepEndPositions } from "../../lib/rewards/reward-model.ts";
import type { ScoreStepsResult, Verifier } from "../../lib/rewards/verifier.ts";
import type { Policy, SampleStepsOptions, SampleStepsResult, StepSample } from "../../lib/strategies/policy.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";
import { requireArg } from "../../lib/core/errors.ts";

/**
 * Calls that arrive in the same turn of the event loop are gathered and run
 * as one batch on the next `setImmediate`. The strategies run every problem
 * concurrently (`runProblems`), so each round of every problem lands in one
 * batch: one `generate` call for all problems' continuations instead of one
 * per problem.
 */
class Gatherer<Q, A> {
  private queue: { request: Q; resolve: (a: A) => void; reject: (e: unknown) => void }[] = [];
  constructor(private readonly flush: (requests: Q[]) => A[]) {}
  submit(request: Q): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.run());
      this.queue.push({ request, resolve, reject });
    });
  }
  private run(): void {
    const batch = this.queue;
    this.queue = [];
    try {
      const answers = this.flush(batch.map((b) => b.request));
      batch.forEach((b, i) => b.resolve(answers[i] as A));
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  }
}

interface SampleRequest {
  prefixes: readonly string[];
  options: SampleStepsOptions;
}

/**
 * A tiny transformer as a {@link Policy} that batches concurrent calls: the
 * same continuations as `transformerPolicy` (continuation j of prefix i of a
 * call draws from `rng.fork("p<i>").fork("seq-<j>")`, and `generate` gives a
 * sequence with its own stream the same tokens in any batch), but every call
 * made in one event-loop turn shares one `generate` (calls that stop at step
 * ends and calls that do not are batched apart). Usage is reported per call.
 *
 * @param model - a trained policy transformer (not disposed here)
 * @param name - name for reports
 * @returns the policy; `sampleSteps` rejects with InvalidArgumentError on n not a positive integer
 * @example
 * const policy = lockstepPolicy(loadCheckpoint("data/models/policy-35k").model, "policy-35k");
 * const res = await beamSearch(prompts, { policy, verifier, rng: rng(1) }, { n: 16, beamWidth: 4, extractAnswer });
 * @see transformerPolicy (lib/models/transformer-policy.ts), the unbatched reference
 */
export function lockstepPolicy(model: Transformer, name: string): Policy {
  const tok = CHAIN_TOKENIZER;
  const run = (requests: SampleRequest[]): SampleStepsResult[] => {
    const out: SampleStepsResult[] = requests.map(() => ({ samples: [], usage: { promptTokens: 0, generatedTokens: 0 } }));
    for (const stopAtStepEnd of [true, false]) {
      const rows: { req: number; i: number; j: number }[] = [];
      const full: { req: number; i: number }[] = [];
      const prompts: number[][] = [];
      const sequences: SequenceOptions[] = [];
      requests.forEach((r, q) => {
        if (r.options.stopAtStepEnd !== stopAtStepEnd) return;
        const n = r.options.n ?? 1;
        out[q]!.samples = r.prefixes.map(() => []);
        r.prefixes.forEach((p, i) => {
          const ids = tok.encode(p, { bos: true });
          const prefixRng = r.options.rng.fork(`p${i}`);
          for (let j = 0; j < n; j++) {
            // A prefix that already fills the context gets an empty, finished continuation (as transformerPolicy gives).
            if (ids.length >= model.config.maxLen) {
              full.push({ req: q, i });
              continue;
            }
            rows.push({ req: q, i, j });
            prompts.push(ids);
            sequences.push({ rng: prefixRng.fork(`seq-${j}`), maxNewTokens: r.options.maxTokens, temperature: r.options.temperature, topP: r.options.topP ?? 1 });
          }
        });
      });
      for (const { req, i } of full) (out[req]!.samples[i] as StepSample[]).push({ text: "", tokens: 0, finished: true, stepEnded: false, logProb: 0 });
      if (rows.length === 0) continue;
      const maxNewTokens = Math.max(...sequences.map((s) => s.maxNewTokens as number));
      const g = generate(model, prompts, { maxNewTokens, stopAtStepEnd, sequences });
      rows.forEach(({ req, i }, b) => {
        const ids = g.tokens[b] as number[];
        const sample: StepSample = {
          text: tok.decode(ids),
          tokens: ids.length,
          finished: g.stopReasons[b] === "eos" || g.stopReasons[b] === "context",
          stepEnded: g.stopReasons[b] === "step",
          logProb: (g.logProbs[b] as number[]).reduce((a, v) => a + v, 0),
        };
        const o = out[req] as SampleStepsResult;
        (o.samples[i] as StepSample[]).push(sample);
        o.usage.promptTokens += g.promptTokens[b] as number;
        o.usage.generatedTokens += g.generatedTokens[b] as number;
      });
    }
    return out;
  };
  const gatherer = new Gatherer(run);
  return {
    name,
    stepSeparator: "\n",
    countTokens: (text) => tok.encode(text).length,
    async sampleSteps(prefixes, options) {
      const n = options.n ?? 1;
      requireArg("lockstepPolicy.sampleSteps", Number.isSafeInteger(n) && n >= 1, "a positive integer n", n);
      return gatherer.submit({ prefixes, options });
    },
  };
}

interface ScoreRequest {
  prompt: string;
  solutions: readonly string[];
}

/**
 * A reward-model transformer as a {@link Verifier} that batches concurrent
 * calls: the scores of `transformerVerifier` (a PRM scores every line end, a
 * partial last line at its last token; an ORM scores the last token; an empty
 * solution is scored at the prompt's last token by an ORM and not at all by
 * a PRM), with every call of one event-loop turn run through
 * `scorePositions` together, `batchSize` sequences per forward pass.
 *
 * @param model - a trained reward model (not disposed here)
 * @param options - name, kind ("prm" | "orm"), sequences per forward pass (default 128)
 * @returns the verifier; usage counts every token read, per call
 * @throws InvalidArgumentError on a batch size that is not a positive integer
 * @example
 * const prm = lockstepVerifier(loadCheckpoint("data/models/prm-60k").model, { name: "prm-60k", kind: "prm" });
 * @see transformerVerifier (lib/rewards/reward-model.ts), the unbatched reference
 */
export function lockstepVerifier(model: Transformer, options: { name: string; kind: "prm" | "orm"; batchSize?: number }): Verifier {
  const tok = CHAIN_TOKENIZER;
  const batchSize = options.batchSize ?? 128;
  requireArg("lockstepVerifier", Number.isSafeInteger(batchSize) && batchSize >= 1, "a positive integer batchSize", batchSize);
  const run = (requests: ScoreRequest[]): ScoreStepsResult[] => {
    const sequences: number[][] = [];
    const positions: number[][] = [];
    const owner: number[] = [];
    const out: ScoreStepsResult[] = requests.map(() => ({ scores: [], usage: { tokens: 0 } }));
    requests.forEach((r, q) => {
      const promptIds = tok.encode(r.prompt, { bos: true });
      for (const s of r.solutions) {
        const seq = [...promptIds, ...tok.encode(s)];
        sequences.push(seq);
        positions.push(options.kind === "orm" ? [seq.length - 1] : s.length === 0 ? [] : stepEndPositions(s, promptIds.length));
        owner.push(q);
        out[q]!.usage.tokens += seq.length;
      }
    });
    // Batches of similar lengths pad less; scores go back in call order.
    const order = sequences.map((_, i) => i).sort((a, b) => (sequences[a] as number[]).length - (sequences[b] as number[]).length || a - b);
    const scored: number[][] = new Array(sequences.length);
    for (let s = 0; s < order.length; s += batchSize) {
      const idx = order.slice(s, s + batchSize);
      const scores = scorePositions(model, idx.map((i) => sequences[i] as number[]), idx.map((i) => positions[i] as number[]));
      idx.forEach((i, k) => (scored[i] = scores[k] as number[]));
    }
    scored.forEach((sc, i) => out[owner[i] as number]!.scores.push(sc));
    return out;
  };
  const gatherer = new Gatherer(run);
  return { name: options.name, scoreSteps: (prompt, solutions) => gatherer.submit({ prompt, solutions }) };
}
