import { requireArg, TtcError } from "../core/errors.ts";
import type { ScoreStepsResult, Verifier } from "../rewards/verifier.ts";
import { parseCompletion, type ChatMessage } from "./completion-protocol.ts";
import { HttpClient, type HttpClientOptions } from "./http-client.ts";
import { openAIBaseUrl } from "./openai-base-url.ts";

/** The default judge prompt; `{problem}` and `{solution}` are replaced. */
export const DEFAULT_JUDGE_PROMPT = `You are grading a solution to a math problem.

Problem:
{problem}

Solution:
{solution}

Check every step. Then rate how likely the final answer is correct on a scale from 0 (certainly wrong) to 10 (certainly right). End your reply with a line "Score: <number>".`;

/** Options of {@link LlmJudgeVerifier}. */
export interface LlmJudgeVerifierOptions {
  /** The OpenAI base URL of the judge's server (a bare origin gets `/v1`). */
  endpoint: string;
  /** The judge model's name. */
  model: string;
  /** Name for reports; default `judge:<model>`. */
  name?: string;
  /** A template with `{problem}` and `{solution}` (sent as one user message), or a function building the messages; default {@link DEFAULT_JUDGE_PROMPT}. */
  prompt?: string | ((problem: string, solution: string) => ChatMessage[]);
  /** Read the score from the judge's reply, or `null` when there is none; default {@link parseJudgeScore}. */
  parseScore?: (reply: string) => number | null;
  /** The range the judge scores in, mapped linearly onto [0, 1]; default `[0, 10]`. */
  scale?: readonly [number, number];
  /** Score for a reply with no readable score; default: throw. */
  unparsedScore?: number;
  /** Most tokens of a reply; default 1024. */
  maxTokens?: number;
  /** Sampling temperature; default 0. */
  temperature?: number;
  /** Seed sent with every request; default 0. */
  seed?: number;
  /** A client to share, or options for a new one. */
  http?: HttpClient | HttpClientOptions;
}

/**
 * The judge's score: the number after the last "score" in the reply
 * (`Score: 8`, `score = 7.5`, `**Score:** 9`, `Score: 8/10` → 8), on the
 * judge's own scale; {@link LlmJudgeVerifier} maps it onto [0, 1].
 *
 * @param reply - the judge's reply
 * @returns the number, or `null` when the reply has none
 * @example
 * parseJudgeScore("Step 2 is wrong.\nScore: 3"); // 3
 */
export function parseJudgeScore(reply: string): number | null {
  const re = /score\s*\**\s*(?:[:=]|is)?\s*\**\s*(-?\d+(?:\.\d+)?)/gi;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(reply); m !== null; m = re.exec(reply)) last = m;
  if (last === null) return null;
  return Number(last[1]);
}

/**
 * An outcome {@link Verifier} that asks a chat model to grade each solution
 * (LLM-as-a-judge): one `/v1/chat/completions` request per solution, the
 * reply's score mapped from `scale` onto [0, 1]. Returns one score per
 * solution (`scores[i] = [s]`), as outcome verifiers do.
 *
 * @example
 * const judge = new LlmJudgeVerifier({ endpoint: "http://127.0.0.1:8000/v1", model: "Qwen/Qwen2.5-7B-Instruct" });
 * const { scores } = await judge.scoreSteps(problem, solutions);
 * @see Zheng et al. 2023, "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena" (single-answer grading)
 */
export class LlmJudgeVerifier implements Verifier {
  readonly name: string;
  readonly url: string;
  readonly http: HttpClient;
  private readonly o: LlmJudgeVerifierOptions;

  /** @throws InvalidArgumentError for a bad endpoint, an empty model name or an empty scale */
  constructor(options: LlmJudgeVerifierOptions) {
    requireArg("LlmJudgeVerifier", typeof options.model === "string" && options.model !== "", "a model name", options.model);
    const [lo, hi] = options.scale ?? [0, 10];
    requireArg("LlmJudgeVerifier", Number.isFinite(lo) && Number.isFinite(hi) && hi > lo, "a scale [min, max] with max > min", options.scale);
    this.o = options;
    this.name = options.name ?? `judge:${options.model}`;
    this.url = `${openAIBaseUrl("LlmJudgeVerifier", options.endpoint)}/chat/completions`;
    this.http = options.http instanceof HttpClient ? options.http : new HttpClient(options.http);
  }

  /**
   * Grade each solution.
   *
   * @param prompt - the problem
   * @param solutions - the solutions to grade
   * @returns `scores[i] = [s]`, s ∈ [0, 1]; tokens the judge read and wrote
   * @throws HttpRequestError when a request fails for good
   * @throws TtcError for a reply without a score (unless `unparsedScore` is set) or with one outside the scale
   */
  async scoreSteps(prompt: string, solutions: readonly string[]): Promise<ScoreStepsResult> {
    let tokens = 0;
    const scores = await Promise.all(
      solutions.map(async (solution, i) => {
        const json = await this.http.postJson(this.url, {
          model: this.o.model,
          messages: this.messages(prompt, solution),
          max_tokens: this.o.maxTokens ?? 1024,
          temperature: this.o.temperature ?? 0,
          seed: this.o.seed ?? 0,
        });
        const parsed = parseCompletion("chat", json, this.url);
        tokens += (parsed.usage?.promptTokens ?? 0) + (parsed.usage?.completionTokens ?? 0);
        return [this.score(parsed.choices[0]?.text ?? "", i)];
      }),
    );
    return { scores, usage: { tokens } };
  }

  private messages(problem: string, solution: string): ChatMessage[] {
    const p = this.o.prompt ?? DEFAULT_JUDGE_PROMPT;
    if (typeof p === "function") return p(problem, solution);
    return [{ role: "user", content: p.replaceAll("{problem}", problem).replaceAll("{solution}", solution) }];
  }

  private score(reply: string, solution: number): number {
    const raw = (this.o.parseScore ?? parseJudgeScore)(reply);
    const [lo, hi] = this.o.scale ?? [0, 10];
    if (raw === null || !Number.isFinite(raw)) {
      if (this.o.unparsedScore !== undefined) return this.o.unparsedScore;
      throw new TtcError(`${this.url}: the judge's reply to solution ${solution} has no score (set unparsedScore to use a default): ${JSON.stringify(reply.slice(-200))}`);
    }
    if (raw < lo || raw > hi) throw new TtcError(`${this.url}: the judge gave solution ${solution} a score of ${raw}, outside its scale [${lo}, ${hi}]`);
    return (raw - lo) / (hi - lo);
  }
}
