import { DataError } from "../core/errors.ts";
import type { SampleTable } from "./sample-table.ts";

/** Options shared by the sample-table readers. */
export interface ReadOptions {
  /**
   * What a bad line does. `"throw"` (default): stop at the first one with a
   * {@link PartialReadError}, which carries the table of every row accepted
   * before it. `"collect"`: skip the bad line, record its {@link DataError}
   * and go on; the result holds the valid rows and every error.
   */
  onError?: "throw" | "collect";
}

/** What a reader returns. */
export interface ReadResult {
  /** Every valid row. */
  table: SampleTable;
  /** One error per skipped line, in file order (always empty with `onError: "throw"`). */
  errors: DataError[];
}

/**
 * The first bad line of a read with `onError: "throw"`. Same message, file,
 * line and field as the underlying {@link DataError} (it is one), plus
 * `partial`: the table of every row accepted before the bad line, so nothing
 * already read is lost.
 */
export class PartialReadError extends DataError {
  override name = "PartialReadError";
  /**
   * @param cause - the error of the bad line
   * @param partial - every row accepted before it
   */
  constructor(
    override readonly cause: DataError,
    readonly partial: SampleTable,
  ) {
    super(cause.file, cause.line, cause.field, cause.problem);
  }
}
