import { createReadStream } from "node:fs";
import { DataError } from "../core/errors.ts";

/** One CSV record: its fields, whether each was quoted, and the line it starts on (1-based). */
export interface CsvRecord {
  fields: string[];
  quoted: boolean[];
  line: number;
}

/** A record, or the structural error that made the parser drop it. */
export type CsvEntry = { record: CsvRecord; error?: undefined } | { record?: undefined; error: DataError };

/**
 * An incremental RFC 4180 parser: feed it text in chunks of any size and it
 * returns the records completed so far. Fields are separated by commas and
 * records by CRLF or LF; a field in double quotes may hold commas, line breaks
 * and doubled quotes (`""` → `"`). A quote inside an unquoted field, or text
 * after a closing quote, is a structural error: the record is dropped, reported
 * and parsing resumes at the next line.
 */
export class CsvRecordParser {
  private fields: string[] = [];
  private quoted: boolean[] = [];
  private field = "";
  private state: "start" | "plain" | "quoted" | "quote-in-quoted" | "skip" = "start";
  private line = 1;
  private recordLine = 1;
  private pendingCr = false;

  /** @param file - the file name used in errors */
  constructor(readonly file: string) {}

  /** Parse a chunk; returns the records (and errors) it completed. */
  push(chunk: string): CsvEntry[] {
    const out: CsvEntry[] = [];
    for (const ch of chunk) {
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === "\n") continue; // CRLF already ended the record
      }
      this.step(ch, out);
    }
    return out;
  }

  /** Finish: the last record (if the file does not end in a line break) or an unterminated-quote error. */
  end(): CsvEntry[] {
    const out: CsvEntry[] = [];
    if (this.state === "quoted") {
      out.push({ error: new DataError(this.file, this.recordLine, undefined, "unterminated quoted field at end of file") });
    } else if (this.state !== "skip" && (this.fields.length > 0 || this.field !== "" || this.state !== "start")) {
      this.endRecord(out);
    }
    this.state = "start";
    return out;
  }

  private step(ch: string, out: CsvEntry[]): void {
    switch (this.state) {
      case "skip":
        if (ch === "\n" || ch === "\r") this.newline(ch);
        return;
      case "quoted":
        if (ch === '"') this.state = "quote-in-quoted";
        else {
          if (ch === "\n") this.line++;
          this.field += ch;
        }
        return;
      case "quote-in-quoted":
        if (ch === '"') {
          this.field += '"';
          this.state = "quoted";
          return;
        }
        if (ch !== "," && ch !== "\n" && ch !== "\r") return this.fail(`unexpected ${JSON.stringify(ch)} after a closing quote`, ch, out);
        break;
      case "start":
        if (ch === '"') {
          this.state = "quoted";
          this.quoted.push(true);
          return;
        }
        this.quoted.push(false);
        this.state = "plain";
        break;
      case "plain":
        if (ch === '"') return this.fail("quote inside an unquoted field", ch, out);
        break;
    }
    if (ch === ",") {
      this.fields.push(this.field);
      this.field = "";
      this.state = "start";
    } else if (ch === "\n" || ch === "\r") {
      this.endRecord(out);
      this.newline(ch);
    } else {
      this.field += ch;
    }
  }

  private newline(ch: string): void {
    if (ch === "\r") this.pendingCr = true;
    this.line++;
    this.recordLine = this.line;
    if (this.state === "skip") this.state = "start";
  }

  private endRecord(out: CsvEntry[]): void {
    if (this.state === "start") this.quoted.push(false);
    this.fields.push(this.field);
    const blank = this.fields.length === 1 && this.fields[0] === "" && this.quoted[0] === false;
    if (!blank) out.push({ record: { fields: this.fields, quoted: this.quoted, line: this.recordLine } });
    this.fields = [];
    this.quoted = [];
    this.field = "";
    this.state = "start";
  }

  private fail(problem: string, ch: string, out: CsvEntry[]): void {
    out.push({ error: new DataError(this.file, this.line, undefined, problem) });
    this.fields = [];
    this.quoted = [];
    this.field = "";
    this.state = "skip";
    if (ch === "\n" || ch === "\r") this.newline(ch);
  }
}

/**
 * Stream the records of a CSV file (header included) with {@link CsvRecordParser}.
 *
 * @param path - the file
 * @returns an async iterator of records and structural errors, in file order
 */
export async function* csvRecords(path: string): AsyncGenerator<CsvEntry> {
  const parser = new CsvRecordParser(path);
  const input = createReadStream(path, { encoding: "utf8" });
  try {
    for await (const chunk of input) {
      yield* parser.push(chunk as string);
    }
    yield* parser.end();
  } finally {
    input.destroy();
  }
}
