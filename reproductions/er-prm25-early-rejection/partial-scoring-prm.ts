import { requireArg } from "../../lib/core/errors.ts";
import type { Transformer } from "../../lib/models/transformer.ts";
import { scorePositions, stepEndPositions } from "../../lib/rewards/reward-model.ts";
import type { ScoreStepsResult, Verifier } from "../../lib/rewards/verifier.ts";
import { CHAIN_TOKENIZER, type CharTokenizer } from "../../lib/tasks/char-tokenizer.ts";
import { ANSWER_MARK, STEP_SEPARATOR } from "../../lib/tasks/format.ts";

/**
 * Where a partial step is read:
 * - `"step-end"`: a separator is appended and the PRM is read there, as on a finished step — what
 *   ER-PRM's code does (it appends its step tag to the partial step before scoring);
 * - `"last-token"`: at the partial step's last token, as `transformerVerifier` reads a line without a separator.
 *
 * Lines that end with the separator, and answer lines (`#…`, read at their last token as in training), read the same either way.
 */
export type PartialReading = "step-end" | "last-token";

/** One verifier call as the recorder saw it: a search round's candidates, each with its last line scored token by token. */
export interface ScoredRound {
  prompt: string;
  /**
   * Per reading, `[i][τ − 1]`: the PRM's score of candidate i with its last line (the step this round
   * wrote) cut after τ tokens, τ = 1 … the line's length; the last entry is the full line's score.
   */
  lastLine: Record<PartialReading, number[][]>;
}

/** Options of {@link partialScoringPrm}. */
export interface PartialScoringPrmOptions {
  /** Name for reports. */
  name: string;
  /** How the verifier reads a solution whose last line is an unfinished step. */
  reading: PartialReading;
  /** Record every call as a {@link ScoredRound} (costs one extra sequence per cut of a step line for the step-end reading). Default false. */
  record?: boolean;
  /** Sequences per forward pass. Default 64 (as `transformerVerifier`). */
  batchSize?: number;
  tokenizer?: CharTokenizer;
}

/** The verifier and the rounds it recorded. */
export interface PartialScoringPrm {
  verifier: Verifier;
  /** Every call, in call order, when recording (append-only; clear it with `rounds.length = 0`). */
  rounds: ScoredRound[];
}

/**
 * A process reward model for early rejection that can record partial-step
 * scores. As a {@link Verifier} it scores each solution's lines as
 * `transformerVerifier(model, { kind: "prm" })` does — σ(logit₊ − logit₋) at
 * each separator; a final answer line at its last token — except an
 * unfinished last step line under the `"step-end"` reading, which is read at
 * an appended separator (see {@link PartialReading}).
 *
 * Recording, each call's solutions' last lines are scored after every τ
 * tokens under both readings. The model is causal, so the last-token readings
 * of all τ come from the solution's own forward pass; the step-end readings
 * need one sequence per cut (cut + separator). A strategy that scores the N
 * new steps of a round in one call (beam search does) leaves one
 * {@link ScoredRound} per round.
 *
 * The chain tokenizer has one token per character (as `stepEndPositions`
 * assumes); the verifier checks it. The caller keeps ownership of `model`.
 *
 * @throws InvalidArgumentError (from `scoreSteps`) when a solution's token count differs from its length, and on a non-positive batchSize
 * @example
 * const { verifier, rounds } = partialScoringPrm(loadCheckpoint("data/models/prm-60k").model, { name: "prm-60k", reading: "step-end", record: true });
 * await beamSearch(prompts, { policy, verifier, rng: rng(1) }, { n: 16, beamWidth: 4, extractAnswer });
 * rounds[0].lastLine["step-end"][3]; // candidate 3 of the first round: scores after 1, 2, …, 12 tokens of its step
 * @see Cheshmi et al. 2025, "Accelerating LLM Reasoning via Early Rejection with Partial Reward Modeling" (arXiv 2508.01969; code: scheshmi/accelerated-reasoning-ER-PRM, algorithms/partial_beam_search.py appends the step marker to partial steps)
 */
