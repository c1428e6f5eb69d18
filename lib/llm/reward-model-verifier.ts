import { requireArg, TtcError } from "../core/errors.ts";
import type { ScoreStepsResult, Verifier } from "../rewards/verifier.ts";
import { HttpClient, type HttpClientOptions } from "./http-client.ts";
import { serverRoot } from "./openai-base-url.ts";
import { splitSteps } from "./split-steps.ts";

/** Options of {@link RewardModelVerifier}. */
export interface RewardModelVerifierOptions {
  /** The server (`http://127.0.0.1:8001` or its `/v1` base URL); requests go to `<root>/pooling` unless `url` is given. */
  endpoint: string;
  /** Full URL of the pooling endpoint, overriding the one derived from `endpoint`. */
  url?: string;
  /** The served reward model's name. */
  model: string;
  /** Name for reports; default the model name. */
  name?: string;
  /** `"process"` (default): one score per step; `"outcome"`: one score per solution (for its last step). */
  mode?: "process" | "outcome";
  /** What separates steps in the solutions the policy wrote; default `"\n"`. */
  stepSeparator?: string;
  /**
   * The text the reward model scores at: placed after every step of the input, where the server's step pooling
   * (`step_tag_id`) reads one score per step. Default `"<extra_0>"`, Qwen2.5-Math-PRM's; Math-Shepherd uses `"ки"`.
   */
  stepTag?: string;
  /**
   * The model input for a problem and its steps; default `prompt + "\n" + steps.join(stepTag) + stepTag` (outcome: no tags).
   * Use it to apply a chat template. `solution` is the text as the policy wrote it (separators kept): a server that splits
   * steps itself can take `prompt + solution`, which keeps whether the last step ended with a separator — `ttc serve`'s
   * tiny PRM scores a step at its separator token, so `(p, _s, _t, solution) => p + solution` gives its in-process scores.
   */
  formatInput?: (prompt: string, steps: readonly string[], stepTag: string, solution: string) => string;
  /** Which entry of a per-step row (e.g. `[p_bad, p_good]` from a 2-label softmax) is the step's score; default 1. */
  positiveIndex?: number;
  /** The request's `task` field (e.g. `"token_classify"` on recent vLLM, `"classify"` for outcome models); not sent when unset. */
  task?: string;
  /** Inputs per request; default 16. */
  batchSize?: number;
  /** Turn one returned value (a number or a row) into a score in [0, 1], replacing the `positiveIndex` rule, e.g. a sigmoid for raw logits. */
  toScore?: (value: number | readonly number[]) => number;
  /** A client to share, or options for a new one. */
  http?: HttpClient | HttpClientOptions;
}

/**
 * A {@link Verifier} over a reward model served by vLLM's pooling endpoint
 * (`POST /pooling`, body `{model, input: string[]}`, response
 * `{data: [{index, data}], usage: {prompt_tokens}}` with `data` a row per
 * step tag for a process reward model). Each solution is split into steps by
 * the policy's separator, re-joined with the model's step tag, and scored in
 * batches; a process model must return exactly one row (or one number) per
 * step, an outcome model one value per solution.
 *
 * @example
 * // vllm serve Qwen/Qwen2.5-Math-PRM-7B --runner pooling   (step_tag_id = <extra_0>)
 * const prm = new RewardModelVerifier({ endpoint: "http://127.0.0.1:8001", model: "Qwen/Qwen2.5-Math-PRM-7B", stepSeparator: "\n\n" });
 * const { scores } = await prm.scoreSteps(problem, solutions); // scores[i][s] ∈ [0, 1]
 * @see Verifier in lib/rewards/verifier.ts; vLLM `PoolingResponse` (vllm/entrypoints/pooling/pooling/protocol.py)
 */
export class RewardModelVerifier implements Verifier {
  readonly name: string;
  readonly url: string;
  readonly http: HttpClient;
  private readonly o: RewardModelVerifierOptions;

