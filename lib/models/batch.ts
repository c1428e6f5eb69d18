import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";

/** One training sequence: BOS … EOS without padding, and where its completion starts. */
export interface TrainExample {
  tokens: readonly number[];
  /** Tokens before the completion (BOS and prompt); only positions ≥ this are scored. */
  promptTokens: number;
}

/** A padded batch for next-token training; the caller disposes its tensors. */
export type TrainBatch = {
  /** [B, T] int32 input ids (each example minus its last token, right-padded with `pad`). */
  inputs: tf.Tensor2D;
  /** [B·T] int32 next-token targets. */
  targets: tf.Tensor1D;
  /** [B·T] float32: 1 where the target is a completion token (EOS included), else 0. */
  weights: tf.Tensor1D;
  /** Number of scored targets (the sum of `weights`). */
  scoredTokens: number;
  /** B·T, padding included. */
  paddedTokens: number;
};

/**
 * Pad a list of examples into one batch with a completion-only loss mask: the
 * target at input position t is token t+1, scored when t+1 ≥ promptTokens.
 *
 * @param pad - the padding id (default 0, the tokenizer's PAD)
 * @throws InvalidArgumentError on an empty list, or an example whose completion is empty
 */
export function makeBatch(examples: readonly TrainExample[], pad = 0): TrainBatch {
  requireArg("makeBatch", examples.length > 0, "at least one example", examples.length);
  const len = Math.max(...examples.map((e) => e.tokens.length)) - 1;
  const b = examples.length;
  const inputs = new Int32Array(b * len).fill(pad);
  const targets = new Int32Array(b * len).fill(pad);
  const weights = new Float32Array(b * len);
  let scored = 0;
  examples.forEach((e, i) => {
    requireArg("makeBatch", e.promptTokens >= 1 && e.promptTokens < e.tokens.length, "1 ≤ promptTokens < tokens.length", e.promptTokens);
    for (let t = 0; t < e.tokens.length - 1; t++) {
      inputs[i * len + t] = e.tokens[t] as number;
      targets[i * len + t] = e.tokens[t + 1] as number;
      if (t + 1 >= e.promptTokens) {
        weights[i * len + t] = 1;
        scored++;
      }
    }
  });
  return {
    inputs: tf.tensor2d(inputs, [b, len], "int32"),
    targets: tf.tensor1d(targets, "int32"),
    weights: tf.tensor1d(weights, "float32"),
    scoredTokens: scored,
    paddedTokens: b * len,
  };
}

/**
 * Mean negative log-likelihood of the scored targets.
 *
 * @param logits - [B, T, V]
 * @returns a scalar; the caller disposes it
 */
export function completionLoss(logits: tf.Tensor3D, batch: TrainBatch): tf.Scalar {
  return tf.tidy(() => {
    const [b, t, v] = logits.shape;
    const logp = tf.logSoftmax(tf.reshape(logits, [b * t, v]));
    const picked = tf.sum(tf.mul(logp, tf.cast(tf.oneHot(batch.targets, v), "float32")), -1);
    return tf.mul(tf.sum(tf.mul(picked, batch.weights)), -1 / Math.max(1, batch.scoredTokens)) as tf.Scalar;
  });
}
