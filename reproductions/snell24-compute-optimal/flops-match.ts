import { requireArg } from "../../lib/core/errors.ts";
import { rng } from "../../lib/core/rng.ts";
import { generateProblem } from "../../lib/tasks/chain-problem.ts";
import { CHAIN_TOKENIZER } from "../../lib/tasks/char-tokenizer.ts";
import { formatPrompt, formatSolution } from "../../lib/tasks/format.ts";

/** What a policy recipe says about its pretraining data. */
export interface PretrainingRecipe {
  /** Optimizer steps. */
  totalSteps: number;
  /** Examples per step. */
  batchSize: number;
  /** Task levels examples are drawn from, uniformly over this list (a level listed twice is drawn twice as often). */
  levels: readonly number[];
}

/**
 * Tokens of one training example of a level (BOS, prompt, reference solution,
 * EOS). Every problem of a level has the same length: operands, values and
 * the prompt's op slots have fixed widths (lib/tasks/format.ts).
 *
 * @example
 * exampleTokens(1) // 82 (lib/tasks/level.ts, the LEVELS table)
 */
export function exampleTokens(level: number): number {
  const p = generateProblem(rng(0), level);
  return CHAIN_TOKENIZER.encode(formatPrompt(p) + formatSolution(p), { bos: true, eos: true }).length;
}

/**
 * Pretraining tokens D_pre of a tiny policy: totalSteps × batchSize × the mean
 * example length over the recipe's level list (examples are not packed; each
 * counts its own tokens).
 *
 * @throws InvalidArgumentError on non-positive steps or batch size, or an empty level list
 * @example
 * pretrainingTokens({ totalSteps: 2000, batchSize: 32, levels: [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4] }) // 2000 · 32 · 126 = 8,064,000
 */
export function pretrainingTokens(recipe: PretrainingRecipe): number {
  const { totalSteps, batchSize, levels } = recipe;
  requireArg("pretrainingTokens", Number.isSafeInteger(totalSteps) && totalSteps > 0 && Number.isSafeInteger(batchSize) && batchSize > 0, "positive integer totalSteps and batchSize", { totalSteps, batchSize });
  requireArg("pretrainingTokens", levels.length > 0, "a non-empty level list", levels);
  const mean = levels.reduce((a, l) => a + exampleTokens(l), 0) / levels.length;
  return totalSteps * batchSize * mean;
}

/** A model in the FLOPs-matched comparison: parameters P and pretraining tokens D_pre. */
export interface PretrainedModel {
  params: number;
  pretrainingTokens: number;
}

/**
 * The inference FLOPs per query a small model may spend so that its total
 * compute — pretraining 6·P_s·D_s plus Q queries — equals a larger model's
 * pretraining 6·P_L·D_L plus the same Q queries answered with its own
 * inference cost `largeFlopsPerQuery` (= 2·P_L·t_L for t_L tokens a query).
 * Q follows from Snell et al.'s ratio R = D_inference / D_pretrain of the
 * larger model: Q = R·D_L / t_L. Then
 *
 *   small FLOPs per query = 2·P_L·t_L + 6·(P_L·D_L − P_s·D_s)·t_L / (R·D_L).
 *
 * With equal pretraining data this is 2·P_s·t_L · (M + 3·(M − 1)/R), M = P_L/P_s:
 * the small model gets M + 3(M − 1)/R times the tokens of one answer.
 *
 * @param large - the larger model
 * @param small - the small model
 * @param largeTokensPerQuery - t_L, tokens the larger model processes per query (prompt and answer)
 * @param ratio - R > 0
 * @returns FLOPs per query for the small model (its search must fit in this)
 * @throws InvalidArgumentError on non-positive inputs
 * @example
 * matchedSmallFlops({ params: 10, pretrainingTokens: 100 }, { params: 1, pretrainingTokens: 100 }, 10, 1) // 740 = 2·1·10·(10 + 27)
 * @see Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally…", §7 (exchanging pretraining and test-time compute; X = 6·N·D_pretrain + 2·N·D_inference)
 */
export function matchedSmallFlops(large: PretrainedModel, small: PretrainedModel, largeTokensPerQuery: number, ratio: number): number {
  const vals = [large.params, large.pretrainingTokens, small.params, small.pretrainingTokens, largeTokensPerQuery, ratio];
  requireArg("matchedSmallFlops", vals.every((v) => Number.isFinite(v) && v > 0), "positive parameters, pretraining tokens, tokens per query and ratio R", { large, small, largeTokensPerQuery, ratio });
  const tL = largeTokensPerQuery;
  const pretrainGap = 6 * (large.params * large.pretrainingTokens - small.params * small.pretrainingTokens);
  return 2 * large.params * tL + (pretrainGap * tL) / (ratio * large.pretrainingTokens);
}
