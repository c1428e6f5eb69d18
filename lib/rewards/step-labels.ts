import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { generate } from "../models/generate.ts";
import type { Transformer } from "../models/transformer.ts";
import type { ChainProblem } from "../tasks/chain-problem.ts";
import { CHAIN_TOKENIZER, type CharTokenizer } from "../tasks/char-tokenizer.ts";
import { checkSteps } from "../tasks/check-steps.ts";
import { formatPrompt, STEP_SEPARATOR } from "../tasks/format.ts";
import { isCorrect } from "../tasks/is-correct.ts";
import { cutSteps } from "../strategies/problem-search.ts";

/** A completion of a chain problem to be labelled line by line. */
export interface LabelItem {
  problem: ChainProblem;
  /** The policy's completion (step lines, answer line), without EOS. */
  completion: string;
}

/**
 * The lines of a completion as a PRM scores them: each step line with its
 * separator, the last line (answer or partial step) without.
 *
 * @example
 * completionLines("+005=724533\n#352"); // ["+005=724533\n", "#352"]
 */
export function completionLines(completion: string, separator = STEP_SEPARATOR): string[] {
  return cutSteps(completion, separator);
}

/**
 * Exact step labels from the step checker (the ablation of Math-Shepherd's
 * rollout labels): line l is good (1) when it and every line before it are
 * right, i.e. the prefix through line l is a prefix of the reference trace
 * (`checkSteps`' first wrong line is after l).
 *
 * @returns one 0/1 label per line of {@link completionLines}
 * @example
 * checkerLabels(parseProblem("347+5"), "+005=724533\n#351"); // [1, 0]
 */
export function checkerLabels(problem: ChainProblem, completion: string): number[] {
  const first = checkSteps(problem, completion).firstWrongStep;
  return completionLines(completion).map((_, l) => (first === null || l < first ? 1 : 0));
}

/** Options of {@link rolloutLabels}. */
export interface RolloutLabelOptions {
  /** Completions sampled from each step prefix (Math-Shepherd's N). */
  rollouts: number;
  rng: Rng;
  /** Sampling temperature of the rollouts (default 1). */
  temperature?: number;
  /** Sequences per `generate` call (default 256). */
  maxBatch?: number;
  /** Room for each rollout, in tokens (default: what the model's context allows). */
  maxNewTokens?: number;
  tokenizer?: CharTokenizer;
  /** Called after each batch with (rollouts done, rollouts in all). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Math-Shepherd's Monte-Carlo step labels: for every line of every completion
 * except the last, `rollouts` continuations are sampled from the policy
 * starting after that line, and the line's label is the fraction whose whole
 * trace is correct ("soft estimation"; "hard estimation" is label > 0). The
 * last line is labelled by the outcome of the completion itself. Labels thus
 * come from outcomes only: the step checker is never consulted for a step.
 *
 * @param policy - the policy that wrote the completions (its own rollouts label its own steps)
 * @returns labels[i][l] in [0, 1] for line l of items[i]
 * @throws InvalidArgumentError for rollouts < 1
 * @see Wang et al. 2024, "Math-Shepherd", §3.3 (completion-based step annotation, hard and soft estimation)
 */
export function rolloutLabels(policy: Transformer, items: readonly LabelItem[], options: RolloutLabelOptions): number[][] {
  const { rollouts } = options;
  requireArg("rolloutLabels", Number.isSafeInteger(rollouts) && rollouts >= 1, "a positive integer number of rollouts", rollouts);
  const tokenizer = options.tokenizer ?? CHAIN_TOKENIZER;
  const maxBatch = options.maxBatch ?? 256;
  const labels = items.map((it) => completionLines(it.completion).map(() => 0));
  const jobs: { item: number; line: number; prefix: string }[] = [];
  items.forEach((it, i) => {
    const lines = completionLines(it.completion);
    lines.forEach((_, l) => {
      if (l === lines.length - 1) (labels[i] as number[])[l] = isCorrect(it.problem, it.completion) ? 1 : 0;
      else jobs.push({ item: i, line: l, prefix: lines.slice(0, l + 1).join("") });
    });
  });
  const sequences = jobs.flatMap((job, j) => Array.from({ length: rollouts }, (_, r) => ({ job: j, r })));
  for (let s = 0; s < sequences.length; s += maxBatch) {
    const chunk = sequences.slice(s, s + maxBatch);
    const prompts = chunk.map(({ job }) => {
      const { item, prefix } = jobs[job] as (typeof jobs)[number];
      return tokenizer.encode(formatPrompt((items[item] as LabelItem).problem) + prefix, { bos: true });
    });
    // Each rollout has its own room (a long prefix elsewhere in the chunk must not cut the others short)
    // and its own stream, so labels depend neither on maxBatch nor on the other items.
    const rooms = prompts.map((p) => Math.min(options.maxNewTokens ?? Infinity, policy.config.maxLen - p.length));
    const runnable = chunk.flatMap((_, k) => ((rooms[k] as number) >= 1 ? [k] : []));
    const out = runnable.length === 0 ? { tokens: [] as number[][] } : generate(policy, runnable.map((k) => prompts[k] as number[]), {
      maxNewTokens: Math.max(...runnable.map((k) => rooms[k] as number)),
      temperature: options.temperature ?? 1,
      sequences: runnable.map((k) => {
        const { job, r } = chunk[k] as (typeof chunk)[number];
        return { rng: options.rng.fork(`job-${job}/rollout-${r}`), maxNewTokens: rooms[k] as number };
      }),
    });
    runnable.forEach((k, row) => {
      const { job } = chunk[k] as (typeof chunk)[number];
      const { item, line, prefix } = jobs[job] as (typeof jobs)[number];
      const text = prefix + tokenizer.decode(out.tokens[row] as number[]);
      if (isCorrect((items[item] as LabelItem).problem, text)) (labels[item] as number[])[line]! += 1 / rollouts;
    });
    options.onProgress?.(Math.min(s + maxBatch, sequences.length), sequences.length);
  }
  return labels;
}
