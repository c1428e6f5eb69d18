import { DataError } from "../core/errors.ts";
import { PartialReadError, type ReadOptions, type ReadResult } from "./read-options.ts";
import { RowParser } from "./row-parser.ts";
import { SampleTableBuilder } from "./sample-table-builder.ts";

/**
 * Where a reader sends each record: checks it with a {@link RowParser}, adds it
 * to a {@link SampleTableBuilder}, and applies the `onError` policy to bad
 * lines (throw a {@link PartialReadError} carrying the rows so far, or collect).
 */
export class RowSink {
  private readonly parser: RowParser;
  private readonly builder: SampleTableBuilder;
  private readonly errors: DataError[] = [];
  private readonly collect: boolean;

  /**
   * @param file - the file name used in errors
   * @param options - the reader's options
   */
  constructor(readonly file: string, options: ReadOptions = {}) {
    this.parser = new RowParser(file);
    this.builder = new SampleTableBuilder({ source: file });
    this.collect = options.onError === "collect";
  }

  /** Check and add one record read from `line`. @throws PartialReadError under `"throw"` */
  accept(record: unknown, line: number): void {
    try {
      this.builder.add(this.parser.parse(record, line), line);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      this.reject(e);
    }
  }

  /** Report a line that could not even be parsed (bad JSON, bad CSV cell). @throws PartialReadError under `"throw"` */
  reject(error: DataError): void {
    if (!this.collect) throw new PartialReadError(error, this.builder.build());
    this.errors.push(error);
  }

  /** The table of accepted rows and the collected errors. */
  result(): ReadResult {
    return { table: this.builder.build(), errors: [...this.errors] };
  }
}
