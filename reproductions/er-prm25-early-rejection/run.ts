/**
 * Reproduction of Cheshmi et al. (2025), "Accelerating LLM Reasoning via Early
 * Rejection with Partial Reward Modeling" (ER-PRM), on the tiny-model world:
 * the trained policy-60k searches held-out chain-arithmetic problems with beam
 * search against the trained prm-60k, without and with early rejection (score
 * each candidate step after τ tokens, keep the best 1/M, finish only those).
 * The plain search's rounds, scored after every τ tokens, give the
 * partial-vs-final reward correlation and the probability of discarding the
 * best candidate at every τ, under two readings of a partial step (at an
 * appended separator, as ER-PRM's code, and at its last token); the ledgers
 * give accuracy against FLOPs.
 */
import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../../lib/core/errors.ts";
import { rng } from "../../lib/core/rng.ts";
import { totalFlops } from "../../lib/cost/cost.ts";
import { tinyModelShape } from "../../lib/cost/tiny-shape.ts";
import { loadCheckpoint, type LoadedCheckpoint } from "../../lib/models/checkpoint.ts";
import { transformerPolicy } from "../../lib/models/transformer-policy.ts";
import { countParams } from "../../lib/models/transformer-config.ts";
import type { Progress } from "../../lib/repro/types.ts";
import { beamSearch } from "../../lib/strategies/beam-search.ts";
import { earlyRejection } from "../../lib/strategies/early-rejection.ts";
import type { SearchResult } from "../../lib/strategies/search-types.ts";
import type { ChainProblem } from "../../lib/tasks/chain-problem.ts";
import { extractAnswer } from "../../lib/tasks/extract-answer.ts";
import { formatPrompt } from "../../lib/tasks/format.ts";
import { generateProblems } from "../../lib/tasks/generate-problems.ts";
import { isCorrect } from "../../lib/tasks/is-correct.ts";
import type { ErPrmConfig } from "./config.ts";
import { partialRewardAnalysis, type PartialRewardAnalysis } from "./partial-reward-analysis.ts";
import { partialScoringPrm, type PartialReading } from "./partial-scoring-prm.ts";

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { ErPrmConfig } from "./config.ts";
export { figure } from "./figure.ts";

/** One search run over every problem: its accuracy and what its ledger says it spent. */
export interface SearchPoint {
  method: "beam-search" | "early-rejection";
  n: number;
  /** τ of early rejection; null for plain beam search. */
  tau: number | null;
  /** Exact-trace accuracy of the chosen candidates (`isCorrect`). */
  accuracy: number;
  /** Problems solved per level, in `levels` order. */
  correctByLevel: number[];
  /** FLOPs of the policy (prefill, decode) and of the PRM (each call prefills every scored sequence), from the ledger. */
  policyFlops: number;
  prmFlops: number;
  policyTokens: number;
  prmTokens: number;
  policyCalls: number;
  prmCalls: number;
}

export interface ErPrmResults {
  policy: { dir: string; params: number };
  prm: { dir: string; params: number };
  backend: string;
  levels: number[];
  problemsPerLevel: number;
  beamWidth: number;
  /** How early rejection read partial steps in the searches (the claims use this reading's analysis). */
  partialReading: PartialReading;
  /** Partial-vs-final statistics from the rounds of plain beam search at N = `analysisN`, under each reading of a partial step. */
  analyses: Record<PartialReading, PartialRewardAnalysis & { n: number; keepFraction: number }>;
  points: SearchPoint[];
  seed: number;
}

/**
 * Load the two checkpoints, draw the held-out problems, and for every N run
 * plain beam search (recording its rounds' partial scores) and early
 * rejection at every τ on the same random streams; then analyse the recorded
 * rounds. Reads the checkpoint folders; writes nothing. The models are
 * disposed before returning.
 *
 * @param config - a preset (checkpoint folders relative to the working directory)
 * @param progress - called after each search run
 * @returns the analyses (both readings of a partial step) and one point per search run
 * @throws DataError when a checkpoint is missing or corrupt; InvalidArgumentError when analysisN is not one of ns
 * @example
 * const results = await run(presets.smoke);
 * results.analyses["step-end"].pearson; // partial-vs-final r for τ = 1 … 10
 * results.points.map((p) => [p.method, p.n, p.tau, p.accuracy, p.policyFlops]);
 */