  /** @throws InvalidArgumentError for a bad endpoint, an empty model name, or a non-positive batch size */
  constructor(options: RewardModelVerifierOptions) {
    requireArg("RewardModelVerifier", typeof options.model === "string" && options.model !== "", "a model name", options.model);
    const batch = options.batchSize ?? 16;
    requireArg("RewardModelVerifier", Number.isSafeInteger(batch) && batch >= 1, "a positive integer batchSize", batch);
    this.o = options;
    this.name = options.name ?? options.model;
    this.url = options.url ?? `${serverRoot("RewardModelVerifier", options.endpoint)}/pooling`;
    this.http = options.http instanceof HttpClient ? options.http : new HttpClient(options.http);
  }

  /**
   * Score every step of each solution.
   *
   * @param prompt - the problem
   * @param solutions - texts after the prompt, steps separated by `stepSeparator`
   * @returns `scores[i][s]` (process) or `scores[i] = [score]` (outcome; `[]` for an empty solution); tokens read
   * @throws HttpRequestError when the server fails for good
   * @throws TtcError when the response does not fit (wrong number of rows, scores outside [0, 1])
   */
  async scoreSteps(prompt: string, solutions: readonly string[]): Promise<ScoreStepsResult> {
    const process = (this.o.mode ?? "process") === "process";
    const tag = this.o.stepTag ?? "<extra_0>";
    const format = this.o.formatInput ?? ((p: string, steps: readonly string[], t: string) => `${p}\n${process ? steps.join(t) + t : steps.join(this.o.stepSeparator ?? "\n")}`);
    const steps = solutions.map((s) => splitSteps(s, this.o.stepSeparator ?? "\n"));
    const todo = steps.map((s, i) => ({ i, s })).filter((x) => x.s.length > 0);
    const scores: number[][] = solutions.map(() => []);
    const batch = this.o.batchSize ?? 16;
    let tokens = 0;
    const calls: Promise<void>[] = [];
    for (let start = 0; start < todo.length; start += batch) {
      const part = todo.slice(start, start + batch);
      calls.push(
        (async () => {
          const body: Record<string, unknown> = { model: this.o.model, input: part.map((x) => format(prompt, x.s, tag, solutions[x.i] as string)) };
          if (this.o.task !== undefined) body.task = this.o.task;
          const json = (await this.http.postJson(this.url, body)) as { data?: { index?: number; data?: unknown }[]; usage?: { prompt_tokens?: number } };
          if (!Array.isArray(json.data) || json.data.length !== part.length) {
            throw new TtcError(`${this.url} returned ${Array.isArray(json.data) ? json.data.length : "no"} results for ${part.length} inputs`);
          }
          tokens += json.usage?.prompt_tokens ?? 0;
          json.data.forEach((d, k) => {
            const x = part[typeof d.index === "number" ? d.index : k] as { i: number; s: string[] };
            scores[x.i] = this.read(d.data, process ? x.s.length : 1, x.i, process);
          });
        })(),
      );
    }
    await Promise.all(calls);
    return { scores, usage: { tokens } };
  }

  /** Scores from one input's `data`: rows (one per step tag) or a flat list. */
  private read(data: unknown, expected: number, solution: number, process: boolean): number[] {
    const values: (number | number[])[] = typeof data === "number" ? [data] : Array.isArray(data) ? (data as (number | number[])[]) : [];
    const isRows = values.length > 0 && Array.isArray(values[0]);
    let picked: (number | number[])[];
    if (process) picked = values;
    else if (isRows) picked = values.slice(-1); // token-level output: the last token's row
    else picked = [values as number[]]; // one row of class probabilities (or one number)
    if (picked.length !== expected) {
      throw new TtcError(
        `${this.url} returned ${picked.length} scores for the ${expected} steps of solution ${solution}; the step tag ${JSON.stringify(this.o.stepTag ?? "<extra_0>")} must be the token the server pools at (step_tag_id)`,
      );
    }
    return picked.map((v) => {
      const s = this.score(v);
      if (!(s >= 0 && s <= 1)) throw new TtcError(`${this.url} gave solution ${solution} a score of ${s}, outside [0, 1]; pass toScore (e.g. a sigmoid for raw logits)`);
      return s;
    });
  }

  private score(v: number | readonly number[]): number {
    if (this.o.toScore) return this.o.toScore(v);
    if (typeof v === "number") return v;
    return v.length === 1 ? (v[0] as number) : (v[this.o.positiveIndex ?? 1] as number);
  }
}
