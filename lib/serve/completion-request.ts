import { InvalidArgumentError } from "../core/errors.ts";
import type { CharTokenizer } from "../tasks/char-tokenizer.ts";
import { badField, HttpError } from "./http-error.ts";

const ROUTE = "/v1/completions";

/** A validated `POST /v1/completions` body. */
export interface CompletionRequest {
  /** The served model's name. */
  model: string;
  /** Prompt texts as sent. */
  promptTexts: string[];
  /** Token ids per prompt, BOS first. */
  prompts: number[][];
  /** Completions per prompt (OpenAI `n`). */
  n: number;
  /** Most new tokens per prompt: `max_tokens`, or (omitted) what is left of the context, as vLLM does. */
  maxTokens: number[];
  temperature: number;
  topP: number;
  /** Stop strings (the tiny models' step separator is `"\n"`). */
  stop: string[];
  /** Integer seed (OpenAI) or an `Rng` key string (a ttc-lab extension); undefined: the server's own stream. */
  seed: number | string | undefined;
  /** Number of top alternatives per token when log-probs are asked for (0 = only the sampled token's); undefined: none. */
  logprobs: number | undefined;
  stream: boolean;
  /** `stream_options.include_usage`: end the stream with a usage chunk. */
  includeUsage: boolean;
  /** vLLM's `ignore_eos`: keep generating after EOS. */
  ignoreEos: boolean;
  /** vLLM's `include_stop_str_in_output`. */
  includeStopStr: boolean;
}

/** What the server serves, for validating a request against it. */
export interface CompletionLimits {
  /** The served model's name. */
  model: string;
  /** The model's context length in tokens. */
  maxLen: number;
  /** Most sequences one request may ask for (prompts × n): the decoding batch size. */
  maxSequences: number;
  tokenizer: CharTokenizer;
}

/** Most stop strings per request. */
export const MAX_STOP_STRINGS = 16;
/** Largest `logprobs` (top alternatives per token). */
export const MAX_LOGPROBS = 20;

/**
 * Validate a `POST /v1/completions` body (OpenAI's legacy completions API,
 * with vLLM's `ignore_eos` and `include_stop_str_in_output`) against the served model.
 * Unknown fields are ignored, as vLLM does; known fields this server cannot
 * honour (`echo`, `suffix`, `best_of` ≠ n, penalties, `logit_bias`) are refused.
 *
 * @param body - the parsed JSON body
 * @param limits - the served model's name, context length, batch size and tokenizer
 * @returns the request with prompts tokenized and defaults filled
 * @throws HttpError 400 naming the field at fault; 404 (`model_not_found`) for another model's name
 * @example
 * parseCompletionRequest({ model: "tiny", prompt: "1+2\n", n: 4, stop: "\n" }, { model: "tiny", maxLen: 48, maxSequences: 64, tokenizer: CHAIN_TOKENIZER });
 */
