import { requireArg } from "../core/errors.ts";

/**
 * The OpenAI base URL of an endpoint, without a trailing slash: a bare
 * origin (`http://host:8000`) gets `/v1`; any other path is kept as given
 * (`http://host:8000/v1`, `https://proxy.example/openai/v1`).
 *
 * @param fn - the caller, for the error message
 * @param endpoint - what the user gave
 * @returns e.g. `"http://127.0.0.1:8000/v1"`
 * @throws InvalidArgumentError unless `endpoint` is an http(s) URL
 * @example
 * openAIBaseUrl("f", "http://127.0.0.1:8000/"); // "http://127.0.0.1:8000/v1"
 */
export function openAIBaseUrl(fn: string, endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  requireArg(fn, url !== undefined && (url.protocol === "http:" || url.protocol === "https:"), "an http(s) endpoint URL", endpoint);
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${path === "" ? "/v1" : path}`;
}

/**
 * The server root of an endpoint (`http://host:8000/v1` → `http://host:8000`),
 * where vLLM serves `/pooling`.
 *
 * @param fn - the caller, for the error message
 * @param endpoint - an OpenAI base URL or an origin
 * @throws InvalidArgumentError unless `endpoint` is an http(s) URL
 */
export function serverRoot(fn: string, endpoint: string): string {
  const base = openAIBaseUrl(fn, endpoint);
  return base.endsWith("/v1") ? base.slice(0, -3) : base;
}
