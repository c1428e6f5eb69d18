import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../core/backend.ts";
import { rng } from "../core/rng.ts";
import { CHAIN_TOKENIZER } from "../tasks/char-tokenizer.ts";
import type { SampleStepsResult } from "../strategies/policy.ts";
import { generate } from "./generate.ts";
import { TINY } from "./models-fixtures.test-util.ts";
import { createTransformer, type Transformer } from "./transformer.ts";
import { PrefixKvCache } from "./prefix-kv-cache.ts";
import { transformerPolicy, type TransformerPolicy } from "./transformer-policy.ts";

let model: Transformer;
beforeAll(async () => {
  await selectBackend({ name: "wasm" });
  model = createTransformer(TINY, rng(3));
});
afterAll(() => model.dispose());

describe("transformerPolicy", () => {
  it("returns n continuations per prefix equal to direct generation from rng.fork('p<i>').fork('seq-<j>'), with usage counts, and leaks no tensors", async () => {
    const policy = transformerPolicy(model, "tiny");
    const prefixes = ["347+5-8\n", "120-3\n+3=0"];
    const before = tf.memory().numTensors;
    const res = await policy.sampleSteps(prefixes, { maxTokens: 6, stopAtStepEnd: true, temperature: 1, n: 2, rng: rng(9) });
    expect(tf.memory().numTensors).toBe(before);
    expect(res.samples.map((s) => s.length)).toEqual([2, 2]);
    const ids = prefixes.flatMap((p) => [0, 1].map(() => CHAIN_TOKENIZER.encode(p, { bos: true })));
    // Continuation j of prefix i: rng.fork("p<i>").fork("seq-<j>") — the stream ttc serve gives choice j of a request seeded with rng.fork("p<i>").key.
    const sequences = [0, 1].flatMap((i) => [0, 1].map((j) => ({ rng: rng(9).fork(`p${i}`).fork(`seq-${j}`) })));
    const direct = generate(model, ids, { maxNewTokens: 6, temperature: 1, topP: 1, stopAtStepEnd: true, sequences });
    res.samples.flat().forEach((s, b) => {
      expect(s.tokens).toBe(direct.tokens[b]!.length);
      expect(s.text).toBe(CHAIN_TOKENIZER.decode(direct.tokens[b]!));
      expect(s.stepEnded).toBe(direct.stopReasons[b] === "step");
      expect(s.finished).toBe(direct.stopReasons[b] === "eos");
    });
    expect(res.usage.generatedTokens).toBe(direct.generatedTokens.reduce((a, v) => a + v, 0));
    expect(res.usage.promptTokens).toBe(ids.reduce((a, p) => a + p.length, 0));
    expect(policy.countTokens("+5=352\n")).toBe(7);
  });

  it("draws continuation j of prefix i from its own (i, j) stream, whatever the other prefixes and n are", async () => {
    const policy = transformerPolicy(model, "tiny");
    const opts = { maxTokens: 6, stopAtStepEnd: false, temperature: 1, rng: rng(5) };
    const both = await policy.sampleSteps(["500+1\n", "120-3\n"], { ...opts, n: 3 });
    // Prefix 1 again, beside another prefix 0 and with n = 2: its two continuations repeat (batch rows 2–3 here, 3–4 before).
    const other = await policy.sampleSteps(["9*2\n", "120-3\n"], { ...opts, n: 2 });
    expect(other.samples[1]).toEqual(both.samples[1]!.slice(0, 2));
    // Different (i, j) give different streams: with 6 free tokens from a random model, 6 texts are not all one.
    expect(new Set(both.samples.flat().map((s) => s.text)).size).toBeGreaterThan(1);
  });

  it("is deterministic for a seed", async () => {
    const policy = transformerPolicy(model, "tiny");
    const opts = { maxTokens: 5, stopAtStepEnd: false, temperature: 1, n: 3, rng: rng(4) };
    const a = await policy.sampleSteps(["500+1\n"], opts);
    const b = await policy.sampleSteps(["500+1\n"], { ...opts, rng: rng(4) });
    expect(a).toEqual(b);
  });

  it("ends a solution that fills the context: finished, and a prefix already at maxLen gets an empty finished continuation", async () => {
    const policy = transformerPolicy(model, "tiny");
    const prompt = "500+1\n";
    const room = TINY.maxLen - CHAIN_TOKENIZER.encode(prompt, { bos: true }).length;
    const full = prompt + "0".repeat(room); // BOS + this = maxLen tokens
    const r = await policy.sampleSteps([prompt, full], { maxTokens: 10 * room, stopAtStepEnd: false, temperature: 0, rng: rng(1) });
    const [open, closed] = [r.samples[0]![0]!, r.samples[1]![0]!];
    if (!open.finished) throw new Error("a continuation that runs to the end of the context must be finished");
    expect(open.tokens).toBeLessThanOrEqual(room);
    expect(closed).toEqual({ text: "", tokens: 0, finished: true, stepEnded: false, logProb: 0 });
  });
});

/** Tokens of `text` with BOS, as the policy encodes a prefix. */
const len = (text: string) => CHAIN_TOKENIZER.encode(text, { bos: true }).length;

/** Beam search's pattern: every unfinished continuation becomes a prefix of the next round. Returns each round's prefixes and result. */
async function rounds(policy: TransformerPolicy, first: string, count: number, n: number): Promise<{ prefixes: string[]; res: SampleStepsResult }[]> {
  const out: { prefixes: string[]; res: SampleStepsResult }[] = [];
  let prefixes = [first];
  for (let r = 0; r < count && prefixes.length > 0; r++) {
    const res = await policy.sampleSteps(prefixes, { maxTokens: 6, stopAtStepEnd: true, temperature: 1, n, rng: rng(21).fork(`round-${r}`) });
    out.push({ prefixes, res });
    prefixes = prefixes.flatMap((p, i) => res.samples[i]!.filter((s) => !s.finished).map((s) => p + s.text));
  }
  return out;
}

