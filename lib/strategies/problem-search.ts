import { requireArg, requireEach } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { aggregateScores, type Aggregation } from "../rewards/aggregate-scores.ts";
import type { Verifier } from "../rewards/verifier.ts";
import { Ledger } from "./ledger.ts";
import type { Policy, StepSample } from "./policy.ts";
import type { Candidate, CandidateStatus, SearchOptions } from "./search-types.ts";

/** A piece of text the policy generated in one call: a node of the search tree (its KV is shared by every path through it). */
interface TreeNode {
  id: number;
  parent: TreeNode | null;
  tokens: number;
}

/** A path from the prompt: what strategies select, extend and score. */
export interface Beam {
  /** Text after the prompt. */
  text: string;
  /** Last node of the path (null at the root). */
  node: TreeNode | null;
  /** Tokens generated along the path. */
  pathTokens: number;
  /** The last sample reached the end of the sequence. */
  finished: boolean;
  /** The last sample stopped at a step boundary. */
  stepEnded: boolean;
  stepScores: number[];
  score: number | null;
}

/** How one round of sampling is asked for. */
export interface SampleRound {
  maxTokens: number;
  stopAtStepEnd: boolean;
  /** Fork label of this round's random stream; two rounds with one label draw the same numbers. */
  label: string;
  /** Overrides the search's temperature (lookahead rollouts are greedy). */
  temperature?: number;
}

/**
 * The state of one problem's search: talks to the policy and the verifier,
 * grows the tree of generated text, and charges everything to its ledger
 * (counts, FLOPs, and the KV-cache tokens each call holds: the prompt once,
 * every distinct node on the parents' paths once, plus what the call generates).
 * Prefix tokens are counted as `countTokens(prompt)` plus the tokens the policy
 * reported for each piece of the path (exact for additive tokenizers). The
 * building block of every strategy in this folder; write a new strategy as a
 * function of one `ProblemSearch` and run it with `runProblems`.
 *
 * @example
 * // Greedy step selection (best of 4 samples per step), by hand:
 * const search = new ProblemSearch(prompt, policy, verifier, rng(1), { extractAnswer });
 * let beam = search.root();
 * for (let i = 0; !beam.finished && i < 40; i++) {
 *   const [kids] = await search.sample([beam], [4], { maxTokens: 256, stopAtStepEnd: true, label: `step-${i}` });
 *   await search.score(kids);
 *   beam = kids.reduce((a, b) => ((b.score as number) > (a.score as number) ? b : a));
 * }
 * search.candidate(beam, "finished").answer; search.ledger.policyGeneratedTokens;
 */
export class ProblemSearch {
  readonly ledger: Ledger;
  readonly promptTokens: number;
  readonly aggregate: Aggregation;
  private nextId = 0;
  private prefilled = false;

  /**
   * @param prompt - the problem's prompt; prefixes are `prompt + path text`
   * @param policy - extends prefixes
   * @param verifier - scores solutions (needed by {@link ProblemSearch.score})
   * @param rng - this problem's stream; a round labelled L samples from `rng.fork(L)`
   * @param options - shared search options (answer extraction, aggregation, limits, pricing)
   */
  constructor(
    readonly prompt: string,
    readonly policy: Policy,
    readonly verifier: Verifier | undefined,
    readonly rng: Rng,
    readonly options: SearchOptions,
  ) {
    this.ledger = new Ledger(options.pricing);
    this.promptTokens = policy.countTokens(prompt);
    this.aggregate = options.aggregate ?? "last";
  }

  /** The empty path. */
  root(): Beam {
    return { text: "", node: null, pathTokens: 0, finished: false, stepEnded: true, stepScores: [], score: null };
  }

