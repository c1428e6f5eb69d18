import * as tf from "@tensorflow/tfjs";
import { requireArg, requireEach } from "../core/errors.ts";
import type { TrainExample } from "../models/batch.ts";
import type { TrainObjective } from "../models/train.ts";
import { PrefixKvCache } from "../models/prefix-kv-cache.ts";
import type { Transformer } from "../models/transformer.ts";
import { cutSteps } from "../strategies/problem-search.ts";
import { CHAIN_TOKENIZER, type CharTokenizer } from "../tasks/char-tokenizer.ts";
import { scorePositionsCached } from "./score-positions-cached.ts";
import type { ScoreStepsResult, Verifier } from "./verifier.ts";

/**
 * Reward models on the policy's own architecture, read the way Math-Shepherd
 * reads its PRM: at a scored position the model's next-token logits for a
 * "good" and a "bad" token (here `+` and `−`, which the chain vocabulary has)
 * give the score σ(logit₊ − logit₋). A process reward model (PRM) is scored at
 * the end of every step; an outcome reward model (ORM) at the last token of
 * the solution. Any position can be scored, so a PRM also scores a partial
 * step (what early rejection needs).
 *
 * @see Wang et al. 2024, "Math-Shepherd: Verify and Reinforce LLMs Step-by-step without Human Annotations", §3 (PRM as next-token prediction of a label token at each step tag)
 */
export interface RewardScoring {
  /** Token whose logit counts for the step being good (default `+`). */
  good: string;
  /** Token whose logit counts against (default `−`). */
  bad: string;
}

/** The default scoring tokens. */
export const DEFAULT_REWARD_SCORING: RewardScoring = { good: "+", bad: "-" };

/** A training example for a reward model: the sequence, the positions to score and their labels. */
export interface RewardExample extends TrainExample {
  /** Token indices whose output is scored (the model has read tokens 0…p). */
  positions: readonly number[];
  /** Label per position in [0, 1]: 1 = good (soft labels allowed). */
  labels: readonly number[];
}

/**
 * Token index of the end of each line of `completion` (the separator that
 * ends a step, or the last character of a final line without one), offset by
 * the tokens before the completion. These are where a PRM is scored.
 *
 * @param offset - tokens before the completion (BOS + prompt)
 * @returns one index per non-empty line
 * @example
 * stepEndPositions("+005=724533\n#352", 10); // [21, 25]
 */
export function stepEndPositions(completion: string, offset: number, separator = "\n"): number[] {
  let end = offset - 1;
  return cutSteps(completion, separator).map((line) => (end += line.length));
}

/**
 * Build a {@link RewardExample} from a prompt, a completion and one label per
 * line (PRM) or a single label (ORM, scored at the last token).
 *
 * @param kind - `"prm"`: `labels[l]` labels line l; `"orm"`: `labels` has one entry
 * @throws InvalidArgumentError when the label count does not match or a label is outside [0, 1]
 */
export function rewardExample(prompt: string, completion: string, labels: readonly number[], kind: "prm" | "orm", tokenizer: CharTokenizer = CHAIN_TOKENIZER): RewardExample {
  const promptIds = tokenizer.encode(prompt, { bos: true });
  const tokens = [...promptIds, ...tokenizer.encode(completion)];
  requireArg("rewardExample", completion.length > 0, "a non-empty completion", completion);
  const positions = kind === "orm" ? [tokens.length - 1] : stepEndPositions(completion, promptIds.length);
  requireArg("rewardExample", labels.length === positions.length, `${positions.length} label(s) for ${kind === "orm" ? "an ORM" : "the completion's lines"}`, labels.length);
  labels.forEach((y, i) => requireEach("rewardExample", y >= 0 && y <= 1, "labels in [0, 1]", () => `${y} at index ${i}`));
  return { tokens, promptTokens: promptIds.length, positions, labels };
}

/**
 * The training objective of a reward model: binary cross-entropy of
 * σ(logit₊ − logit₋) against the labels, averaged over scored positions.
 *
 * @example
 * train(model, examples, { rng, totalSteps: 600, objective: rewardObjective() });
 */
