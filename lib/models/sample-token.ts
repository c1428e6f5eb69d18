import type { Rng } from "../core/rng.ts";

/** How to pick the next token from logits. */
export interface SamplingOptions {
  /** Softmax temperature; 0 means greedy (argmax, lowest id on ties). Default 1. */
  temperature?: number;
  /** Nucleus sampling: draw from the smallest set of most likely tokens whose probability reaches this (Holtzman et al. 2020). Default 1 (off). */
  topP?: number;
}

/** A drawn token and its log-probability under the model (temperature 1, no nucleus). */
export interface SampledToken {
  token: number;
  logProb: number;
}

/**
 * Draw one token from `logits[offset … offset + vocab)`.
 *
 * Uses exactly one `rng.next()` per call when sampling and none when greedy,
 * so streams stay aligned across runs. `logProb` is the model's own
 * log-probability of the token (not the tempered, truncated one), which is
 * what likelihood-based scoring needs.
 */
export function sampleToken(logits: ArrayLike<number>, offset: number, vocab: number, options: SamplingOptions, rng?: Rng): SampledToken {
  const temperature = options.temperature ?? 1;
  const topP = options.topP ?? 1;
  let max = -Infinity;
  let best = 0;
  for (let i = 0; i < vocab; i++) {
    const x = logits[offset + i] as number;
    if (x > max) [max, best] = [x, i];
  }
  let z = 0;
  for (let i = 0; i < vocab; i++) z += Math.exp((logits[offset + i] as number) - max);
  const logZ = max + Math.log(z);
  const logProb = (token: number) => (logits[offset + token] as number) - logZ;
  if (temperature === 0 || rng === undefined) return { token: best, logProb: logProb(best) };

  const probs = new Float64Array(vocab);
  let total = 0;
  for (let i = 0; i < vocab; i++) total += probs[i] = Math.exp(((logits[offset + i] as number) - max) / temperature);
  const ids = Array.from({ length: vocab }, (_, i) => i);
  let kept = vocab;
  if (topP < 1) {
    ids.sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
    let mass = 0;
    for (kept = 0; kept < vocab && mass < topP * total; kept++) mass += probs[ids[kept] as number] as number;
    total = mass;
  }
  let u = rng.next() * total;
  for (let r = 0; r < kept; r++) {
    const id = ids[r] as number;
    u -= probs[id] as number;
    if (u < 0) return { token: id, logProb: logProb(id) };
  }
  const last = ids[kept - 1] as number;
  return { token: last, logProb: logProb(last) };
}
