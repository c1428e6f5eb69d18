import { requireArg } from "../core/errors.ts";
import type { Policy, SampleStepsOptions, SampleStepsResult, StepSample } from "../strategies/policy.ts";
import { CHAIN_TOKENIZER, type CharTokenizer } from "../tasks/char-tokenizer.ts";
import { generate, type SequenceOptions } from "./generate.ts";
import type { Transformer } from "./transformer.ts";

/**
 * A tiny transformer as a {@link Policy}: prefixes are encoded with the
 * chain tokenizer (BOS first), continuations decoded back to text. Uses the
 * KV-cache decoder; continuation j of prefix i draws from
 * `rng.fork("p<i>").fork("seq-<j>")` — exactly the stream `ttc serve` gives
 * choice j of a request whose seed is the key of `rng.fork("p<i>")` — so
 * `OpenAICompatiblePolicy` (lib/llm) with `seedFormat: "key"` against a server of
 * the same checkpoint returns the same continuations. A continuation's stream
 * depends only on (i, j), never on the other prefixes or on batching.
 *
 * @param model - a trained transformer (not disposed by the policy)
 * @param name - name for reports
 * @param tokenizer - defaults to the chain-arithmetic tokenizer
 * @returns the policy (`sampleSteps` throws InvalidArgumentError for a non-positive n, and `generate`'s errors)
 * @example
 * const policy = transformerPolicy(loadCheckpoint("data/models/policy-20k").model, "policy-20k");
 * const { samples } = await policy.sampleSteps([prompt], { n: 4, maxTokens: 40, stopAtStepEnd: true, temperature: 1, rng: rng(1) });
 * @see OpenAICompatiblePolicy for the same model behind `ttc serve`
 */
export function transformerPolicy(model: Transformer, name: string, tokenizer: CharTokenizer = CHAIN_TOKENIZER): Policy {
  const sepText = "\n";
  return {
    name,
    stepSeparator: sepText,
    countTokens: (text) => tokenizer.encode(text).length,
    async sampleSteps(prefixes: readonly string[], options: SampleStepsOptions): Promise<SampleStepsResult> {
      const n = options.n ?? 1;
      requireArg("transformerPolicy.sampleSteps", Number.isSafeInteger(n) && n >= 1, "a positive integer n", n);
      const prompts: number[][] = [];
      const sequences: SequenceOptions[] = [];
      const rows: number[] = []; // generate row of continuation b, or -1 when its prefix already fills the context
      prefixes.forEach((p, i) => {
        const ids = tokenizer.encode(p, { bos: true });
        const prefixRng = options.rng.fork(`p${i}`);
        for (let j = 0; j < n; j++) {
          if (ids.length >= model.config.maxLen) {
            rows.push(-1);
            continue;
          }
          rows.push(prompts.length);
          prompts.push(ids);
          sequences.push({ rng: prefixRng.fork(`seq-${j}`) });
        }
      });
      const out = prompts.length === 0 ? undefined : generate(model, prompts, {
        maxNewTokens: options.maxTokens,
        temperature: options.temperature,
        topP: options.topP ?? 1,
        stopAtStepEnd: options.stopAtStepEnd,
        sequences,
      });
      const samples: StepSample[][] = prefixes.map((_, i) =>
        Array.from({ length: n }, (_, j) => {
          const row = rows[i * n + j] as number;
          // A full context ends the solution: nothing more can be written after it.
          if (out === undefined || row < 0) return { text: "", tokens: 0, finished: true, stepEnded: false, logProb: 0 };
          const ids = out.tokens[row] as number[];
          const reason = out.stopReasons[row];
          return {
            text: tokenizer.decode(ids),
            tokens: ids.length,
            finished: reason === "eos" || reason === "context",
            stepEnded: reason === "step",
            logProb: (out.logProbs[row] as number[]).reduce((a, v) => a + v, 0),
          };
        }),
      );
      const sum = (xs: readonly number[] | undefined) => (xs ?? []).reduce((a, v) => a + v, 0);
      return { samples, usage: { promptTokens: sum(out?.promptTokens), generatedTokens: sum(out?.generatedTokens) } };
    },
  };
}
