import { requireArg, requireEach } from "../core/errors.ts";
import { difficultyBins } from "../estimators/difficulty-bins.ts";

/** One graded (and possibly scored) sample of a problem, for {@link estimateDifficulty}. */
export interface DifficultySample {
  problem: string;
  /** 1 if the sample is right, else 0 (needed for the oracle signal). */
  correct?: number;
  /** The verifier's score of the sample (needed for the verifier signal). */
  score?: number;
}

/** Options of {@link estimateDifficulty}. */
export interface EstimateDifficultyOptions {
  /**
   * `"oracle"`: pass@1, the share of right samples (needs ground truth);
   * `"verifier"`: the mean verifier score (Snell et al.'s model-predicted difficulty, usable at test time).
   */
  signal: "oracle" | "verifier";
  /** Number of quantile bins. Default 5 (Snell et al.). */
  bins?: number;
}

/** Difficulty of each problem. */
export interface DifficultyEstimate {
  /** Problem ids in order of first appearance. */
  problems: string[];
  /** The signal per problem (higher = easier). */
  signal: number[];
  /** Level per problem, 1 (easiest) … bins (hardest). */
  level: number[];
  /** The same levels by problem id (what {@link computeOptimal} takes). */
  levels: Map<string, number>;
}

/**
 * Bin problems by difficulty from samples of a policy (Snell et al. 2024):
 * per problem, the share of right samples (oracle pass@1) or the mean
 * verifier score (model-predicted difficulty, no ground truth needed), cut
 * into equal-count quantile bins by {@link difficultyBins} (level 1 easiest).
 *
 * Oracle bins read the answers' correctness, so choosing a strategy per oracle
 * bin uses information a deployed system would not have; verifier bins do not.
 *
 * @param samples - one entry per sample; any number per problem (≥ 1)
 * @param options - which signal, how many bins
 * @returns ids, signals and levels per problem
 * @throws InvalidArgumentError on no samples, a sample missing the chosen signal (or outside [0, 1] for correct / not finite for score), or more bins than problems
 * @example
 * estimateDifficulty([{ problem: "a", correct: 1 }, { problem: "a", correct: 0 }, { problem: "b", correct: 0 }], { signal: "oracle", bins: 2 }).level // [1, 2]
 * @see Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally…", §3.2 (question difficulty, oracle vs predicted)
 */
export function estimateDifficulty(samples: readonly DifficultySample[], options: EstimateDifficultyOptions): DifficultyEstimate {
  const fn = "estimateDifficulty";
  requireArg(fn, options.signal === "oracle" || options.signal === "verifier", 'signal "oracle" or "verifier"', options.signal);
  requireArg(fn, samples.length > 0, "at least one sample", 0);
  const field = options.signal === "oracle" ? "correct" : "score";
  const sums = new Map<string, { total: number; count: number }>();
  samples.forEach((s, i) => {
    const v = s[field];
    const ok = typeof s.problem === "string" && typeof v === "number" && Number.isFinite(v) && (field === "score" || (v >= 0 && v <= 1));
    requireEach(fn, ok, `samples with a problem id and ${field === "correct" ? "correct in [0, 1]" : "a finite score"}`, () => ({ sample: i, ...s }));
    const acc = sums.get(s.problem) ?? { total: 0, count: 0 };
    acc.total += v as number;
    acc.count++;
    sums.set(s.problem, acc);
  });
  const problems = [...sums.keys()];
  const signal = problems.map((p) => {
    const { total, count } = sums.get(p) as { total: number; count: number };
    return total / count;
  });
  const level = Array.from(difficultyBins(signal, options.bins ?? 5));
  return { problems, signal, level, levels: new Map(problems.map((p, i) => [p, level[i] as number])) };
}
