/**
 * The wire format of OpenAI-compatible `/v1/completions` and
 * `/v1/chat/completions` (as served by vLLM, llama.cpp and Ollama): request
 * bodies, and the parts of responses and stream chunks the policy reads.
 * Internal to `lib/llm`.
 */
import { TtcError } from "../core/errors.ts";
import type { StepSample } from "../strategies/policy.ts";

/** Which endpoint a policy talks to. */
export type CompletionApi = "completions" | "chat";

/** One chat message. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Sampling settings of one request. */
export interface RequestSettings {
  maxTokens: number;
  temperature: number;
  topP: number;
  n: number;
  /** An integer (OpenAI, vLLM), or an `Rng` key string (ttc serve). */
  seed: number | string;
  /** Stop strings; omitted from the body when empty. */
  stop: readonly string[];
  logprobs: boolean;
  stream: boolean;
}

/** The body of one request. `extraBody` (vendor parameters) is merged last. */
export function requestBody(api: CompletionApi, model: string, input: string | readonly ChatMessage[], s: RequestSettings, extraBody: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { model, max_tokens: s.maxTokens, temperature: s.temperature, top_p: s.topP, n: s.n, seed: s.seed };
  if (api === "completions") body.prompt = input;
  else body.messages = input;
  if (s.stop.length > 0) body.stop = [...s.stop];
  if (s.logprobs) {
    if (api === "completions") body.logprobs = 0;
    else Object.assign(body, { logprobs: true, top_logprobs: 0 });
  }
  if (s.stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return { ...body, ...extraBody };
}

/** One choice of a response, or the part of one that a stream chunk carries. */
export interface ParsedChoice {
  index: number;
  text: string;
  /** Tokens in `text`, when the server sent per-token log-probs. */
  tokens: number | undefined;
  /** Sum of the token log-probs, when sent. */
  logProb: number | undefined;
  finishReason: string | null;
  /** vLLM's `stop_reason`: the stop string or token id that ended the choice, `null` for EOS; `undefined` when the server has no such field. */
  stopReason: string | number | null | undefined;
}

/** Token usage as the server reports it. */
export interface ParsedUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A parsed response or stream chunk. */
export interface ParsedCompletion {
  choices: ParsedChoice[];
  usage: ParsedUsage | undefined;
}

/**
 * Read a response body or a stream chunk.
 *
 * @throws TtcError when the body has no `choices` array (names the URL)
 */
export function parseCompletion(api: CompletionApi, body: unknown, url: string): ParsedCompletion {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (!Array.isArray(b.choices)) throw new TtcError(`${url} returned a body without a "choices" array: ${JSON.stringify(body).slice(0, 200)}`);
  const choices = (b.choices as Record<string, unknown>[]).map((c, i) => parseChoice(api, c, i));
  const u = b.usage as Record<string, unknown> | undefined | null;
  const usage =
    u && typeof u.prompt_tokens === "number" ? { promptTokens: u.prompt_tokens, completionTokens: typeof u.completion_tokens === "number" ? u.completion_tokens : 0 } : undefined;
  return { choices, usage };
}

function parseChoice(api: CompletionApi, c: Record<string, unknown>, position: number): ParsedChoice {
  const message = (api === "chat" ? (c.message ?? c.delta) : undefined) as { content?: unknown } | undefined;
  const text = api === "chat" ? (typeof message?.content === "string" ? message.content : "") : typeof c.text === "string" ? c.text : "";
  const lp = c.logprobs as Record<string, unknown> | null | undefined;
  const values: unknown[] | undefined = api === "chat" ? (Array.isArray(lp?.content) ? (lp.content as { logprob?: unknown }[]).map((t) => t.logprob) : undefined) : Array.isArray(lp?.token_logprobs) ? lp.token_logprobs : undefined;
  const logProb = values?.reduce((a: number, v) => a + (typeof v === "number" ? v : 0), 0);
  const stopReason = "stop_reason" in c ? (c.stop_reason as string | number | null) : undefined;
  return {
    index: typeof c.index === "number" ? c.index : position,
    text,
    tokens: values?.length,
    logProb,
    finishReason: typeof c.finish_reason === "string" ? c.finish_reason : null,
    stopReason,
  };
}

/** What a finished (or cancelled) choice became, beyond the text. */
export interface ChoiceOutcome {
  text: string;
  finishReason: string | null;
  stopReason: string | number | null | undefined;
  tokens: number;
  logProb: number | undefined;
}

/**
 * Turn a choice into a {@link StepSample}. A `"stop"` finish is a step end
 * when vLLM's `stop_reason` names the separator, and the end of the solution
 * when it is `null` (EOS). Servers without `stop_reason` cannot tell the two
 * apart: with `stopAtStepEnd` a non-empty stopped choice counts as a step end
 * and an empty one as the end of the solution. The separator is appended to
 * the text of a step that ended, as the {@link Policy} contract asks (servers
 * strip stop strings).
 */
export function toStepSample(o: ChoiceOutcome, stopAtStepEnd: boolean, separator: string): StepSample {
  let stepEnded = false;
  let finished = false;
  if (o.finishReason === "stop") {
    if (!stopAtStepEnd) finished = true;
    else if (o.stopReason === undefined) {
      finished = o.text === "";
      stepEnded = !finished;
    } else {
      stepEnded = o.stopReason === separator;
      finished = !stepEnded;
    }
  }
  const text = stepEnded && !o.text.endsWith(separator) ? o.text + separator : o.text;
  return { text, tokens: o.tokens, finished, stepEnded, ...(o.logProb === undefined ? {} : { logProb: o.logProb }) };
}