export function parseCompletionRequest(body: unknown, limits: CompletionLimits): CompletionRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badField(ROUTE, "the body", "a JSON object", body);
  const b = body as Record<string, unknown>;
  const has = (k: string) => b[k] !== undefined && b[k] !== null;
  const model = has("model") ? b.model : limits.model;
  if (typeof model !== "string") throw badField(ROUTE, "model", "a string", model);
  if (model !== limits.model) throw new HttpError(404, `The model \`${model}\` does not exist; this server serves \`${limits.model}\`.`, "invalid_request_error", "model", "model_not_found");

  const raw = b.prompt;
  const promptTexts = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(promptTexts) || promptTexts.length === 0 || !promptTexts.every((p) => typeof p === "string")) {
    throw badField(ROUTE, "prompt", "a string or a non-empty array of strings (token-id prompts are not supported)", raw);
  }
  const prompts = promptTexts.map((text, i) => encodePrompt(text as string, typeof raw === "string" ? "prompt" : `prompt[${i}]`, limits));

  const n = has("n") ? b.n : 1;
  if (!isInt(n) || n < 1) throw badField(ROUTE, "n", "a positive integer", n);
  if (n * prompts.length > limits.maxSequences) throw badField(ROUTE, "n", `at most ${limits.maxSequences} sequences per request (prompts × n)`, `${prompts.length} × ${n}`);
  if (has("best_of") && b.best_of !== n) throw badField(ROUTE, "best_of", "absent or equal to n (best_of is not supported)", b.best_of);

  const maxTokens = prompts.map((p) => limits.maxLen - p.length);
  if (has("max_tokens")) {
    const m = b.max_tokens;
    if (!isInt(m) || m < 1) throw badField(ROUTE, "max_tokens", "a positive integer", m);
    const longest = Math.max(...prompts.map((p) => p.length));
    if (longest + m > limits.maxLen) {
      throw badField(ROUTE, "max_tokens", `at most ${limits.maxLen - longest}: the context is ${limits.maxLen} tokens and the longest prompt takes ${longest} (BOS included)`, m);
    }
    maxTokens.fill(m);
  }

  const temperature = has("temperature") ? b.temperature : 1;
  if (typeof temperature !== "number" || !Number.isFinite(temperature) || temperature < 0) throw badField(ROUTE, "temperature", "a number ≥ 0", temperature);
  const topP = has("top_p") ? b.top_p : 1;
  if (typeof topP !== "number" || !(topP > 0 && topP <= 1)) throw badField(ROUTE, "top_p", "a number in (0, 1]", topP);

  const stopRaw = has("stop") ? b.stop : [];
  const stop = typeof stopRaw === "string" ? [stopRaw] : stopRaw;
  if (!Array.isArray(stop) || stop.length > MAX_STOP_STRINGS || !stop.every((s) => typeof s === "string" && s.length > 0)) {
    throw badField(ROUTE, "stop", `a non-empty string or an array of at most ${MAX_STOP_STRINGS} non-empty strings`, stopRaw);
  }

  const seed = has("seed") ? b.seed : undefined;
  if (seed !== undefined && !(isInt(seed) || (typeof seed === "string" && seed.length > 0))) throw badField(ROUTE, "seed", "an integer (or a non-empty Rng key string)", seed);

  const lp = has("logprobs") ? b.logprobs : undefined;
  if (lp !== undefined && !(isInt(lp) && lp >= 0 && lp <= MAX_LOGPROBS)) throw badField(ROUTE, "logprobs", `an integer in 0..${MAX_LOGPROBS}`, lp);

  const stream = flag(b, "stream");
  const streamOptions = has("stream_options") ? b.stream_options : {};
  if (typeof streamOptions !== "object" || streamOptions === null) throw badField(ROUTE, "stream_options", "an object", streamOptions);
  const includeUsage = (streamOptions as Record<string, unknown>).include_usage ?? false;
  if (typeof includeUsage !== "boolean") throw badField(ROUTE, "stream_options.include_usage", "a boolean", includeUsage);

  if (flag(b, "echo")) throw badField(ROUTE, "echo", "false (echo is not supported)", b.echo);
  if (has("suffix")) throw badField(ROUTE, "suffix", "absent (suffix is not supported)", b.suffix);
  for (const k of ["presence_penalty", "frequency_penalty"]) if (has(k) && b[k] !== 0) throw badField(ROUTE, k, "0 (penalties are not supported)", b[k]);
  if (has("logit_bias") && Object.keys(b.logit_bias as object).length > 0) throw badField(ROUTE, "logit_bias", "empty (logit_bias is not supported)", b.logit_bias);

  return {
    model,
    promptTexts: promptTexts as string[],
    prompts,
    n,
    maxTokens,
    temperature,
    topP,
    stop: stop as string[],
    seed: seed as number | string | undefined,
    logprobs: lp as number | undefined,
    stream,
    includeUsage,
    ignoreEos: flag(b, "ignore_eos"),
    includeStopStr: flag(b, "include_stop_str_in_output"),
  };
}

function isInt(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x);
}

function flag(b: Record<string, unknown>, key: string): boolean {
  const v = b[key] ?? false;
  if (typeof v !== "boolean") throw badField(ROUTE, key, "a boolean", v);
  return v;
}

function encodePrompt(text: string, field: string, limits: CompletionLimits): number[] {
  let ids: number[];
  try {
    ids = limits.tokenizer.encode(text, { bos: true });
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    const alphabet = limits.tokenizer.vocab.slice(limits.tokenizer.sep).join("");
    throw new HttpError(400, `${ROUTE} requires ${field} to use only the model's characters ${JSON.stringify(alphabet)}, got ${String(e.got)}`, "invalid_request_error", field, "invalid_value");
  }
  if (ids.length >= limits.maxLen) throw badField(ROUTE, field, `shorter than the context: at most ${limits.maxLen - 2} characters (BOS takes one token, the completion at least one)`, `${text.length} characters`);
  return ids;
}
