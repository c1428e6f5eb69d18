import type { Rng } from "../../lib/core/rng.ts";
import type { DecoderAttention } from "../../lib/models/decoder-attention.ts";
import { Generation } from "../../lib/models/generation.ts";
import type { Transformer } from "../../lib/models/transformer.ts";
import { referenceValues, type ChainProblem } from "../../lib/tasks/chain-problem.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";
import { extractAnswer } from "../../lib/tasks/extract-answer.ts";
import { formatPrompt } from "../../lib/tasks/format.ts";
import { isCorrect } from "../../lib/tasks/is-correct.ts";

/** N graded samples of one problem. */
export interface ProblemSamples {
  /** Prompt tokens (BOS included). */
  promptTokens: number;
  /** Extracted final answer per sample (`null`: none). */
  answers: (string | null)[];
  /** Whether each sample's final answer equals the ground truth. */
  answerCorrect: boolean[];
  /** Whether each sample's whole trace is right (every step line and the answer). */
  exact: boolean[];
  /** Generated tokens per sample, EOS included. */
  tokens: number[];
  /** Per sample, keys attended per (layer, query head) summed over its decode steps, as the decoder counted them. */
  decodeKeys: number[];
}

/** A problem to sample, with the key that names its random streams. */
export interface KeyedProblem {
  problem: ChainProblem;
  /** Unique within a run, e.g. `"L3/p7"`. */
  key: string;
}

/**
 * Sample `samples` completions of each problem from one policy with one
 * attention setting, all in one lockstep batch, and grade them. Sample j of a
 * problem draws from `r.fork("<key>/s<j>")`, so two attention settings given
 * the same `r` share their random numbers (a paired comparison), whatever the
 * batch.
 *
 * @param attention - the decoder's attention (dense or block top-k)
 * @returns one {@link ProblemSamples} per problem, in order
 */
export function sampleProblems(model: Transformer, problems: readonly KeyedProblem[], samples: number, attention: DecoderAttention, r: Rng): ProblemSamples[] {
  const jobs = problems.flatMap((p) => Array.from({ length: samples }, (_, j) => ({ problem: p.problem, key: `${p.key}/s${j}` })));
  const prompts = jobs.map((j) => CHAIN_TOKENIZER.encode(formatPrompt(j.problem), { bos: true }));
  const room = model.config.maxLen - Math.max(...prompts.map((p) => p.length));
  const g = new Generation(model, prompts, { maxNewTokens: room, temperature: 1, attention, sequences: jobs.map((j) => ({ rng: r.fork(j.key) })) });
  try {
    while (g.running) g.step();
  } finally {
    g.dispose();
  }
  const res = g.result();
  return problems.map(({ problem }, i) => {
    const truth = referenceValues(problem).at(-1) as number;
    const out: ProblemSamples = { promptTokens: prompts[i * samples]?.length ?? 0, answers: [], answerCorrect: [], exact: [], tokens: [], decodeKeys: [] };
    for (let j = 0; j < samples; j++) {
      const k = i * samples + j;
      const toks = res.tokens[k] as number[];
      const completion = CHAIN_TOKENIZER.decode(toks);
      const answer = extractAnswer(completion);
      out.answers.push(answer === undefined ? null : String(answer));
      out.answerCorrect.push(answer === truth);
      out.exact.push(isCorrect(problem, completion));
      out.tokens.push(toks.length);
      out.decodeKeys.push(g.decodeKeys[k] as number);
    }
    return out;
  });
}
