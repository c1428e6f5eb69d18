import { requireArg } from "../core/errors.ts";
import type { Beam, ProblemSearch } from "./problem-search.ts";

/** Early rejection: cut each candidate step after `tau` tokens, score it, keep the best fraction. */
export interface RejectionOptions {
  /** Tokens of the current step generated before the partial score (τ); an integer ≥ 1. */
  tau: number;
  /** Share of candidates kept after the partial score, in (0, 1]; at least one is kept. ER-PRM keeps 1/M in beam search. */
  keepFraction: number;
}

/** Options of {@link expandStep}. */
export interface ExpandStepOptions {
  /** Random-stream label of the round (a rejection's second half uses `label + "/rest"`). */
  label: string;
  /** The last round: generate to the end of the solution (no rejection). */
  last: boolean;
  /** Score the finished children with the verifier. */
  score: boolean;
  rejection?: RejectionOptions | undefined;
}

/** Children per parent (rejected ones removed, order kept) and the rejected ones. */
export interface ExpandStepResult {
  children: Beam[][];
  rejected: Beam[];
}

/**
 * One round of a step-wise search: `counts[i]` continuations of `parents[i]`,
 * each to the end of its current step (to the end of the solution on the last
 * round), in one policy call.
 *
 * With `rejection`, the round goes in two halves (ER-PRM): first every
 * continuation is generated for at most τ tokens of its step and scored by the
 * verifier as a partial step; the best ⌈keepFraction · count⌉ by aggregated
 * score are kept (ties to the earlier one) and the rest rejected; then only the
 * survivors whose step is still open are continued to the step's end and scored
 * again. Survivors whose step ended within τ keep their score — so with τ at
 * least the longest step and keepFraction 1 the round equals a plain one,
 * ledger included (the partial call draws from the plain round's stream).
 *
 * @param search - the problem's search state (ledger, streams, limits: maxStepTokens default 256, maxTokens default 2048)
 * @param parents - beams to extend
 * @param counts - continuations per parent
 * @throws InvalidArgumentError on τ not a positive integer or keepFraction outside (0, 1]
 * @example
 * const { children, rejected } = await expandStep(search, [search.root()], [8], { label: "step-0", last: false, score: true, rejection: { tau: 16, keepFraction: 0.25 } });
 * @see Cheshmi et al. 2025, "Accelerating LLM Reasoning via Early Rejection with Partial Reward Modeling" (arXiv 2508.01969)
 */
export async function expandStep(search: ProblemSearch, parents: readonly Beam[], counts: readonly number[], options: ExpandStepOptions): Promise<ExpandStepResult> {
  const maxStep = search.options.maxStepTokens ?? 256;
  const { label, last, rejection } = options;
  if (rejection === undefined || last) {
    const round = last ? { maxTokens: search.options.maxTokens ?? 2048, stopAtStepEnd: false, label } : { maxTokens: maxStep, stopAtStepEnd: true, label };
    const children = await search.sample(parents, counts, round);
    if (options.score) await search.score(children.flat());
    return { children, rejected: [] };
  }
  const { tau, keepFraction } = rejection;
  requireArg("expandStep", Number.isSafeInteger(tau) && tau >= 1, "an integer tau >= 1", tau);
  requireArg("expandStep", keepFraction > 0 && keepFraction <= 1, "keepFraction in (0, 1]", keepFraction);
  const partial = await search.sample(parents, counts, { maxTokens: Math.min(tau, maxStep), stopAtStepEnd: true, label });
  const all = partial.flat();
  await search.score(all);
  const keep = Math.max(1, Math.ceil(keepFraction * all.length - 1e-9));
  const order = all.map((_, i) => i).sort((a, b) => (all[b]?.score as number) - (all[a]?.score as number) || a - b);
  const kept = new Set(order.slice(0, keep).map((i) => all[i] as Beam));
  const open = tau < maxStep ? all.filter((b) => kept.has(b) && !b.finished && !b.stepEnded) : [];
  if (open.length > 0) {
    const rest = await search.sample(open, open.map(() => 1), { maxTokens: maxStep - tau, stopAtStepEnd: true, label: `${label}/rest` });
    open.forEach((b, i) => Object.assign(b, (rest[i] as Beam[])[0]));
    if (options.score) await search.score(open);
  }
  return { children: partial.map((c) => c.filter((b) => kept.has(b))), rejected: all.filter((b) => !kept.has(b)) };
}

/** Whether a beam can take another step (it stopped at a step boundary before the end). */
export function isOpen(beam: Beam): boolean {
  return beam.stepEnded && !beam.finished;
}
