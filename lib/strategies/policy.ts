import type { Rng } from "../core/rng.ts";

/** Options for one round of sampling from a {@link Policy}. */
export interface SampleStepsOptions {
  /** Most tokens to generate per continuation. */
  maxTokens: number;
  /** Stop each continuation at the end of its current step (the policy's step separator). */
  stopAtStepEnd: boolean;
  /** Sampling temperature (0 = greedy). */
  temperature: number;
  /** Nucleus sampling mass in (0, 1]; default 1. */
  topP?: number;
  /** Continuations per prefix; default 1. */
  n?: number;
  /** Random source; continuation j of prefix i draws from its own fork, so batching never changes results. */
  rng: Rng;
}

/** One sampled continuation of a prefix. */
export interface StepSample {
  /** The generated text, including the step separator when the step ended. */
  text: string;
  /** Tokens generated. */
  tokens: number;
  /** The solution is complete (end of sequence reached). */
  finished: boolean;
  /** Stopped at a step boundary (one more step written). */
  stepEnded: boolean;
  /** Sum of the policy's token log-probabilities (temperature 1), when it reports them. */
  logProb?: number;
}

/** What a round of sampling returns, with the compute it used. */
export interface SampleStepsResult {
  /** `samples[i][j]`: continuation j of prefix i. */
  samples: StepSample[][];
  usage: {
    /** Prompt/prefix tokens read (each continuation reads its prefix once). */
    promptTokens: number;
    /** Tokens generated in all. */
    generatedTokens: number;
  };
}

/**
 * A policy that extends solution prefixes step by step. Strategies (best-of-N,
 * beam search, early rejection, …) talk only to this interface, so the same
 * code runs on a tiny tfjs model, a simulator, or a model behind an
 * OpenAI-compatible server. A prefix is the full text so far: prompt plus the
 * steps already written.
 */
export interface Policy {
  /** A short name for reports, e.g. `"policy-30k"`. */
  readonly name: string;
  /** The text that ends a step (e.g. `"\n"`). */
  readonly stepSeparator: string;
  /** Tokens of `text` under the policy's tokenizer (for cost accounting). */
  countTokens(text: string): number;
  /** Sample continuations of every prefix. */
  sampleSteps(prefixes: readonly string[], options: SampleStepsOptions): Promise<SampleStepsResult>;
}