export async function run(config: ErPrmConfig, progress?: Progress): Promise<ErPrmResults> {
  requireArg("er-prm25 run", config.ns.includes(config.analysisN), "analysisN to be one of ns", { analysisN: config.analysisN, ns: config.ns });
  const report = progress ?? (() => {});
  const loaded: LoadedCheckpoint[] = [];
  try {
    const policyCk = loadCheckpoint(config.policyDir);
    loaded.push(policyCk);
    const prmCk = loadCheckpoint(config.prmDir);
    loaded.push(prmCk);
    const policy = transformerPolicy(policyCk.model, "policy");
    const pricing = { policyShape: tinyModelShape("policy", policyCk.model.config), verifierShape: tinyModelShape("prm", prmCk.model.config) };
    const root = rng(config.seed);
    const problems = generateProblems({ rng: root.fork("problems"), level: config.levels, count: config.levels.length * config.problemsPerLevel, split: "test" });
    const prompts = problems.map(formatPrompt);
    const keepFraction = 1 / config.beamWidth;
    const base = { beamWidth: config.beamWidth, extractAnswer, pricing, temperature: config.temperature, maxStepTokens: config.maxStepTokens };
    const points: SearchPoint[] = [];
    let analyses: ErPrmResults["analyses"] | undefined;
    const runs = config.ns.length * (1 + config.taus.length);
    for (const n of config.ns) {
      const stream = root.fork(`search-n${n}`);
      // Plain beam search's verifier calls never see an unfinished step, so the reading matters only to early rejection.
      const recorder = partialScoringPrm(prmCk.model, { name: "prm", reading: config.partialReading, record: n === config.analysisN });
      const plain = await beamSearch(prompts, { policy, verifier: recorder.verifier, rng: stream }, { ...base, n });
      points.push(searchPoint("beam-search", n, null, plain, problems, config));
      report(`N=${n} beam search: accuracy ${points.at(-1)?.accuracy.toFixed(3)}`, points.length / runs);
      if (n === config.analysisN) {
        const analyse = (reading: PartialReading) => ({ ...partialRewardAnalysis(recorder.rounds.map((r) => r.lastLine[reading]), { taus: config.analysisTaus, keepFraction }), n, keepFraction });
        analyses = { "step-end": analyse("step-end"), "last-token": analyse("last-token") };
      }
      const prm = partialScoringPrm(prmCk.model, { name: "prm", reading: config.partialReading });
      for (const tau of config.taus) {
        const er = await earlyRejection(prompts, { policy, verifier: prm.verifier, rng: stream }, { ...base, strategy: "beam-search", n, tau, keepFraction });
        points.push(searchPoint("early-rejection", n, tau, er, problems, config));
        report(`N=${n} early rejection τ=${tau}: accuracy ${points.at(-1)?.accuracy.toFixed(3)}`, points.length / runs);
      }
    }
    return {
      policy: { dir: config.policyDir, params: countParams(policyCk.model.config) },
      prm: { dir: config.prmDir, params: countParams(prmCk.model.config) },
      backend: tf.getBackend(),
      levels: config.levels,
      problemsPerLevel: config.problemsPerLevel,
      beamWidth: config.beamWidth,
      partialReading: config.partialReading,
      analyses: analyses as ErPrmResults["analyses"],
      points,
      seed: config.seed,
    };
  } finally {
    for (const ck of loaded) ck.model.dispose();
  }
}

function searchPoint(method: SearchPoint["method"], n: number, tau: number | null, res: SearchResult, problems: readonly ChainProblem[], config: ErPrmConfig): SearchPoint {
  const correctByLevel = config.levels.map(() => 0);
  res.problems.forEach((p, i) => {
    const chosen = p.candidates[p.chosen];
    // generateProblems cycles through the levels: problem i has levels[i mod L].
    if (chosen !== undefined && isCorrect(problems[i] as ChainProblem, chosen.text)) correctByLevel[i % config.levels.length]!++;
  });
  const l = res.ledger;
  return {
    method,
    n,
    tau,
    accuracy: correctByLevel.reduce((a, c) => a + c, 0) / problems.length,
    correctByLevel,
    policyFlops: totalFlops(l.policyCost),
    prmFlops: totalFlops(l.verifierCost),
    policyTokens: l.policyGeneratedTokens,
    prmTokens: l.verifierTokens,
    policyCalls: l.policyCalls,
    prmCalls: l.verifierCalls,
  };
}
