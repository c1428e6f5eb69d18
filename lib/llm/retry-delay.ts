import type { Rng } from "../core/rng.ts";

/** Backoff settings of {@link retryDelayMs}. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter (ms); default 500. */
  baseDelayMs?: number;
  /** Largest delay, before jitter (ms); default 20 000. */
  maxDelayMs?: number;
}

/**
 * Delay before retry number `attempt` (0 = the first retry): exponential
 * backoff `min(max, base · 2^attempt)` with "equal jitter" — a uniform draw in
 * [½, 1] of that — so that clients that failed together do not retry in lock
 * step (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015). The
 * jitter comes from `r`, so a seeded run waits the same delays.
 *
 * @param attempt - retries already made, ≥ 0
 * @param options - base and cap in ms
 * @param r - random source for the jitter
 * @returns the delay in ms
 * @example
 * retryDelayMs(0, { baseDelayMs: 500 }, rng(1)); // in [250, 500]
 * retryDelayMs(3, { baseDelayMs: 500 }, rng(1)); // in [2000, 4000]
 */
export function retryDelayMs(attempt: number, options: BackoffOptions, r: Rng): number {
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 20_000;
  const full = Math.min(cap, base * 2 ** Math.min(attempt, 52));
  return full * (0.5 + 0.5 * r.next());
}

/**
 * The wait a `Retry-After` header asks for (RFC 9110 §10.2.3): either a number
 * of seconds or an HTTP date. Also reads the `retry-after-ms` header that
 * OpenAI's API sends, which takes precedence.
 *
 * @param headers - the response headers
 * @param nowMs - the current time (ms since the epoch), for HTTP dates
 * @returns the wait in ms (≥ 0), or `undefined` when there is no usable header
 * @example
 * retryAfterMs(new Headers({ "retry-after": "2" }), Date.now()); // 2000
 */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Number(ms);
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
