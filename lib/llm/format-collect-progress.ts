import type { CollectProgress } from "./collect-samples.ts";

/**
 * One progress line of a collection run, e.g.
 * `1200/5000 samples (24.0%), 3512 tok/s, ETA 4m 05s`.
 *
 * @param p - progress from {@link collectSamples}
 * @returns the line, without a newline
 * @example
 * formatCollectProgress({ done: 10, total: 40, written: 10, tokens: 5000, elapsedMs: 2000, tokensPerSecond: 2500, etaMs: 6000 });
 * // "10/40 samples (25.0%), 2500 tok/s, ETA 6s"
 */
export function formatCollectProgress(p: CollectProgress): string {
  const pct = p.total === 0 ? 100 : (100 * p.done) / p.total;
  const eta = p.etaMs === undefined ? "ETA ?" : `ETA ${formatDuration(p.etaMs)}`;
  return `${p.done}/${p.total} samples (${pct.toFixed(1)}%), ${Math.round(p.tokensPerSecond)} tok/s, ${eta}`;
}

/** `59s`, `4m 05s`, `2h 03m`. */
function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
