import { TtcError } from "../core/errors.ts";

/** Why an HTTP call failed: a response status, a connection failure, a timeout, or a malformed response body. */
export type HttpFailureKind = "status" | "network" | "timeout" | "protocol";

/** What {@link HttpRequestError} is built from. */
export interface HttpRequestErrorInit {
  kind: HttpFailureKind;
  /** `POST`, `GET`, ... */
  method: string;
  /** The full URL called. */
  url: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The server's own error message (`error.message` of an OpenAI-style body, else the body text), when there was one. */
  serverMessage?: string;
  /** Attempts made, retries included. */
  attempts: number;
  /** Whether the failure could have succeeded on a retry (the retries were then used up). */
  retryable: boolean;
  /** For timeouts: the limit that was exceeded, in ms. */
  timeoutMs?: number;
  /** The underlying error (network failures). */
  cause?: unknown;
}

/**
 * An HTTP call to a model server that failed for good: a status that will not
 * succeed on retry (a 4xx other than 408/429), or a retryable failure (429,
 * 5xx, connection error, timeout) that outlived its retries. The message names
 * the method, URL, status and the server's own error message, e.g.
 *
 *   `POST http://127.0.0.1:8000/v1/completions failed with HTTP 400: "max_tokens is too large" (not retried: the request itself was refused)`
 */
export class HttpRequestError extends TtcError {
  override name = "HttpRequestError";
  readonly kind: HttpFailureKind;
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;
  readonly attempts: number;
  readonly retryable: boolean;

  constructor(init: HttpRequestErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.method = init.method;
    this.url = init.url;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.attempts = init.attempts;
    this.retryable = init.retryable;
  }
}

function describe(e: HttpRequestErrorInit): string {
  const head = `${e.method} ${e.url}`;
  const tries = e.attempts === 1 ? "1 attempt" : `${e.attempts} attempts`;
  const said = e.serverMessage === undefined || e.serverMessage === "" ? "" : `: ${JSON.stringify(e.serverMessage)}`;
  if (e.kind === "timeout") return `${head} timed out after ${e.timeoutMs} ms (${tries})`;
  if (e.kind === "protocol") return `${head} returned a malformed response${said} (${tries})`;
  if (e.kind === "network") return `${head} could not connect or lost the connection (${causeText(e.cause)}; ${tries})`;
  const why = e.retryable ? `gave up after ${tries}` : "not retried: the request itself was refused";
  return `${head} failed with HTTP ${e.status}${said} (${why})`;
}

/** The innermost useful description of a fetch failure, e.g. `"connect ECONNREFUSED 127.0.0.1:9"`. */
function causeText(cause: unknown): string {
  let c: unknown = cause;
  let text = "unknown error";
  for (let depth = 0; c !== undefined && c !== null && depth < 4; depth++) {
    if (c instanceof Error) {
      text = c.message || text;
      c = (c as { cause?: unknown }).cause;
    } else {
      text = String(c);
      break;
    }
  }
  return text;
}
