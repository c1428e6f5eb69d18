import { requireArg } from "../core/errors.ts";
import type { Policy, SampleStepsOptions, SampleStepsResult, StepSample } from "../strategies/policy.ts";
import { CHAIN_TOKENIZER, type CharTokenizer } from "../tasks/char-tokenizer.ts";
import type { SequenceOptions } from "./generate.ts";
import { Generation, type GenerateOptions, type GenerateResult } from "./generation.ts";
import { PrefixKvCache } from "./prefix-kv-cache.ts";
import type { Transformer } from "./transformer.ts";

/** Options of {@link transformerPolicy}. */
export interface TransformerPolicyOptions {
  /**
   * K/V cache kept across calls, keyed by token ids: a {@link PrefixKvCache}
   * to use (one per model), or `false` for none. Default: a new cache of
   * `DEFAULT_PREFIX_CACHE_BYTES` (64 MiB).
   */
  prefixCache?: PrefixKvCache | false;
}

/** Token counts of a {@link TransformerPolicy} summed over its calls. */
export interface TransformerPolicyCounts {
  calls: number;
  /** Prefix tokens as `usage.promptTokens` counts them (each continuation reads its prefix once). */
  promptTokens: number;
  /** Of those, tokens not run through the model (from the prefix cache, or a prefill shared by a prefix's continuations). */
  cachedPromptTokens: number;
  generatedTokens: number;
  /** Tokens run through the model: uncached prompt tokens and every generated token fed back (all but each continuation's last). */
  processedTokens: number;
}

/** A {@link Policy} on a tiny transformer, with its prefix cache and what it ran. */
export interface TransformerPolicy extends Policy {
  /** The cache the policy reads and fills (null when turned off): `clear()` it after changing the model's weights. */
  readonly prefixCache: PrefixKvCache | null;
  /** Token counts since the policy was made (a copy). */
  counts(): TransformerPolicyCounts;
}

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
 * Prefix cache: the n continuations of a prefix share one prefill, and every
 * continuation's K/V (prompt and generated tokens that went through the
 * model) goes into a bounded {@link PrefixKvCache}; a later prefix feeds only
 * what follows its longest cached prefix. Beam search's next prefixes are
 * this round's prefix + continuation, so each round reads only its new
 * tokens. Samples, token counts and log-probs are the same bits with or
 * without the cache, and so is `usage`: it keeps the `Policy` convention (each
 * continuation reads its prefix once, as the ledger and an OpenAI-compatible
 * server count), so a result never depends on what the cache held;
 * {@link TransformerPolicy.counts} says what was actually run through the model.
 *
 * @param model - a trained transformer (not disposed by the policy; clear the cache if its weights change)
 * @param name - name for reports
 * @param tokenizer - defaults to the chain-arithmetic tokenizer
 * @param options - the prefix cache (default: a new 64 MiB one)
 * @returns the policy (`sampleSteps` throws InvalidArgumentError for a non-positive n, and `generate`'s errors)
 * @example
 * const policy = transformerPolicy(loadCheckpoint("data/models/policy-20k").model, "policy-20k");
 * const { samples } = await policy.sampleSteps([prompt], { n: 4, maxTokens: 40, stopAtStepEnd: true, temperature: 1, rng: rng(1) });
 * policy.counts().processedTokens; // tokens run through the model so far
 * @see OpenAICompatiblePolicy for the same model behind `ttc serve`
 * @see PrefixKvCache for the cache
 */
export function transformerPolicy(model: Transformer, name: string, tokenizer: CharTokenizer = CHAIN_TOKENIZER, options: TransformerPolicyOptions = {}): TransformerPolicy {
  const sepText = "\n";
  const cache = options.prefixCache === false ? null : (options.prefixCache ?? new PrefixKvCache());
  const counts: TransformerPolicyCounts = { calls: 0, promptTokens: 0, cachedPromptTokens: 0, generatedTokens: 0, processedTokens: 0 };
  return {
    name,
    stepSeparator: sepText,
    prefixCache: cache,
    counts: () => ({ ...counts }),
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
        const hit = cache !== null && ids.length < model.config.maxLen ? cache.lookup(ids, ids.length - 1) : undefined;
        for (let j = 0; j < n; j++) {
          if (ids.length >= model.config.maxLen) {
            rows.push(-1);
            continue;
          }
          rows.push(prompts.length);
          prompts.push(ids);
          sequences.push({ rng: prefixRng.fork(`seq-${j}`), ...(hit !== undefined && hit.length > 0 ? { cache: hit } : {}) });
        }
      });
      const out = prompts.length === 0 ? undefined : generateAndCache(model, prompts, {
        maxNewTokens: options.maxTokens,
        temperature: options.temperature,
        topP: options.topP ?? 1,
        stopAtStepEnd: options.stopAtStepEnd,
        sequences,
      }, cache);
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
      const usage = { promptTokens: sum(out?.promptTokens), generatedTokens: sum(out?.generatedTokens) };
      counts.calls++;
      counts.promptTokens += usage.promptTokens;
      counts.generatedTokens += usage.generatedTokens;
      counts.cachedPromptTokens += sum(out?.cachedTokens);
      counts.processedTokens += out?.processedTokens ?? 0;
      return { samples, usage };
    },
  };
}

/** `generate`, then every row's K/V into `cache` (keyed by the tokens it ran through the model). */
function generateAndCache(model: Transformer, prompts: readonly number[][], options: GenerateOptions, cache: PrefixKvCache | null): GenerateResult {
  const g = new Generation(model, prompts, options);
  try {
    while (g.running) g.step();
    if (cache !== null) prompts.forEach((_, b) => cache.insert(g.fedTokens(b), (from, to) => g.readKv(b, from, to)));
  } finally {
    g.dispose();
  }
  return g.result();
}
