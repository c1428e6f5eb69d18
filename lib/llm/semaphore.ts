import { requireArg } from "../core/errors.ts";

/**
 * A counting semaphore: at most `limit` holders at once, waiters served first
 * come, first served. Used to cap in-flight requests to a model server.
 *
 * @example
 * const s = new Semaphore(4);
 * const release = await s.acquire();
 * try { await call(); } finally { release(); }
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /**
   * @param limit - most concurrent holders, a positive integer
   * @throws InvalidArgumentError when `limit` is not a positive integer
   */
  constructor(readonly limit: number) {
    requireArg("Semaphore", Number.isSafeInteger(limit) && limit >= 1, "a positive integer limit", limit);
  }

  /** Holders right now. */
  get inUse(): number {
    return this.active;
  }

  /**
   * Wait for a slot.
   *
   * @param signal - abandon the wait when aborted (the promise then rejects with the signal's reason)
   * @returns a release function; call it exactly once (later calls do nothing)
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        this.active++;
        resolve(this.releaser());
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}
