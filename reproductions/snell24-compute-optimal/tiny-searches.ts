import type { StrategyParams } from "../../lib/allocation/outcome-table.ts";
import type { Rng } from "../../lib/core/rng.ts";
import { majorityCurve } from "../../lib/estimators/majority-at-k.ts";
import type { Verifier } from "../../lib/rewards/verifier.ts";
import { beamSearch } from "../../lib/strategies/beam-search.ts";
import { bestOfN } from "../../lib/strategies/best-of-n.ts";
import type { Ledger } from "../../lib/strategies/ledger.ts";
import type { Policy } from "../../lib/strategies/policy.ts";
import type { SearchOptions } from "../../lib/strategies/search-types.ts";
import { formatValue3 } from "../../lib/tasks/chain-problem.ts";
import { extractAnswer } from "../../lib/tasks/extract-answer.ts";

/** A held-out problem as the searches see it. */
export interface ProblemRef {
  /** `L<level>-<index>`. */
  id: string;
  level: number;
  prompt: string;
  /** The right final answer, three digits. */
  truth: string;
  /** Tokens of the prompt with BOS (what a policy prefills once). */
  promptTokens: number;
}

/** A search's outcome on every problem: expected correctness and FLOPs spent. */
export interface StrategyOutcome {
  strategy: string;
  params: StrategyParams;
  budget: number;
  /** Per problem (in problem order): 1 / 0, or an expectation over N-subsets for offline best-of-N. */
  correct: number[];
  /** Per problem: FLOPs, 2·P per token the policy processes (prompt once, every generated token) + 2·P per token the PRM reads. */
  flops: number[];
}

/** N samples per problem from one policy, graded by final answer and scored by the PRM. */
export interface SampledProblems {
  n: number;
  /** `answers[p][j]`, three digits or null. */
  answers: (string | null)[][];
  correct: boolean[][];
  /** PRM score of the last line per sample (0 for an empty completion). */
  scores: number[][];
  /** Per problem: policy tokens generated and PRM tokens read, summed over the N samples. */
  generatedTokens: number[];
  verifierTokens: number[];
}

/** Parameter counts that price tokens. */
export interface Pricing {
  policyParams: number;
  prmParams: number;
}

/** The final answer of a solution text as three digits (what problems are graded on), or null. */
export function answerOf(text: string): string | null {
  const a = extractAnswer(text);
  return a === undefined ? null : formatValue3(a);
}

/** FLOPs of one problem's search from its ledger: the prompt is prefilled once (prefix cache), every generated token once, every PRM token once. */
export function ledgerFlops(ledger: Ledger, promptTokens: number, price: Pricing): number {
  return 2 * price.policyParams * (promptTokens + ledger.policyGeneratedTokens) + 2 * price.prmParams * ledger.verifierTokens;
}

/**
 * Sample N whole solutions per problem (one policy call each, temperature
 * from `options`) and score them with the PRM — the pool best-of-N and
 * majority voting are evaluated on at every budget ≤ N.
 *
 * @param r - problem p draws from `r.fork("problem:" + prompt)` (bestOfN's convention)
 */
export async function sampleProblems(problems: readonly ProblemRef[], policy: Policy, prm: Verifier | undefined, n: number, options: SearchOptions, r: Rng): Promise<SampledProblems> {
  const res = await bestOfN(problems.map((p) => p.prompt), { policy, ...(prm ? { verifier: prm } : {}), rng: r }, { ...options, n, select: prm ? "weighted" : "majority" });
  const out: SampledProblems = { n, answers: [], correct: [], scores: [], generatedTokens: [], verifierTokens: [] };
  res.problems.forEach((pr, p) => {
    const truth = (problems[p] as ProblemRef).truth;
    out.answers.push(pr.candidates.map((c) => c.answer));
    out.correct.push(pr.candidates.map((c) => c.answer === truth));
    out.scores.push(pr.candidates.map((c) => c.score ?? 0));
    out.generatedTokens.push(pr.ledger.policyGeneratedTokens);
    out.verifierTokens.push(pr.ledger.verifierTokens);
  });
  return out;
}

/**
 * Best-of-N (weighted: the answer with the largest sum of PRM scores, Snell
 * et al.'s best choice; or plain majority) at each budget, evaluated exactly
 * over N-subsets of a larger pool of samples (`majorityCurve`). The FLOPs of
 * budget N are the pool's per-sample means times N, plus the prompt once.
 *
 * @param withPrm - charge the PRM's reads (weighted) or not (majority)
 */
export function bestOfNOutcomes(problems: readonly ProblemRef[], pool: SampledProblems, budgets: readonly number[], price: Pricing, weighted: boolean, r: Rng): StrategyOutcome[] {
  const perProblem = problems.map((p, i) =>
    majorityCurve(pool.answers[i] as (string | null)[], pool.correct[i] as boolean[], budgets, { ...(weighted ? { weights: pool.scores[i] as number[] } : {}), rng: r.fork(p.id) }).map((m) => m.value),
  );
  return budgets.map((n, b) => ({
    strategy: weighted ? "best-of-n" : "majority",
    params: { select: weighted ? "weighted" : "majority" },
    budget: n,
    correct: perProblem.map((c) => c[b] as number),
    flops: problems.map((p, i) => {
      const gen = ((pool.generatedTokens[i] as number) / pool.n) * n;
      const ver = weighted ? ((pool.verifierTokens[i] as number) / pool.n) * n : 0;
      return 2 * price.policyParams * (p.promptTokens + gen) + 2 * price.prmParams * ver;
    }),
  }));
}

/**
 * Beam search (k = 0) or lookahead search (k ≥ 1) with the PRM at one
 * budget N, width min(M, N), the final answer chosen by best-of-N weighted
 * over the completed beams (Snell et al. §5.1).
 */
export async function searchOutcome(problems: readonly ProblemRef[], policy: Policy, prm: Verifier, n: number, beamWidth: number, lookaheadSteps: number, options: SearchOptions, price: Pricing, r: Rng): Promise<StrategyOutcome> {
  const res = await beamSearch(problems.map((p) => p.prompt), { policy, verifier: prm, rng: r }, { ...options, n, beamWidth: Math.min(beamWidth, n), lookaheadSteps, select: "weighted" });
  return {
    strategy: lookaheadSteps > 0 ? "lookahead" : "beam",
    params: lookaheadSteps > 0 ? { beamWidth, k: lookaheadSteps } : { beamWidth },
    budget: n,
    correct: res.problems.map((pr, p) => (pr.answer === (problems[p] as ProblemRef).truth ? 1 : 0)),
    flops: res.problems.map((pr, p) => ledgerFlops(pr.ledger, (problems[p] as ProblemRef).promptTokens, price)),
  };
}
