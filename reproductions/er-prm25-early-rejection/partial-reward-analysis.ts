import { requireArg } from "../../lib/core/errors.ts";
import { pearson, spearman } from "./correlation.ts";
import { fitLine, type LineFit } from "./line-fit.ts";

/** Options of {@link partialRewardAnalysis}. */
export interface PartialRewardAnalysisOptions {
  /** Prefix lengths τ (tokens into the step) to evaluate, each ≥ 1. */
  taus: readonly number[];
  /** Share of a round's candidates early rejection keeps, in (0, 1] (ER-PRM in beam search: 1/M). */
  keepFraction: number;
}

/** Partial-vs-final statistics per τ. */
export interface PartialRewardAnalysis {
  taus: number[];
  /** Candidate steps pooled over all rounds. */
  candidates: number;
  /** Pearson r and Spearman ρ of (partial score at τ, full-step score), pooled over every candidate; NaN when a side is constant. */
  pearson: number[];
  spearman: number[];
  /** Mean over rounds of the within-round Spearman ρ (rounds where it is defined), the ranking early rejection uses. */
  withinRoundSpearman: number[];
  /** Rounds with more candidates than early rejection keeps (the ones where a discard can happen). */
  rounds: number;
  /** Per τ: rounds where keeping the best ⌈keepFraction · n⌉ by partial score drops every candidate with the best full-step score. */
  discarded: number[];
  /** discarded / rounds. */
  discardProbability: number[];
  /** Least-squares line of ln P(discard) against τ over the τ with P > 0 (null with fewer than 3 such τ). */
  logDiscardFit: LineFit | null;
}

/**
 * How well partial-step rewards predict full-step rewards, from the rounds a
 * `partialScoringPrm` recorded during a search (one reading's scores). For a candidate whose
 * step has L tokens the partial reward at τ is its score after min(τ, L)
 * tokens (a step that ended within τ keeps its full score, as `expandStep`
 * does) and the final reward its score at the step's end.
 *
 * The discard event at τ is early rejection's failure mode (Cheshmi et al.'s
 * "discarding the optimal beam"): the round keeps its ⌈keepFraction · n⌉
 * candidates with the best partial rewards (ties to the earlier candidate,
 * as `expandStep`), and none of them has the round's best final reward
 * (candidates with equal final reward count as equally best). If P(discard)
 * falls exponentially in τ, ln P is a line in τ with negative slope.
 *
 * @param rounds - `rounds[r][i][τ − 1]`: candidate i of round r scored after τ tokens of its step (the last entry: the full step); candidates with an empty step are skipped
 * @throws InvalidArgumentError on τ not positive integers or keepFraction outside (0, 1]
 * @example
 * const a = partialRewardAnalysis(prm.rounds.map((r) => r.lastLine["step-end"]), { taus: [1, 2, 3], keepFraction: 0.25 });
 * a.discardProbability; // one per τ
 * @see Cheshmi et al. 2025 (arXiv 2508.01969): partial and final rewards correlate; the risk of discarding the optimal beam decreases exponentially with the generated length
 */
export function partialRewardAnalysis(rounds: readonly (readonly (readonly number[])[])[], options: PartialRewardAnalysisOptions): PartialRewardAnalysis {
  const { taus, keepFraction } = options;
  requireArg("partialRewardAnalysis", taus.length > 0 && taus.every((t) => Number.isSafeInteger(t) && t >= 1), "taus that are positive integers", taus);
  requireArg("partialRewardAnalysis", keepFraction > 0 && keepFraction <= 1, "keepFraction in (0, 1]", keepFraction);
  const lines = rounds.map((r) => r.filter((l) => l.length > 0));
  const at = (line: readonly number[], tau: number) => line[Math.min(tau, line.length) - 1] as number;
  const final = (line: readonly number[]) => line[line.length - 1] as number;
  const all = lines.flat();
  const finals = all.map(final);
  const contested = lines.filter((ls) => ls.length > keepCount(ls.length, keepFraction));
  const result: PartialRewardAnalysis = {
    taus: [...taus],
    candidates: all.length,
    pearson: [],
    spearman: [],
    withinRoundSpearman: [],
    rounds: contested.length,
    discarded: [],
    discardProbability: [],
    logDiscardFit: null,
  };
  for (const tau of taus) {
    const partial = all.map((l) => at(l, tau));
    result.pearson.push(all.length >= 2 ? pearson(partial, finals) : NaN);
    result.spearman.push(all.length >= 2 ? spearman(partial, finals) : NaN);
    const within = lines.filter((ls) => ls.length >= 2).map((ls) => spearman(ls.map((l) => at(l, tau)), ls.map(final))).filter((r) => !Number.isNaN(r));
    result.withinRoundSpearman.push(within.length > 0 ? within.reduce((a, r) => a + r, 0) / within.length : NaN);
    const discarded = contested.filter((ls) => discardsBest(ls.map((l) => at(l, tau)), ls.map(final), keepFraction)).length;
    result.discarded.push(discarded);
    result.discardProbability.push(contested.length > 0 ? discarded / contested.length : NaN);
  }
  const positive = taus.map((t, i) => [t, result.discardProbability[i] as number] as const).filter(([, p]) => p > 0);
  if (positive.length >= 3) result.logDiscardFit = fitLine(positive.map(([t]) => t), positive.map(([, p]) => Math.log(p)));
  return result;
}

/** Candidates early rejection keeps out of n: ⌈keepFraction · n⌉, at least one (as `expandStep`). */
export function keepCount(n: number, keepFraction: number): number {
  return Math.max(1, Math.ceil(keepFraction * n - 1e-9));
}

/**
 * Whether keeping the best ⌈keepFraction · n⌉ by `partial` (ties to the lower
 * index) drops every candidate whose `final` equals the best final score.
 *
 * @example
 * discardsBest([0.9, 0.1, 0.5], [0.2, 0.8, 0.4], 1 / 3); // true: keeps candidate 0, the best final is candidate 1
 */
export function discardsBest(partial: readonly number[], final: readonly number[], keepFraction: number): boolean {
  const order = partial.map((_, i) => i).sort((a, b) => (partial[b] as number) - (partial[a] as number) || a - b);
  const kept = order.slice(0, keepCount(partial.length, keepFraction));
  const best = Math.max(...final);
  return !kept.some((i) => (final[i] as number) >= best);
}
