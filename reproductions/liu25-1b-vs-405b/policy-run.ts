import type { Rng } from "../../lib/core/rng.ts";
import type { Verifier } from "../../lib/rewards/verifier.ts";
import { aggregateScores } from "../../lib/rewards/aggregate-scores.ts";
import { beamSearch } from "../../lib/strategies/beam-search.ts";
import { dvts } from "../../lib/strategies/dvts.ts";
import type { Policy } from "../../lib/strategies/policy.ts";
import type { SearchResult } from "../../lib/strategies/search-types.ts";
import { referenceValues, formatValue3, type ChainProblem } from "../../lib/tasks/chain-problem.ts";
import { extractAnswer } from "../../lib/tasks/extract-answer.ts";
import { isCorrect } from "../../lib/tasks/is-correct.ts";
import type { Liu25Config, RewardModelSpec } from "./config.ts";
import { offlineCurve, type OfflineMethod, type ScoredPool } from "./offline-selection.ts";

/** A held-out problem with its id, level, prompt and ground truth (three digits). */
export interface HeldOutProblem {
  id: string;
  level: number;
  problem: ChainProblem;
  prompt: string;
  truth: string;
}

/** A loaded policy with its parameter count. */
export interface PolicyUnderTest {
  name: string;
  params: number;
  policy: Policy;
  /** Context length: prompt + generation must fit. */
  maxLen: number;
}

/** A loaded reward model. */
export interface RewardModelUnderTest extends RewardModelSpec {
  params: number;
  verifier: Verifier;
}

/** One method × reward model of one policy: expected correctness per problem at each budget, and FLOPs spent. */
export interface MethodRun {
  /** `bon-naive`, `bon-weighted`, `majority` (offline, from one pool of samples) or `beam`, `dvts` (online search). */
  method: OfflineMethod | "beam" | "dvts";
  /** Reward model that ranks, weights or guides; null for majority. */
  rewardModel: string | null;
  budgets: number[];
  /** `correct[b][p]`: (expected) correctness of problem p at budgets[b]; offline rules are exact expectations over k-subsets. */
  correct: number[][];
  /** Approximate FLOPs per problem at each budget: 2 × parameters × tokens each model processed (prompt tokens included). */
  flopsPerProblem: number[];
}

/** What one policy did. */
export interface PolicyRun {
  /** Greedy (T = 0) single sample per problem: final-answer correctness and exact-trace correctness (models README's metric). */
  greedy: { correct: number[]; exact: number[] };
  /** Mean final-answer correctness of the pool's samples (pass@1 at the sampling temperature). */
  sampledPass1: number[];
  runs: MethodRun[];
}

/** Grade a text by its final answer against the problem's ground truth (three digits). */
export function answerCorrect(p: HeldOutProblem, text: string): boolean {
  const a = extractAnswer(text);
  return a !== undefined && formatValue3(a) === p.truth;
}

/** The held-out problem record of a generated chain problem. */
export function heldOut(problem: ChainProblem, level: number, index: number, prompt: string): HeldOutProblem {
  return { id: `L${level}-${index}`, level, problem, prompt, truth: formatValue3(referenceValues(problem).at(-1) as number) };
}

/**
 * Run one policy on every problem: one greedy sample; a pool of N samples per
 * problem at the config's temperature scored by every reward model (last step
 * score), from which best-of-N (naive, weighted) and majority are evaluated at
 * every budget; and beam search and DVTS guided by every PRM at each search
 * budget. Random streams: pool `r.fork("pool/level-L")`, search
 * `r.fork("<method>/<reward model>/n<N>")`, estimators `r.fork("estimate/...")`.
 *
 * @param problems - the held-out problems, grouped by level in order
 * @param report - progress messages
 */
