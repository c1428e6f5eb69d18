/**
 * Errors raised by ttc-lab. Every message follows one convention so that a user
 * can tell at a glance which function refused what:
 *
 *   `<fn> requires <condition>, got <value>`
 *
 * Data errors also name the file, line and field. Catch `TtcError` to catch them all.
 */

/** Base class of every error thrown on purpose by ttc-lab. */
export class TtcError extends Error {
  override name = "TtcError";
}

/** A caller passed an argument that breaks a documented requirement. */
export class InvalidArgumentError extends TtcError {
  override name = "InvalidArgumentError";
  /**
   * @param fn - the public function that refused the argument, e.g. `"passAtK"`
   * @param condition - what it requires, e.g. `"k <= n"`
   * @param got - the offending value (formatted with {@link formatValue})
   */
  constructor(
    readonly fn: string,
    readonly condition: string,
    readonly got: unknown,
  ) {
    super(`${fn} requires ${condition}, got ${formatValue(got)}`);
  }
}

/**
 * A name (reproduction id, backend, preset, ...) that is not one of the known
 * ones. The message lists the known names so the user can correct the typo.
 */
export class UnknownNameError extends InvalidArgumentError {
  override name = "UnknownNameError";
  constructor(
    fn: string,
    readonly kind: string,
    readonly value: string,
    readonly known: readonly string[],
  ) {
    super(fn, `a known ${kind} (one of: ${known.join(", ")})`, value);
  }
}

/** Malformed input data; names where it was found. */
export class DataError extends TtcError {
  override name = "DataError";
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    const where = [file, line === undefined ? undefined : `line ${line}`, field === undefined ? undefined : `field "${field}"`]
      .filter((s) => s !== undefined)
      .join(", ");
    super(`${where}: ${problem}`);
  }
}

/** Format a value for an error message: short, unambiguous, never throws. */
export function formatValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || v === undefined || v === null) {
    return String(v);
  }
  try {
    const s = JSON.stringify(v);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * Throw an {@link InvalidArgumentError} unless `ok` holds.
 *
 * @example
 * requireArg("passAtK", k <= n, "k <= n", k);
 * @throws InvalidArgumentError when `ok` is false
 */
export function requireArg(fn: string, ok: boolean, condition: string, got: unknown): asserts ok {
  if (!ok) throw new InvalidArgumentError(fn, condition, got);
}

/**
 * {@link requireArg} for hot loops: `got` is a function called only when the
 * check fails, so the message is never built on the happy path.
 *
 * @example
 * for (let i = 0; i < n; i++) requireEach("bestOfNAtK", Number.isFinite(s[i]), "finite scores", () => `${s[i]} at index ${i}`);
 * @throws InvalidArgumentError when `ok` is false
 */
export function requireEach(fn: string, ok: boolean, condition: string, got: () => unknown): asserts ok {
  if (!ok) throw new InvalidArgumentError(fn, condition, got());
}
