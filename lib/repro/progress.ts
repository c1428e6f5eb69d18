import type { Progress } from "./types.ts";

/**
 * A {@link Progress} callback that prints `[label] 42% message (3.1 s)` to
 * stderr at most every `everyMs` milliseconds (and always at 100%), so long
 * runs show they are alive without flooding the log.
 *
 * @param label - prefix, e.g. `"saha24-attention-io/full"`
 * @param everyMs - minimum time between lines (default 2000)
 * @param write - where lines go (default: process.stderr when it exists, else console.error)
 */
export function progressPrinter(label: string, everyMs = 2000, write?: (line: string) => void): Progress {
  const out = write ?? defaultWrite();
  const t0 = performance.now();
  let last = -Infinity;
  return (message, fraction) => {
    const now = performance.now();
    if (fraction !== 1 && now - last < everyMs) return;
    last = now;
    const pct = fraction === undefined ? "" : `${Math.round(fraction * 100)}% `;
    out(`[${label}] ${pct}${message} (${((now - t0) / 1000).toFixed(1)} s)`);
  };
}

function defaultWrite(): (line: string) => void {
  const proc = (globalThis as { process?: { stderr?: { write(s: string): unknown } } }).process;
  if (proc?.stderr) return (line) => void proc.stderr?.write(`${line}\n`);
  return (line) => console.error(line);
}