/**
 * Prompt tokens a prefix cache must have saved over `rounds`, counted independently of the policy: per prefix of
 * length L, its first continuation reuses the longest common prefix (at most L − 1) with any sequence an earlier call
 * ran through the model — prefix + sampled tokens but the last, re-sampled here by `generate` from the same streams —
 * and its other n − 1 continuations fork after L − 1 tokens. (A sampled PAD or BOS decodes to no text, so the next
 * prefix may part from what was run before its end.)
 */
function expectedCached(data: { prefixes: string[] }[], n: number): number {
  const ran: number[][] = [];
  let saved = 0;
  data.forEach(({ prefixes }, r) => {
    const now: number[][] = [];
    prefixes.forEach((p, i) => {
      const ids = CHAIN_TOKENIZER.encode(p, { bos: true });
      const lcp = (s: number[]) => {
        let k = 0;
        while (k < s.length && k < ids.length - 1 && s[k] === ids[k]) k++;
        return k;
      };
      saved += Math.max(0, ...ran.map(lcp)) + (n - 1) * (ids.length - 1);
      const sequences = Array.from({ length: n }, (_, j) => ({ rng: rng(21).fork(`round-${r}`).fork(`p${i}`).fork(`seq-${j}`) }));
      const g = generate(model, sequences.map(() => ids), { maxNewTokens: 6, temperature: 1, topP: 1, stopAtStepEnd: true, sequences });
      for (const t of g.tokens) now.push([...ids, ...t.slice(0, -1)]);
    });
    ran.push(...now);
  });
  return saved;
}

describe("transformerPolicy's prefix cache", () => {
  const off = () => transformerPolicy(model, "off", CHAIN_TOKENIZER, { prefixCache: false });

  it("gives the cache-off policy's bits over rounds that extend the last round's continuations, and runs only their new tokens", async () => {
    const before = tf.memory().numTensors;
    const [cached, plain] = [transformerPolicy(model, "on"), off()];
    const a = await rounds(cached, "347+5-8\n", 3, 2);
    const b = await rounds(plain, "347+5-8\n", 3, 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.map((r) => r.res)).toEqual(b.map((r) => r.res)); // texts, token counts, flags, log-probs, usage
    expect(a.length).toBe(3);
    expect(a[2]!.prefixes.length).toBeGreaterThan(1);
    const expected = expectedCached(a, 2);
    const c = cached.counts();
    const sum = (f: (u: SampleStepsResult["usage"]) => number) => a.reduce((x, r) => x + f(r.res.usage), 0);
    const rows = a.reduce((x, r) => x + 2 * r.prefixes.length, 0);
    expect(c).toEqual({ calls: 3, promptTokens: sum((u) => u.promptTokens), cachedPromptTokens: expected, generatedTokens: sum((u) => u.generatedTokens), processedTokens: sum((u) => u.promptTokens) - expected + sum((u) => u.generatedTokens) - rows });
    // Each later prefix reuses nearly all of itself: more than the forks alone would save.
    const forksOnly = a.reduce((x, r) => x + r.prefixes.reduce((y, p) => y + (len(p) - 1), 0), 0);
    expect(expected - forksOnly).toBeGreaterThan(a.slice(1).reduce((x, r) => x + r.prefixes.length, 0) * (len("347+5-8\n") - 1));
    // Without the cache only the forks are saved: (n − 1)(L − 1) per prefix.
    expect(plain.counts().cachedPromptTokens).toBe(forksOnly);
    expect(plain.prefixCache).toBeNull();
  });

  it("reuses a cached sequence that equals the prompt (all but its last token) or is a strict prefix of it, with the bits of no cache", async () => {
    const cached = transformerPolicy(model, "on");
    const opts = { maxTokens: 6, stopAtStepEnd: false, temperature: 1, n: 1, rng: rng(33) };
    const p = "120-3\n";
    const s = (await cached.sampleSteps([p], opts)).samples[0]![0]!;
    expect(CHAIN_TOKENIZER.encode(s.text).length).toBe(6); // six characters, no EOS: the cache now holds p + s minus its last token
    const held = p + s.text.slice(0, -1);
    for (const [prefix, hit] of [[held, len(held) - 1], [p + s.text + "12", len(held)]] as const) {
      const before = cached.counts().cachedPromptTokens;
      const got = await cached.sampleSteps([prefix], opts);
      expect(got).toEqual(await off().sampleSteps([prefix], opts));
      expect(cached.counts().cachedPromptTokens - before).toBe(hit);
    }
    cached.prefixCache!.clear();
    const before = cached.counts().cachedPromptTokens;
    await cached.sampleSteps([held], opts);
    expect(cached.counts().cachedPromptTokens).toBe(before); // cleared: nothing to reuse
  });

  it("stays within its byte bound, evicting, with unchanged samples", async () => {
    // TINY: 2 layers × 4 KV heads × 6 floats of keys and of values = 384 bytes a position (+ 4 for its token): ~10 positions.
    const small = transformerPolicy(model, "small", CHAIN_TOKENIZER, { prefixCache: new PrefixKvCache({ maxBytes: 4000 }) });
    const a = await rounds(small, "500+1\n", 3, 2);
    expect(a.map((r) => r.res)).toEqual((await rounds(off(), "500+1\n", 3, 2)).map((r) => r.res));
    const stats = small.prefixCache!.stats();
    expect(stats.bytes).toBeLessThanOrEqual(4000);
    expect(stats.evictions).toBeGreaterThan(0);
  });
});
