import { formatValue, TtcError } from "../core/errors.ts";

/** The body of an error response, in OpenAI's shape. */
export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | number | null };
}

/**
 * An error that becomes an HTTP response with an OpenAI-shaped body
 * `{ error: { message, type, param, code } }`: 400 for bad input (naming the
 * field in `param`), 404 for an unknown model or route, 429 when the request
 * queue is full, 503 while the server shuts down.
 */
export class HttpError extends TtcError {
  override name = "HttpError";
  /**
   * @param status - HTTP status code
   * @param message - what was wrong, for a person
   * @param type - OpenAI's error type, e.g. `"invalid_request_error"`
   * @param param - the request field at fault, or null
   * @param code - a machine-readable code, e.g. `"model_not_found"`, or null
   */
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  /** The response body. */
  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/**
 * A 400 for a request field that breaks its rule, worded like every ttc-lab
 * error: `"<route> requires <field> to be <rule>, got <value>"`.
 *
 * @param route - the endpoint, e.g. `"/v1/completions"`
 * @param field - the field at fault (also the error's `param`)
 * @param rule - what it must be
 * @param got - the value received
 * @example
 * throw badField("/v1/completions", "n", "a positive integer", 0);
 * // 400 { error: { message: "/v1/completions requires n to be a positive integer, got 0", type: "invalid_request_error", param: "n", code: "invalid_value" } }
 */
export function badField(route: string, field: string, rule: string, got: unknown): HttpError {
  return new HttpError(400, `${route} requires ${field} to be ${rule}, got ${formatValue(got)}`, "invalid_request_error", field, "invalid_value");
}

/** The body for any error: an {@link HttpError}'s own, else a 500 `server_error` with the error's message. */
export function errorResponse(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof HttpError) return { status: e.status, body: e.body() };
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { status: 500, body: { error: { message, type: "server_error", param: null, code: null } } };
}