export function rewardObjective(scoring: RewardScoring = DEFAULT_REWARD_SCORING, tokenizer: CharTokenizer = CHAIN_TOKENIZER): TrainObjective<RewardExample> {
  const contrast = contrastVector(scoring, tokenizer);
  return {
    prepare(examples) {
      const len = Math.max(...examples.map((e) => e.tokens.length));
      const b = examples.length;
      const inputs = new Int32Array(b * len).fill(tokenizer.pad);
      const mask = new Float32Array(b * len);
      const targets = new Float32Array(b * len);
      let scored = 0;
      examples.forEach((e, i) => {
        e.tokens.forEach((t, j) => (inputs[i * len + j] = t));
        e.positions.forEach((p, k) => {
          mask[i * len + p] = 1;
          targets[i * len + p] = e.labels[k] as number;
          scored++;
        });
      });
      const tensors = {
        inputs: tf.tensor2d(inputs, [b, len], "int32"),
        mask: tf.tensor1d(mask),
        targets: tf.tensor1d(targets),
        contrast: tf.tensor2d(contrast, [contrast.length, 1]),
      };
      return {
        loss: (model) => {
          const logits = model.forward(tensors.inputs);
          const d = tf.reshape(tf.matMul(tf.reshape(logits, [b * len, contrast.length]), tensors.contrast), [b * len]);
          const bce = tf.sub(tf.softplus(d), tf.mul(d, tensors.targets));
          return tf.div(tf.sum(tf.mul(bce, tensors.mask)), Math.max(1, scored)) as tf.Scalar;
        },
        paddedTokens: b * len,
        dispose: () => tf.dispose(Object.values(tensors)),
      };
    },
  };
}

/**
 * Scores σ(logit₊ − logit₋) of `model` at the given positions of each
 * sequence, in one batched forward pass (sequences are padded to the longest).
 *
 * @param sequences - token ids per sequence, each ≤ maxLen
 * @param positions - positions to read per sequence (each < its length)
 * @returns scores[i][k] for positions[i][k], in (0, 1)
 * @throws InvalidArgumentError on a position outside its sequence
 */
export function scorePositions(model: Transformer, sequences: readonly (readonly number[])[], positions: readonly (readonly number[])[], scoring: RewardScoring = DEFAULT_REWARD_SCORING, tokenizer: CharTokenizer = CHAIN_TOKENIZER): number[][] {
  requireArg("scorePositions", sequences.length === positions.length, `positions for each of the ${sequences.length} sequences`, positions.length);
  if (sequences.length === 0) return [];
  const len = Math.max(...sequences.map((s) => s.length));
  const b = sequences.length;
  const ids = new Int32Array(b * len).fill(tokenizer.pad);
  sequences.forEach((s, i) => s.forEach((t, j) => (ids[i * len + j] = t)));
  positions.forEach((ps, i) => ps.forEach((p) => requireEach("scorePositions", Number.isInteger(p) && p >= 0 && p < (sequences[i] as readonly number[]).length, "positions inside their sequence", () => `${p} in sequence ${i}`)));
  const contrast = contrastVector(scoring, tokenizer);
  const d = tf.tidy(() => {
    const logits = model.forward(tf.tensor2d(ids, [b, len], "int32"));
    return tf.reshape(tf.matMul(tf.reshape(logits, [b * len, contrast.length]), tf.tensor2d(contrast, [contrast.length, 1])), [b * len]);
  });
  const values = d.dataSync();
  d.dispose();
  return positions.map((ps, i) => ps.map((p) => 1 / (1 + Math.exp(-(values[i * len + p] as number)))));
}

/** Options of {@link transformerVerifier}. */
export interface TransformerVerifierOptions {
  /** Name for reports. */
  name: string;
  /** `"prm"`: one score per line (step), partial last line included; `"orm"`: one score per solution. */
  kind: "prm" | "orm";
  scoring?: RewardScoring;
  tokenizer?: CharTokenizer;
  /** Sequences per forward pass, or decoded together with the prefix cache (default 64). */
  batchSize?: number;
  /**
   * Incremental scoring: a {@link PrefixKvCache} of this model's K/V and
   * contrasts (keyed by token ids) to read and fill, or `false` to score every
   * sequence with one full forward pass (`scorePositions`) as before. Default:
   * a new 64 MiB cache. The two readings agree to float32 rounding.
   */
  prefixCache?: PrefixKvCache | false;
}

/** Token counts of a {@link TransformerVerifier} summed over its calls. */
export interface TransformerVerifierCounts {
  calls: number;
  /** Tokens of the scored sequences, as `usage.tokens` counts them. */
  tokens: number;
  /** Of those, tokens not run through the model (held by the prefix cache, or shared within a call). */
  cachedTokens: number;
}

