import { requireArg, requireEach } from "../core/errors.ts";
import { KvDecoder } from "../models/kv-decoder.ts";
import { kvPrefixValues, type KvPrefix } from "../models/kv-span.ts";
import type { PrefixKvCache } from "../models/prefix-kv-cache.ts";
import type { Transformer } from "../models/transformer.ts";

/** Options of {@link scorePositionsCached}. */
export interface ScorePositionsCachedOptions {
  /** Id of the token whose logit counts for "good" (`+` in the chain vocabulary). */
  good: number;
  /** Id of the token whose logit counts against. */
  bad: number;
  /** Sequences decoded together (default 64). */
  batchSize?: number;
}

/** What {@link scorePositionsCached} returns. */
export interface ScorePositionsCachedResult {
  /** scores[i][k] = σ(logit₊ − logit₋) after reading tokens 0 … positions[i][k] of sequence i. */
  scores: number[][];
  /** Tokens run through the model. */
  processedTokens: number;
  /** Tokens of the sequences not run through the model (held by the cache, or shared with another sequence of the call). */
  cachedTokens: number;
}

/**
 * A reward model's scores σ(logit₊ − logit₋) at given positions, read
 * incrementally: each sequence feeds only what follows its longest prefix in
 * `cache` through the KV-cache decoder ({@link KvDecoder}); the cache keeps
 * each position's K/V and its logit contrast (`KvSpan.values`), so a prefix
 * scored before costs nothing and a PRM extending last round's beams reads
 * only the new step. Identical sequences run once; when every sequence of the
 * call shares a prefix longer than what the cache holds, that prefix runs
 * once first. A score depends only on the tokens up to its position (not on
 * the cache's history or the batch): the decoder's arithmetic, which agrees
 * with the full forward pass (`scorePositions`) to float32 rounding.
 *
 * @param sequences - token ids per sequence (BOS first), each 1 … maxLen long
 * @param positions - positions to read per sequence (each < its length)
 * @param cache - this model's cache (filled with every sequence's K/V and contrasts)
 * @returns scores in (0, 1) and the tokens run / not run
 * @throws InvalidArgumentError on mismatched lists, an empty or over-long sequence, or a position outside its sequence
 * @example
 * const cache = new PrefixKvCache();
 * scorePositionsCached(prm, [ids], [[ids.length - 1]], cache, { good: 14, bad: 15 }).scores[0][0];
 * @see scorePositions (lib/rewards/reward-model.ts), the full-forward reading
 */
export function scorePositionsCached(model: Transformer, sequences: readonly (readonly number[])[], positions: readonly (readonly number[])[], cache: PrefixKvCache, options: ScorePositionsCachedOptions): ScorePositionsCachedResult {
  const fn = "scorePositionsCached";
  const batchSize = options.batchSize ?? 64;
  const { maxLen } = model.config;
  requireArg(fn, sequences.length === positions.length, `positions for each of the ${sequences.length} sequences`, positions.length);
  requireArg(fn, Number.isSafeInteger(batchSize) && batchSize >= 1, "a positive integer batchSize", batchSize);
  requireArg(fn, sequences.every((s) => s.length >= 1 && s.length <= maxLen), `sequences of 1..${maxLen} tokens`, sequences.map((s) => s.length));
  positions.forEach((ps, i) => ps.forEach((p) => requireEach(fn, Number.isInteger(p) && p >= 0 && p < (sequences[i] as readonly number[]).length, "positions inside their sequence", () => `${p} in sequence ${i}`)));
  // One representative per distinct sequence; the others take its contrasts.
  const first = new Map<string, number>();
  const same = sequences.map((s, i) => {
    const key = s.join(",");
    if (!first.has(key)) first.set(key, i);
    return first.get(key) as number;
  });
  const unique = [...first.values()];
  let processed = 0;
  let prefixes = sequences.map((s) => cache.lookup(s, s.length));
  const shared = commonPrefix(unique.map((i) => sequences[i] as readonly number[]));
  if (unique.length >= 2 && unique.some((i) => (prefixes[i] as KvPrefix).length < shared)) {
    const head = (sequences[unique[0] as number] as readonly number[]).slice(0, shared);
    const known = cache.lookup(head);
    const headValues = new Float32Array(shared);
    headValues.set(kvPrefixValues(known));
    processed += decodeInto(model, [head], [known], [headValues], cache, options);
    prefixes = sequences.map((s) => cache.lookup(s, s.length));
  }
  const values = sequences.map((s, i) => {
    const v = new Float32Array(s.length);
    if (same[i] === i) v.set(kvPrefixValues(prefixes[i] as KvPrefix));
    return v;
  });
  const work = unique.filter((i) => (prefixes[i] as KvPrefix).length < (sequences[i] as readonly number[]).length);
  for (let s = 0; s < work.length; s += batchSize) {
    const chunk = work.slice(s, s + batchSize);
    const pick = <T>(xs: readonly T[]) => chunk.map((i) => xs[i] as T);
    processed += decodeInto(model, pick(sequences), pick(prefixes), pick(values), cache, options);
  }
  const total = sequences.reduce((a, s) => a + s.length, 0);
  const scores = positions.map((ps, i) => ps.map((p) => 1 / (1 + Math.exp(-((values[same[i] as number] as Float32Array)[p] as number)))));
  return { scores, processedTokens: processed, cachedTokens: Math.max(0, total - processed) };
}

/**
 * Feed each sequence from its cached prefix to its end in lockstep, writing
 * the contrast logit₊ − logit₋ (float32) of every fed position into `values`,
 * then put every sequence into the cache. `values[r]` must already hold the
 * cached prefix's contrasts (an insert may ask for them again if they were
 * evicted meanwhile). Returns the tokens fed.
 */
function decodeInto(model: Transformer, seqs: readonly (readonly number[])[], prefixes: readonly KvPrefix[], values: readonly Float32Array[], cache: PrefixKvCache, options: ScorePositionsCachedOptions): number {
  const v = model.config.vocabSize;
  const dec = new KvDecoder(model, seqs.length);
  let fed = 0;
  try {
    prefixes.forEach((p, r) => p.length > 0 && dec.writeKv(r, p));
    const tokens = new Int32Array(seqs.length);
    const active = new Array<boolean>(seqs.length);
    for (;;) {
      seqs.forEach((s, r) => {
        const at = dec.positions[r] as number;
        active[r] = at < s.length;
        if (active[r]) tokens[r] = s[at] as number;
      });
      if (!active.some((a) => a)) break;
      const logits = dec.step(tokens, active);
      seqs.forEach((_, r) => {
        if (!active[r]) return;
        fed++;
        (values[r] as Float32Array)[(dec.positions[r] as number) - 1] = Math.fround((logits[r * v + options.good] as number) - (logits[r * v + options.bad] as number));
      });
    }
    seqs.forEach((s, r) => cache.insert(s, (from, to) => ({ ...dec.readKv(r, from, to), values: (values[r] as Float32Array).slice(from, to) })));
  } finally {
    dec.dispose();
  }
  return fed;
}

/** Length of the longest common prefix of all `seqs` (0 for none). */
function commonPrefix(seqs: readonly (readonly number[])[]): number {
  if (seqs.length === 0) return 0;
  const a = seqs[0] as readonly number[];
  let n = a.length;
  for (const s of seqs) {
    let k = 0;
    while (k < n && k < s.length && s[k] === a[k]) k++;
    n = k;
  }
  return n;
}