export function partialScoringPrm(model: Transformer, options: PartialScoringPrmOptions): PartialScoringPrm {
  const tokenizer = options.tokenizer ?? CHAIN_TOKENIZER;
  const batchSize = options.batchSize ?? 64;
  requireArg("partialScoringPrm", Number.isSafeInteger(batchSize) && batchSize >= 1, "a positive integer batchSize", batchSize);
  requireArg("partialScoringPrm", options.reading === "step-end" || options.reading === "last-token", 'a reading "step-end" or "last-token"', options.reading);
  const rounds: ScoredRound[] = [];
  const score = (sequences: number[][], positions: number[][]): number[][] => {
    const out: number[][] = [];
    for (let b = 0; b < sequences.length; b += batchSize) {
      out.push(...scorePositions(model, sequences.slice(b, b + batchSize), positions.slice(b, b + batchSize), undefined, tokenizer));
    }
    return out;
  };
  const verifier: Verifier = {
    name: options.name,
    async scoreSteps(prompt: string, solutions: readonly string[]): Promise<ScoreStepsResult> {
      const promptIds = tokenizer.encode(prompt, { bos: true });
      const offset = promptIds.length;
      const texts = solutions.map((s) => {
        requireArg("partialScoringPrm.scoreSteps", tokenizer.encode(s).length === s.length, "one token per character of each solution", s);
        return options.reading === "step-end" && isOpenStep(s) ? s + STEP_SEPARATOR : s;
      });
      const lineEnds = texts.map((t) => stepEndPositions(t, offset));
      const starts = solutions.map((s) => offset + lastLineStart(s));
      // Scored positions: every line end, then (recording) every token of the solution's last line.
      const positions = solutions.map((s, i) => {
        const tail = options.record ? Array.from({ length: offset + s.length - (starts[i] as number) }, (_, k) => (starts[i] as number) + k) : [];
        return [...(lineEnds[i] as number[]), ...tail];
      });
      const sequences = texts.map((t) => [...promptIds, ...tokenizer.encode(t)]);
      const read = score(sequences, positions);
      const scores = read.map((r, i) => r.slice(0, (lineEnds[i] as number[]).length));
      if (options.record) {
        const lastToken = read.map((r, i) => r.slice((lineEnds[i] as number[]).length));
        rounds.push({ prompt, lastLine: { "last-token": lastToken, "step-end": stepEndReadings(solutions, lastToken, scores, promptIds, score, tokenizer) } });
      }
      return { scores, usage: { tokens: sequences.reduce((a, q) => a + q.length, 0) } };
    },
  };
  return { verifier, rounds };
}

/**
 * Step-end readings of each solution's last line cut after τ = 1 … L tokens: a cut that is an open step
 * is scored with a separator appended (one extra sequence each); other cuts (answer lines, and the
 * full line) equal their last-token reading or the line's own score.
 */
function stepEndReadings(
  solutions: readonly string[],
  lastToken: readonly number[][],
  scores: readonly number[][],
  promptIds: readonly number[],
  score: (sequences: number[][], positions: number[][]) => number[][],
  tokenizer: CharTokenizer,
): number[][] {
  const out = lastToken.map((l) => [...l]);
  const jobs: { i: number; k: number; ids: number[] }[] = [];
  solutions.forEach((s, i) => {
    const start = lastLineStart(s);
    const length = s.length - start;
    for (let k = 0; k < length; k++) {
      const cut = s.slice(0, start + k + 1);
      if (k === length - 1) out[i]![k] = (scores[i] as number[]).at(-1) as number;
      else if (isOpenStep(cut)) jobs.push({ i, k, ids: [...promptIds, ...tokenizer.encode(cut + STEP_SEPARATOR)] });
    }
  });
  const read = score(jobs.map((j) => j.ids), jobs.map((j) => [j.ids.length - 1]));
  jobs.forEach((j, n) => (out[j.i]![j.k] = (read[n] as number[])[0] as number));
  return out;
}

/** Whether the last line of `text` is an unfinished step line (no separator yet, not an answer line). */
function isOpenStep(text: string): boolean {
  if (text.length === 0 || text.endsWith(STEP_SEPARATOR)) return false;
  return !text.slice(lastLineStart(text)).startsWith(ANSWER_MARK);
}

/** Character index where the last line of `text` starts (a trailing separator belongs to the last line). */
function lastLineStart(text: string): number {
  const body = text.endsWith(STEP_SEPARATOR) ? text.slice(0, -STEP_SEPARATOR.length) : text;
  const at = body.lastIndexOf(STEP_SEPARATOR);
  return at === -1 ? 0 : at + STEP_SEPARATOR.length;
}