/** A {@link Verifier} on a reward-model transformer, with its prefix cache and what it ran. */
export interface TransformerVerifier extends Verifier {
  /** The cache the verifier reads and fills (null when turned off): `clear()` it after changing the model's weights. */
  readonly prefixCache: PrefixKvCache | null;
  /** Token counts since the verifier was made (a copy). */
  counts(): TransformerVerifierCounts;
}

/**
 * A {@link Verifier} backed by a reward-model transformer. A PRM returns one
 * score per line of each solution (a line without a trailing separator — a
 * partial step, or the answer line — is scored at its last token; an empty
 * solution has none); an ORM returns one score per solution, an empty one
 * scored at the prompt's last token. Charged tokens (`usage.tokens`): every
 * token of every scored sequence, as the ledger prices them, whatever the
 * cache held (a result never depends on earlier calls); {@link TransformerVerifier.counts}
 * says how many were not run through the model.
 * The caller keeps ownership of `model` (dispose it when done).
 *
 * By default scoring is incremental ({@link scorePositionsCached}): a
 * sequence runs only what follows its longest prefix in the verifier's
 * {@link PrefixKvCache}, so scoring beam search's children costs their new
 * step. Its scores are the KV-cache decoder's, which differ from the full
 * forward pass's (`prefixCache: false`) by float32 rounding; either way a
 * score depends only on the tokens, never on the batch or on earlier calls.
 *
 * @example
 * const prm = transformerVerifier(loadCheckpoint("data/models/prm-60k").model, { name: "prm-60k", kind: "prm" });
 * const { scores } = await prm.scoreSteps(formatPrompt(p), [completion]);
 */
export function transformerVerifier(model: Transformer, options: TransformerVerifierOptions): TransformerVerifier {
  const tokenizer = options.tokenizer ?? CHAIN_TOKENIZER;
  const scoring = options.scoring ?? DEFAULT_REWARD_SCORING;
  const batchSize = options.batchSize ?? 64;
  requireArg("transformerVerifier", Number.isSafeInteger(batchSize) && batchSize >= 1, "a positive integer batchSize", batchSize);
  const [good, bad] = scoringIds(scoring, tokenizer);
  const cache = options.prefixCache === false ? null : (options.prefixCache ?? new PrefixKvCache());
  const counts: TransformerVerifierCounts = { calls: 0, tokens: 0, cachedTokens: 0 };
  return {
    name: options.name,
    prefixCache: cache,
    counts: () => ({ ...counts }),
    async scoreSteps(prompt: string, solutions: readonly string[]): Promise<ScoreStepsResult> {
      const promptIds = tokenizer.encode(prompt, { bos: true });
      const sequences = solutions.map((s) => [...promptIds, ...tokenizer.encode(s)]);
      // An ORM scores an empty solution at the prompt's last token (its verdict on writing nothing); a PRM has no lines to score.
      const positions = solutions.map((s, i) => (options.kind === "orm" ? [(sequences[i] as number[]).length - 1] : stepEndPositions(s, promptIds.length)));
      const tokens = sequences.reduce((a, q) => a + q.length, 0);
      counts.calls++;
      counts.tokens += tokens;
      if (cache !== null) {
        const r = scorePositionsCached(model, sequences, positions, cache, { good, bad, batchSize });
        counts.cachedTokens += r.cachedTokens;
        return { scores: r.scores, usage: { tokens } };
      }
      const scores: number[][] = [];
      for (let s = 0; s < sequences.length; s += batchSize) {
        scores.push(...scorePositions(model, sequences.slice(s, s + batchSize), positions.slice(s, s + batchSize), scoring, tokenizer));
      }
      return { scores, usage: { tokens } };
    },
  };
}

/** Token ids of the good and the bad scoring token. */
function scoringIds(scoring: RewardScoring, tokenizer: CharTokenizer): [number, number] {
  const [good, bad] = [tokenizer.encode(scoring.good), tokenizer.encode(scoring.bad)];
  requireArg("rewardObjective", good.length === 1 && bad.length === 1 && good[0] !== bad[0], "two distinct single-token scoring tokens", scoring);
  return [good[0] as number, bad[0] as number];
}

function contrastVector(scoring: RewardScoring, tokenizer: CharTokenizer): Float32Array {
  const [good, bad] = scoringIds(scoring, tokenizer);
  const v = new Float32Array(tokenizer.vocabSize);
  v[good] = 1;
  v[bad] = -1;
  return v;
}
