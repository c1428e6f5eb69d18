import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { HttpClient, type HttpClientOptions } from "./http-client.ts";
import { HttpRequestError } from "./http-request-error.ts";
import { MockOpenAIServer } from "./mock-openai-server.test-util.ts";
import { retryAfterMs, retryDelayMs } from "./retry-delay.ts";

let mock: MockOpenAIServer;
beforeAll(async () => {
  mock = await MockOpenAIServer.start({ responseDelayMs: 0 });
});
afterAll(() => mock.close());

const PATH = "/v1/completions";
const body = { model: "m", prompt: "x", max_tokens: 3 };

/** A client whose retry waits are recorded instead of slept. */
function client(options: HttpClientOptions = {}): { http: HttpClient; waits: number[] } {
  const waits: number[] = [];
  const http = new HttpClient({ sleep: async (ms) => void waits.push(ms), ...options });
  return { http, waits };
}

async function failure(p: Promise<unknown>): Promise<HttpRequestError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HttpRequestError);
  return e as HttpRequestError;
}

describe("retry delays", () => {
  it("double up to the cap, with jitter in [½, 1] of the step", () => {
    const r = rng(5);
    for (let a = 0; a < 8; a++) {
      const full = Math.min(4000, 500 * 2 ** a);
      const d = retryDelayMs(a, { baseDelayMs: 500, maxDelayMs: 4000 }, r);
      expect(d).toBeGreaterThanOrEqual(full / 2);
      expect(d).toBeLessThanOrEqual(full);
    }
  });

  it("repeat under the same seed", () => {
    const a = [0, 1, 2].map((k) => retryDelayMs(k, {}, rng(9).fork(k)));
    const b = [0, 1, 2].map((k) => retryDelayMs(k, {}, rng(9).fork(k)));
    expect(a).toEqual(b);
  });

  it("Retry-After: seconds, HTTP date (RFC 9110 §10.2.3) and retry-after-ms", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(retryAfterMs(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 21 Oct 2015 07:28:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ "retry-after": "2", "retry-after-ms": "150" }), now)).toBe(150);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

describe("HttpClient against a mock server", () => {
  it("retries a 429 after the Retry-After wait, then a 503 after a backoff, then succeeds", async () => {
    const { http, waits } = client({ baseDelayMs: 100, rng: rng(1) });
    const before = mock.count(PATH);
    mock.fail(PATH, { status: 429, headers: { "retry-after": "2" } }, { status: 503 });
    const out = (await http.postJson(`${mock.baseUrl}/completions`, body)) as { choices: unknown[] };
    expect(out.choices).toHaveLength(1);
    expect(mock.count(PATH) - before).toBe(3);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThanOrEqual(50 * 2);
    expect(waits[1]).toBeLessThanOrEqual(100 * 2);
  });

  it("fails a 400 at once, naming status, URL and the server's message", async () => {
    const { http, waits } = client();
    const before = mock.count(PATH);
    mock.fail(PATH, { status: 400, body: JSON.stringify({ error: { message: "max_tokens must be at most 4096" } }) });
    const e = await failure(http.postJson(`${mock.baseUrl}/completions`, body));
    expect(mock.count(PATH) - before).toBe(1);
    expect(waits).toEqual([]);
    expect([e.status, e.retryable, e.attempts]).toEqual([400, false, 1]);
    expect(e.message).toContain(`POST ${mock.baseUrl}/completions failed with HTTP 400`);
    expect(e.message).toContain('"max_tokens must be at most 4096"');
    expect(e.message).toContain("not retried");
  });

  it("gives up on 5xx after maxRetries, saying how many attempts", async () => {
    const { http, waits } = client({ maxRetries: 2 });
    mock.fail(PATH, { status: 500 }, { status: 502 }, { status: 503 });
    const e = await failure(http.postJson(`${mock.baseUrl}/completions`, body));
    expect([e.status, e.attempts, e.retryable, waits.length]).toEqual([503, 3, true, 2]);
    expect(e.message).toContain("gave up after 3 attempts");
  });

  it("times out a slow answer, retries it, and reports the timeout", async () => {
    const { http } = client({ timeoutMs: 60, maxRetries: 1 });
    const before = mock.count(PATH);
    mock.fail(PATH, { delayMs: 400 }, { delayMs: 400 });
    const e = await failure(http.postJson(`${mock.baseUrl}/completions`, body));
    expect(e.kind).toBe("timeout");
    expect(e.attempts).toBe(2);
    expect(mock.count(PATH) - before).toBe(2);
    expect(e.message).toContain("timed out after 60 ms (2 attempts)");
  });

  it("retries a truncated JSON body", async () => {
    const { http, waits } = client();
    mock.fail(PATH, { truncate: true });
    const out = (await http.postJson(`${mock.baseUrl}/completions`, body)) as { choices: unknown[] };
    expect(out.choices).toHaveLength(1);
    expect(waits).toHaveLength(1);
  });

  it("reports a refused connection as a network error after its retries", async () => {
    const closed = await MockOpenAIServer.start();
    const url = `${closed.baseUrl}/completions`;
    await closed.close();
    const { http } = client({ maxRetries: 1 });
    const e = await failure(http.postJson(url, body));
    expect([e.kind, e.attempts]).toEqual(["network", 2]);
    expect(e.message).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it("refuses a Retry-After longer than maxRetryAfterMs instead of hanging", async () => {
    const { http, waits } = client({ maxRetryAfterMs: 1000 });
    mock.fail(PATH, { status: 429, headers: { "retry-after": "3600" } });
    const e = await failure(http.postJson(`${mock.baseUrl}/completions`, body));
    expect(waits).toEqual([]);
    expect(e.message).toContain("exceeds maxRetryAfterMs");
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    const slow = await MockOpenAIServer.start({ responseDelayMs: 25 });
    try {
      const http = new HttpClient({ concurrency: 3 });
      await Promise.all(Array.from({ length: 10 }, () => http.postJson(`${slow.baseUrl}/completions`, body)));
      expect(slow.count(PATH)).toBe(10);
      expect(slow.maxInFlight).toBe(3);
    } finally {
      await slow.close();
    }
  });

  it("an aborted call rejects with the signal's reason and is not retried", async () => {
    const { http, waits } = client();
    const ac = new AbortController();
    mock.fail(PATH, { delayMs: 300 });
    const p = http.postJson(`${mock.baseUrl}/completions`, body, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("stop here")), 20);
    await expect(p).rejects.toThrow("stop here");
    expect(waits).toEqual([]);
  });
});
