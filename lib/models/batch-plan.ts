import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";

/** Examples per length-sorted pool: batches are cut from pools of 16 batches' worth. */
const POOL_BATCHES = 16;

/**
 * Which examples go into each batch of one epoch: shuffle, cut into pools of
 * 16 batches' worth, sort each pool by length (so a batch pads little), cut
 * it into batches (a pool's short remainder is dropped), shuffle the batches.
 * A pure function of its arguments, so a resumed run rebuilds the same epoch.
 *
 * @param lengths - each example's length in tokens
 * @param rng - this epoch's random source (e.g. `rng.fork("epoch-3")`)
 * @returns batches of example indices, each of exactly `batchSize`
 * @throws InvalidArgumentError when there are fewer examples than `batchSize`
 */
export function batchPlan(lengths: readonly number[], batchSize: number, rng: Rng): number[][] {
  requireArg("batchPlan", Number.isSafeInteger(batchSize) && batchSize >= 1 && lengths.length >= batchSize, `at least batchSize (${batchSize}) examples`, lengths.length);
  const order = rng.shuffle(lengths.map((_, i) => i));
  const batches: number[][] = [];
  const pool = batchSize * POOL_BATCHES;
  for (let s = 0; s < order.length; s += pool) {
    const chunk = order.slice(s, s + pool).sort((a, b) => (lengths[a] as number) - (lengths[b] as number) || a - b);
    for (let i = 0; i + batchSize <= chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  return rng.shuffle(batches);
}

/** Number of batches {@link batchPlan} makes per epoch (the same for every epoch). */
export function batchesPerEpoch(examples: number, batchSize: number): number {
  const pool = batchSize * POOL_BATCHES;
  const full = Math.floor(examples / pool) * POOL_BATCHES;
  return full + Math.floor((examples % pool) / batchSize);
}
