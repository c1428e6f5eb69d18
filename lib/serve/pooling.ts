import type { Verifier } from "../rewards/verifier.ts";
import { badField, HttpError } from "./http-error.ts";

const ROUTE = "/pooling";

/** A problem prompt and a solution (steps joined by the policy's separator) to score. */
export interface PoolingItem {
  prompt: string;
  solution: string;
}

/** How to cut a plain-text `input` into prompt and solution. */
export type SplitInput = (text: string) => PoolingItem;

/** The step tag {@link splitPoolingInput} looks for by default: Qwen2.5-Math-PRM's `<extra_0>`, which ttc-lab's `RewardModelVerifier` places after every step. */
export const DEFAULT_STEP_TAG = "<extra_0>";

/**
 * The default {@link SplitInput}: the prompt is the text up to and including
 * the first `"\n"` (the chain tasks' problem line, as `formatPrompt` writes
 * it), the solution is the rest. When the rest carries step tags (a PRM's
 * input convention: `prompt + "\n" + steps.join(tag) + tag`), the one `"\n"`
 * that joins prompt and steps is dropped and the tagged steps are re-joined
 * with `separator`, so the verifier scores exactly one step per tag.
 *
 * @param stepTag - the tag that ends each step (default {@link DEFAULT_STEP_TAG})
 * @param separator - the policy's step separator the verifier expects (default `"\n"`)
 * @example
 * splitPoolingInput("347+5\n+5=724533\n"); // { prompt: "347+5\n", solution: "+5=724533\n" }
 * splitPoolingInput("347+5\n\n+5=724533<extra_0>#352<extra_0>"); // { prompt: "347+5\n", solution: "+5=724533\n#352" }
 */
export function splitPoolingInput(text: string, stepTag = DEFAULT_STEP_TAG, separator = "\n"): PoolingItem {
  const cut = text.indexOf("\n") + 1;
  if (cut === 0) return { prompt: text, solution: "" };
  const [prompt, rest] = [text.slice(0, cut), text.slice(cut)];
  if (stepTag === "" || !rest.includes(stepTag)) return { prompt, solution: rest };
  const steps = (rest.startsWith("\n") ? rest.slice(1) : rest).split(stepTag);
  if (steps.at(-1) === "") steps.pop();
  return { prompt, solution: steps.join(separator) };
}

/** A `/pooling` response in vLLM's shape. */
export interface PoolingResponse {
  id: string;
  object: "list";
  created: number;
  model: string;
  /** One entry per input; `data` is one `[1 − s, s]` row per step, `s` the verifier's score of the prefix ending at that step. */
  data: { index: number; object: "pooling"; data: number[][] }[];
  usage: { prompt_tokens: number; completion_tokens: 0; total_tokens: number };
}

/**
 * Validate a vLLM-style `POST /pooling` body: `input` (a string or an array of
 * strings, each cut into prompt and solution by `split`) or chat-style
 * `messages` (the last one, role `"assistant"`, is the solution; the contents
 * of the ones before it, concatenated, are the prompt).
 *
 * @param model - the served reward model's name (a request naming another gets 404)
 * @throws HttpError 400 naming the field at fault, 404 for another model
 * @example
 * parsePoolingRequest({ model: "prm", input: ["1+2\n+2=1030#003"] }, "prm", (t) => splitPoolingInput(t));
 */
export function parsePoolingRequest(body: unknown, model: string, split: SplitInput): PoolingItem[] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badField(ROUTE, "the body", "a JSON object", body);
  const b = body as Record<string, unknown>;
  const name = b.model ?? model;
  if (name !== model) throw new HttpError(404, `The model \`${String(name)}\` does not exist here; ${ROUTE} serves \`${model}\`.`, "invalid_request_error", "model", "model_not_found");
  const format = b.encoding_format ?? "float";
  if (format !== "float") throw badField(ROUTE, "encoding_format", '"float"', format);
  const hasInput = b.input !== undefined && b.input !== null;
  const hasMessages = b.messages !== undefined && b.messages !== null;
  if (hasInput === hasMessages) throw badField(ROUTE, "input", "given, or else messages (exactly one of the two)", hasInput ? "both" : "neither");
  if (hasMessages) return [fromMessages(b.messages)];
  const inputs = typeof b.input === "string" ? [b.input] : b.input;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((s) => typeof s === "string")) {
    throw badField(ROUTE, "input", "a string or a non-empty array of strings (token ids are not supported)", b.input);
  }
  return inputs.map((s) => split(s as string));
}

function fromMessages(messages: unknown): PoolingItem {
  const ok = Array.isArray(messages) && messages.length >= 2 && messages.every((m) => typeof m === "object" && m !== null && typeof m.role === "string" && typeof m.content === "string");
  if (!ok) throw badField(ROUTE, "messages", "an array of 2 or more { role, content: string } messages", messages);
  const list = messages as { role: string; content: string }[];
  const last = list.at(-1)!;
  if (last.role !== "assistant") throw badField(ROUTE, "messages", 'a last message with role "assistant" (the solution to score)', last.role);
  return { prompt: list.slice(0, -1).map((m) => m.content).join(""), solution: last.content };
}

/**
 * Score pooling items with a {@link Verifier}: items that share a prompt go
 * to one `scoreSteps` call; each item gets its step scores as `[1 − s, s]`
 * rows (a two-label step classifier's [P(wrong), P(right)], the layout a PRM
 * served through vLLM's step pooler returns).
 *
 * @param id - response id, e.g. `"pool-3"`
 * @param created - Unix seconds
 * @throws HttpError 500 when the verifier returns a wrong number of solutions or a score outside [0, 1]
 */
export async function scorePooling(verifier: Verifier, items: readonly PoolingItem[], id: string, created: number): Promise<PoolingResponse> {
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => groups.set(it.prompt, [...(groups.get(it.prompt) ?? []), i]));
  const rows: number[][][] = new Array(items.length);
  let tokens = 0;
  for (const [prompt, idx] of groups) {
    const out = await verifier.scoreSteps(prompt, idx.map((i) => items[i]!.solution));
    const good = out.scores.length === idx.length && out.scores.every((s) => s.every((x) => Number.isFinite(x) && x >= 0 && x <= 1));
    if (!good) throw new HttpError(500, `scorePooling requires verifier "${verifier.name}" to return ${idx.length} score lists with scores in [0, 1], got ${JSON.stringify(out.scores).slice(0, 120)}`, "server_error");
    idx.forEach((i, k) => (rows[i] = out.scores[k]!.map((s) => [1 - s, s])));
    tokens += out.usage.tokens;
  }
  return {
    id,
    object: "list",
    created,
    model: verifier.name,
    data: rows.map((data, index) => ({ index, object: "pooling", data })),
    usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens },
  };
}
