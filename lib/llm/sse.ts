/**
 * The `data` of each event in a server-sent-event stream (the WHATWG HTML
 * "event stream" format that OpenAI-compatible servers stream completions
 * in): lines end with LF, CRLF or CR; `data:` lines of one event are joined
 * with "\n"; a blank line ends the event; `:` comments and other fields
 * (`event`, `id`, `retry`) are skipped. An unterminated last event is
 * dropped, as the spec says. Stops early, releasing the reader, when the
 * consumer stops iterating.
 *
 * @param body - the response body
 * @returns the data payload of each event, in order (e.g. a JSON chunk, or `"[DONE]"`)
 * @example
 * for await (const data of sseData(response.body)) if (data !== "[DONE]") handle(JSON.parse(data));
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  let skipLf = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer.charCodeAt(i);
        if (skipLf) {
          skipLf = false;
          if (ch === 10) {
            start = i + 1;
            continue;
          }
        }
        if (ch !== 10 && ch !== 13) continue;
        const line = buffer.slice(start, i);
        start = i + 1;
        if (ch === 13) skipLf = true;
        if (line === "") {
          if (data.length > 0) yield data.join("\n");
          data = [];
        } else {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          if (field === "data") data.push(colon < 0 ? "" : line.slice(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1));
        }
      }
      buffer = buffer.slice(start);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
