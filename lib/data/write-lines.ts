import { createWriteStream } from "node:fs";
import { once } from "node:events";

/**
 * Write lines to a file through a stream, waiting for the stream to drain when
 * its buffer fills, so a large table is never held in memory as one string.
 *
 * @param path - the file to create or overwrite
 * @param lines - the lines, without their `\n`
 * @param eol - line ending (default `"\n"`)
 */
export async function writeLines(path: string, lines: Iterable<string>, eol = "\n"): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const failed = once(out, "error").then(([e]) => {
    throw e;
  });
  failed.catch(() => undefined);
  try {
    for (const text of lines) {
      if (!out.write(text + eol)) await Promise.race([once(out, "drain"), failed]);
    }
  } finally {
    out.end();
  }
  await Promise.race([once(out, "finish"), failed]);
}