  /**
   * Sample `counts[i]` continuations of `parents[i]` in one policy call.
   * @returns children per parent, in sample order
   * @throws InvalidArgumentError when the policy returns the wrong number of samples or bad token counts
   */
  async sample(parents: readonly Beam[], counts: readonly number[], round: SampleRound): Promise<Beam[][]> {
    const fn = "ProblemSearch.sample";
    requireArg(fn, counts.length === parents.length && counts.every((c) => Number.isSafeInteger(c) && c >= 0), "one integer count >= 0 per parent", counts);
    const total = counts.reduce((a, c) => a + c, 0);
    if (total === 0) return parents.map(() => []);
    const uniform = counts.every((c) => c === counts[0]);
    const prefixes = uniform ? parents.map((p) => this.prompt + p.text) : parents.flatMap((p, i) => Array.from({ length: counts[i] as number }, () => this.prompt + p.text));
    const n = uniform ? (counts[0] as number) : 1;
    const o = this.options;
    const res = await this.policy.sampleSteps(prefixes, {
      maxTokens: round.maxTokens,
      stopAtStepEnd: round.stopAtStepEnd,
      temperature: round.temperature ?? o.temperature ?? 1,
      topP: o.topP ?? 1,
      n,
      rng: this.rng.fork(round.label),
    });
    requireArg(fn, res.samples.length === prefixes.length && res.samples.every((s) => s.length === n), `${prefixes.length} prefixes × ${n} samples from ${this.policy.name}`, res.samples.map((s) => s.length));
    const flat = res.samples.flat();
    let k = 0;
    const children = parents.map((p, i) =>
      Array.from({ length: counts[i] as number }, (): Beam => {
        const s = flat[k++] as StepSample;
        requireEach(fn, Number.isSafeInteger(s.tokens) && s.tokens >= 0, "integer sample token counts >= 0", () => s);
        const node: TreeNode = { id: this.nextId++, parent: p.node, tokens: s.tokens };
        return { text: p.text + s.text, node, pathTokens: p.pathTokens + s.tokens, finished: s.finished, stepEnded: s.stepEnded, stepScores: [], score: null };
      }),
    );
    this.charge(parents, children);
    return children;
  }

  private charge(parents: readonly Beam[], children: readonly Beam[][]): void {
    const groups = parents.map((p, i) => {
      const prefixTokens = this.promptTokens + p.pathTokens;
      const prefillTokens = !this.ledger.prefixCache ? prefixTokens : this.prefilled ? 0 : this.promptTokens;
      this.prefilled = true;
      return { prefixTokens, prefillTokens, generatedTokens: (children[i] as Beam[]).map((c) => c.pathTokens - p.pathTokens) };
    });
    this.ledger.chargePolicy(groups);
    const seen = new Set<number>();
    let held = this.promptTokens;
    for (const p of parents) {
      for (let node = p.node; node !== null && !seen.has(node.id); node = node.parent) {
        seen.add(node.id);
        held += node.tokens;
      }
    }
    for (const g of groups) for (const t of g.generatedTokens) held += t;
    this.ledger.observeKvTokens(held);
  }

  /**
   * Score `beams` with the verifier in one call; sets their step scores and aggregated score.
   * @throws InvalidArgumentError without a verifier, or when it returns malformed scores
   */
  async score(beams: readonly Beam[]): Promise<void> {
    const fn = "ProblemSearch.score";
    requireArg(fn, this.verifier !== undefined, "a verifier (this strategy or selection scores candidates)", undefined);
    if (beams.length === 0) return;
    const res = await this.verifier.scoreSteps(this.prompt, beams.map((b) => b.text));
    requireArg(fn, res.scores.length === beams.length, `one score list per solution (${beams.length}) from ${this.verifier.name}`, res.scores.length);
    this.ledger.chargeVerifier(res.usage.tokens, beams.map((b) => this.promptTokens + b.pathTokens));
    beams.forEach((b, i) => {
      const s = res.scores[i] as number[];
      requireEach(fn, s.length > 0 && s.every((x) => x >= 0 && x <= 1), `non-empty scores in [0, 1] from ${this.verifier?.name}`, () => `${JSON.stringify(s)} for solution ${i}`);
      b.stepScores = [...s];
      b.score = aggregateScores(s, this.aggregate);
    });
  }

  /** The public view of a beam: its text cut into steps, scores, extracted answer, tokens and `status`. */
  candidate(beam: Beam, status: CandidateStatus): Candidate {
    const raw = this.options.extractAnswer(beam.text);
    return {
      text: beam.text,
      steps: cutSteps(beam.text, this.policy.stepSeparator),
      stepScores: [...beam.stepScores],
      score: beam.score,
      answer: raw === null || raw === undefined ? null : String(raw),
      tokens: beam.pathTokens,
      status,
    };
  }
}

/** Cut `text` after each `separator`, keeping it (the last piece may lack one; no empty last piece): `cutSteps("a\nb", "\n")` is `["a\n", "b"]`. */
export function cutSteps(text: string, separator: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let at = text.indexOf(separator, start); separator !== "" && at >= 0; at = text.indexOf(separator, start)) {
    out.push(text.slice(start, at + separator.length));
    start = at + separator.length;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** A beam's status once its search is over: finished at the end of sequence, truncated otherwise. */
export function endStatus(beam: Beam): CandidateStatus {
  return beam.finished ? "finished" : "truncated";
}