export async function runPolicy(pol: PolicyUnderTest, rewardModels: readonly RewardModelUnderTest[], problems: readonly HeldOutProblem[], c: Liu25Config, r: Rng, report: (m: string) => void): Promise<PolicyRun> {
  const prompts = problems.map((p) => p.prompt);
  const room = (p: string) => pol.maxLen - pol.policy.countTokens(p) - 1;
  const maxTokens = Math.min(...prompts.map(room));
  const greedyRes = await pol.policy.sampleSteps(prompts, { n: 1, temperature: 0, maxTokens, stopAtStepEnd: false, rng: r.fork("greedy") });
  const greedyText = greedyRes.samples.map((s) => (s[0] as { text: string }).text);
  const greedy = { correct: problems.map((p, i) => Number(answerCorrect(p, greedyText[i] as string))), exact: problems.map((p, i) => Number(isCorrect(p.problem, greedyText[i] as string))) };
  report(`${pol.name}: greedy accuracy ${mean(greedy.correct).toFixed(3)}`);

  // The pool: N samples per problem, in chunks of at most ~512 sequences, scored by every reward model.
  const n = c.samplesPerProblem;
  const pools: ScoredPool[] = [];
  let poolTokens = 0;
  const scoreTokens: Record<string, number> = {};
  const chunk = Math.max(1, Math.floor(512 / n));
  for (let s = 0; s < problems.length; s += chunk) {
    const part = problems.slice(s, s + chunk);
    const res = await pol.policy.sampleSteps(part.map((p) => p.prompt), { n, temperature: c.temperature, maxTokens, stopAtStepEnd: false, rng: r.fork(`pool/${part[0]?.id}`) });
    poolTokens += res.usage.promptTokens + res.usage.generatedTokens;
    const texts = res.samples.map((ss) => ss.map((x) => x.text));
    const scored = await Promise.all(rewardModels.map((rm) => Promise.all(part.map((p, i) => rm.verifier.scoreSteps(p.prompt, texts[i] as string[])))));
    part.forEach((p, i) => {
      const t = texts[i] as string[];
      const scores: Record<string, number[]> = {};
      rewardModels.forEach((rm, v) => {
        const out = (scored[v] as { scores: number[][]; usage: { tokens: number } }[])[i]!;
        scores[rm.name] = out.scores.map((steps) => (steps.length === 0 ? 0 : aggregateScores(steps, "last")));
        scoreTokens[rm.name] = (scoreTokens[rm.name] ?? 0) + out.usage.tokens;
      });
      pools.push({ answers: t.map((x) => { const a = extractAnswer(x); return a === undefined ? null : formatValue3(a); }), correct: t.map((x) => answerCorrect(p, x)), scores });
    });
    report(`${pol.name}: sampled ${Math.min(s + chunk, problems.length)}/${problems.length} problems × ${n}`);
  }
  const sampledPass1 = pools.map((p) => mean(p.correct.map(Number)));

  const budgets = [...new Set([...c.bonBudgets, ...c.searchBudgets])].sort((a, b) => a - b);
  // FLOPs of k samples: k/N of the pool's policy tokens and of the reward model's read tokens, per problem.
  const perSample = (tokens: number) => tokens / (problems.length * n);
  const runs: MethodRun[] = [];
  const offline = (method: OfflineMethod, rm: RewardModelUnderTest | null) => {
    const curves = pools.map((pool, i) => offlineCurve(pool, method, rm?.name ?? null, budgets, c.majorityDraws, r.fork(`estimate/${method}/${rm?.name ?? "none"}/${problems[i]?.id}`)));
    runs.push({
      method,
      rewardModel: rm?.name ?? null,
      budgets,
      correct: budgets.map((_, b) => curves.map((cv) => cv[b] as number)),
      flopsPerProblem: budgets.map((k) => 2 * k * (pol.params * perSample(poolTokens) + (rm === null ? 0 : rm.params * perSample(scoreTokens[rm.name] ?? 0)))),
    });
  };
  offline("majority", null);
  for (const rm of rewardModels) {
    offline("bon-naive", rm);
    offline("bon-weighted", rm);
  }
  for (const rm of rewardModels.filter((m) => c.searchRewardModels.includes(m.name))) {
    for (const method of c.searchMethods) {
      const run: MethodRun = { method, rewardModel: rm.name, budgets: c.searchBudgets, correct: [], flopsPerProblem: [] };
      for (const budget of c.searchBudgets) {
        const collab = { policy: pol.policy, verifier: rm.verifier, rng: r.fork(`${method}/${rm.name}/n${budget}`) };
        const opts = { n: budget, beamWidth: c.beamWidth, extractAnswer, temperature: c.temperature, maxStepTokens: c.maxStepTokens, maxTokens };
        const res: SearchResult = method === "beam" ? await beamSearch(prompts, collab, opts) : await dvts(prompts, collab, opts);
        run.correct.push(res.problems.map((pr, i) => (pr.chosen >= 0 && answerCorrect(problems[i] as HeldOutProblem, pr.candidates[pr.chosen]!.text) ? 1 : 0)));
        const l = res.ledger;
        run.flopsPerProblem.push((2 * (pol.params * (l.policyGeneratedTokens + l.policyReadTokens) + rm.params * l.verifierTokens)) / problems.length);
        report(`${pol.name}: ${method} with ${rm.name} at N = ${budget}: accuracy ${mean(run.correct.at(-1) as number[]).toFixed(3)}`);
      }
      runs.push(run);
    }
  }
  return { greedy, sampledPass1, runs };
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, x) => a + x, 0) / xs.length;
}
