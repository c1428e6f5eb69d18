import { describe, expect, it } from "vitest";
import { sseData } from "./sse.ts";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const s of chunks) c.enqueue(enc.encode(s));
      c.close();
    },
  });
}

async function all(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const d of sseData(streamOf(chunks))) out.push(d);
  return out;
}

describe("sseData", () => {
  it("splits events on blank lines across arbitrary chunk boundaries", async () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    const expected = ['{"a":1}', '{"b":2}', "[DONE]"];
    expect(await all([text])).toEqual(expected);
    // every split point, and one byte at a time
    for (let i = 1; i < text.length; i++) expect(await all([text.slice(0, i), text.slice(i)])).toEqual(expected);
    expect(await all([...text])).toEqual(expected);
  });

  it("follows the WHATWG rules: CRLF and CR endings, comments, other fields, multi-line data, no space after the colon", async () => {
    expect(await all([": keep-alive\r\n\r\nevent: x\r\nid: 4\r\ndata: one\r\ndata:two\r\n\r\ndata\rdata: three\r\r"])).toEqual(["one\ntwo", "\nthree"]);
  });

  it("drops an unterminated last event and a CRLF split between chunks is one line end", async () => {
    expect(await all(["data: a\r", "\n\r", "\ndata: b"])).toEqual(["a"]);
  });

  it("ignores fields whose name only starts with data", async () => {
    expect(await all(["datax: no\ndata: yes\n\n"])).toEqual(["yes"]);
  });
});
