import { requireArg } from "./errors.ts";

/**
 * A seeded, forkable random source. Every stochastic function in ttc-lab takes
 * one of these; `Math.random` is never used in `lib/`.
 *
 * The generator is xoshiro128** (Blackman & Vigna 2018): 128 bits of state,
 * 32-bit output, period 2^128 − 1. The state is derived from a *key* (the seed,
 * or a parent's key plus a fork label) by a string hash followed by SplitMix32,
 * so the same key always gives the same stream, on every runtime.
 */
export interface Rng {
  /** The key this stream was derived from, e.g. `"42/data/problem-3"`. */
  readonly key: string;
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [0, n). `n` must be a positive safe integer. Unbiased for n ≤ 2^32. */
  int(n: number): number;
  /** Normal deviate (Box–Muller) with the given mean and standard deviation. */
  normal(mean?: number, sd?: number): number;
  /**
   * An independent stream for one consumer, derived from this stream's key and
   * `label` only — it does not advance this stream, so adding a consumer does
   * not shift any other consumer's numbers. The same label gives the same stream.
   */
  fork(label: string | number): Rng;
  /** A 31-bit non-negative integer, for seeding libraries that take an int seed (tfjs). */
  seedInt(): number;
  /** Shuffle `a` in place (Fisher–Yates) and return it. */
  shuffle<T>(a: T[]): T[];
}

/**
 * Create a random stream from a seed.
 *
 * @param seed - any integer or string; equal seeds give byte-identical streams
 * @returns a fresh {@link Rng}
 * @throws InvalidArgumentError if `seed` is a non-integer number
 * @example
 * const r = rng(42);
 * const u = r.next();            // same value on every run
 * const data = r.fork("data");   // independent stream for the data generator
 */
export function rng(seed: number | string): Rng {
  if (typeof seed === "number") requireArg("rng", Number.isSafeInteger(seed), "an integer or string seed", seed);
  return new Xoshiro128(String(seed));
}

/**
 * A stream started from an explicit xoshiro128** state (four 32-bit words, not
 * all zero) instead of a hashed key — for checking the generator against the
 * reference algorithm, and for resuming a stream whose state was saved.
 *
 * @throws InvalidArgumentError unless the state is four uint32 values, not all zero
 */
export function rngFromState(state: readonly [number, number, number, number], key = "state"): Rng {
  requireArg(
    "rngFromState",
    state.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32) && state.some((x) => x !== 0),
    "four uint32 words, not all zero",
    state,
  );
  return new Xoshiro128(key, state);
}

class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(
    readonly key: string,
    initial?: readonly [number, number, number, number],
  ) {
    const state = initial ?? seedState(key);
    this.s0 = state[0];
    this.s1 = state[1];
    this.s2 = state[2];
    this.s3 = state[3];
  }

  uint32(): number {
    // xoshiro128**: result = rotl(s1 * 5, 7) * 9
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  next(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  int(n: number): number {
    requireArg("Rng.int", Number.isSafeInteger(n) && n > 0, "a positive safe integer n", n);
    if (n <= 0x100000000) {
      // Rejection sampling: accept only draws below the largest multiple of n.
      const limit = 0x100000000 - (0x100000000 % n);
      let x = this.uint32();
      while (x >= limit) x = this.uint32();
      return x % n;
    }
    return Math.floor(this.next() * n);
  }

  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.next(); // (0, 1]
    const u2 = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  fork(label: string | number): Rng {
    return new Xoshiro128(`${this.key}/${String(label)}`);
  }

  seedInt(): number {
    return this.uint32() >>> 1;
  }

  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i] as T;
      a[i] = a[j] as T;
      a[j] = tmp;
    }
    return a;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Hash a key string to 128 bits of non-zero generator state: four lanes of a
 * multiply–xorshift string hash, each finished with SplitMix32's mixer.
 */
function seedState(key: string): [number, number, number, number] {
  let h0 = 0x9e3779b9;
  let h1 = 0x243f6a88;
  let h2 = 0xb7e15162;
  let h3 = 0x85a308d3;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h0 = Math.imul(h0 ^ c, 0x85ebca6b);
    h1 = Math.imul(h1 ^ c, 0xc2b2ae35);
    h2 = Math.imul(h2 ^ c, 0x27d4eb2f);
    h3 = Math.imul(h3 ^ c, 0x165667b1);
    h0 = rotl(h0, 13) ^ h3;
    h1 = rotl(h1, 15) ^ h0;
    h2 = rotl(h2, 17) ^ h1;
    h3 = rotl(h3, 19) ^ h2;
  }
  h0 ^= key.length;
  const out: [number, number, number, number] = [splitMix32(h0), splitMix32(h1 ^ h0), splitMix32(h2 ^ h1), splitMix32(h3 ^ h2)];
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1; // xoshiro's one forbidden state
  return out;
}

/** SplitMix32 finaliser (a bijective 32-bit mixer). */
function splitMix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
