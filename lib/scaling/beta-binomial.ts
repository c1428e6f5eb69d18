import { requireArg } from "../core/errors.ts";
import { logChoose } from "../core/math.ts";
import type { ProblemCounts } from "../estimators/coverage-curve.ts";
import { makeBetaBinomialFit, type BetaBinomialFit, type BetaBinomialParam } from "./beta-binomial-result.ts";
import { FitConvergenceError, SingularFitError } from "./fit-errors.ts";
import { invertSpd } from "./linear-algebra.ts";
import { newtonMaximise } from "./newton-maximise.ts";
import { logBinomialIntegral } from "./scaled-beta-binomial.ts";

/** Options of {@link fitBetaBinomial}; every field has a default. */
export interface FitBetaBinomialOptions {
  /** Estimate the scale s (upper end of the support of p) as well. Default false: s is held at `scale`. */
  fitScale?: boolean;
  /** The fixed s when `fitScale` is false, 0 < s ≤ 1. Default 1 (a plain Beta, closed-form likelihood). */
  scale?: number;
  /** Most Newton iterations per start. Default 200. */
  maxIterations?: number;
}

/** Largest |log α|, |log β| or |logit s| the search may visit. */
const FREE_LIMIT = 40;
/**
 * An unconverged search with |log α| or |log β| past 9 (a Beta with α + β > 8·10³, a point mass at
 * any practical n), or any estimate past 25, has diverged: the likelihood keeps rising towards the binomial limit.
 */
const DIVERGED_UNCONVERGED = 9;
const DIVERGED = 25;
/** logit s beyond this (s > 1 − 1.4e-8) means the likelihood is still rising at s = 1: the bound is active. */
const SCALE_AT_BOUND = 18;

/**
 * Maximum-likelihood fit of a scaled Beta(α, β) on [0, s] to per-problem counts: problem i
 * has success probability pᵢ = s·Uᵢ, Uᵢ ~ Beta(α, β), and cᵢ correct out of nᵢ attempts,
 * cᵢ | pᵢ ~ Binomial(nᵢ, pᵢ). The likelihood is that of the counts with pᵢ integrated out
 * (the beta-binomial; see {@link scaledBetaBinomialLogPmf}), not of the point estimates cᵢ/nᵢ,
 * so problems with c = 0 — the heavy left tail that makes pass@k a power law — count correctly.
 *
 * The search runs damped Newton on u = (log α, log β[, logit s]) with finite-difference
 * derivatives, from a method-of-moments start (two starts for s when it is fitted). Standard
 * errors come from the observed information −∂²ℓ/∂u∂uᵀ at the optimum (delta method back to
 * α, β, s). When the likelihood still rises at s = 1 the estimate of s is reported at its
 * bound (`atBounds: ["scale"]`) and α, β are refitted with s = 1.
 *
 * Cost: problems sharing (n, c) are evaluated once. With s = 1 each distinct (n, c) costs
 * three log-gamma calls; with s < 1 an O(n − c) exact series, so fitting s on n = 10⁴ attempts
 * per problem is ~10⁴× slower than the default.
 *
 * @param source - one `{ n, c }` per problem, or a `SampleTable` (its `counts()`)
 * @param options - whether to fit s, or the fixed s (see {@link FitBetaBinomialOptions})
 * @returns estimates, standard errors, intervals and the log-likelihood (see {@link BetaBinomialFit})
 * @throws InvalidArgumentError for counts that are not integers with 0 ≤ c ≤ n, n ≥ 1; for no more
 *   problems than free parameters; when every c is 0 or every c equals n (the MLE runs off to a bound);
 *   for a fixed scale outside (0, 1]
 * @throws FitConvergenceError when α or β diverge (e.g. counts with no overdispersion, a plain binomial)
 *   or the search does not converge
 * @throws SingularFitError when the observed information is not positive definite at the optimum
 * @example
 * const r = fitBetaBinomial(counts);            // s = 1
 * r.params.alpha; r.interval("alpha");          // the left-tail exponent and its 95% interval
 * predictPassAtK(r, [1, 10, 100]);
 * @see Schaeffer et al. 2025, "How Do Large Language Monkeys Get Their Power (Laws)?" (fit the scaled Beta by the
 *   beta-binomial likelihood of the counts); FORMULAS.md "Why the power law appears"
 */
export function fitBetaBinomial(source: readonly ProblemCounts[] | { counts(): ProblemCounts[] }, options: FitBetaBinomialOptions = {}): BetaBinomialFit {
  const fn = "fitBetaBinomial";
  const counts = "counts" in source && typeof source.counts === "function" ? source.counts() : (source as readonly ProblemCounts[]);
  const fitScale = options.fitScale ?? false;
  const fixedScale = options.scale ?? 1;
  requireArg(fn, fixedScale > 0 && fixedScale <= 1, "a scale s with 0 < s <= 1", fixedScale);
  const freeCount = fitScale ? 3 : 2;
  requireArg(fn, counts.length > freeCount, `more problems than fitted parameters (${freeCount})`, counts.length);
  const groups = new Map<string, { n: number; c: number; w: number }>();
  let logChooseSum = 0;
  let anySuccess = false;
  let anyFailure = false;
  for (const [i, { n, c }] of counts.entries()) {
    requireArg(fn, Number.isSafeInteger(n) && n >= 1 && Number.isSafeInteger(c) && c >= 0 && c <= n, "counts with integers 0 <= c <= n, n >= 1", { problem: i, n, c });
    const g = groups.get(`${n}/${c}`);
    if (g === undefined) groups.set(`${n}/${c}`, { n, c, w: 1 });
    else g.w++;
    logChooseSum += logChoose(n, c);
    anySuccess ||= c > 0;
    anyFailure ||= c < n;
  }
  requireArg(fn, anySuccess, "at least one problem with c > 0 (with none the Beta collapses onto p = 0)", "every c = 0");
  requireArg(fn, anyFailure, "at least one problem with c < n (with none the Beta collapses onto p = s)", "every c = n");
  const list = [...groups.values()];
  const logLikelihood = (alpha: number, beta: number, scale: number) => {
    let s = logChooseSum;
    for (const { n, c, w } of list) s += w * logBinomialIntegral(n, c, alpha, beta, scale);
    return s;
  };
  const objective = (withScale: boolean, scale: number) => (u: Float64Array) => {
    for (const v of u) if (!(Math.abs(v) <= FREE_LIMIT)) return -Infinity;
    return logLikelihood(Math.exp(u[0] as number), Math.exp(u[1] as number), withScale ? 1 / (1 + Math.exp(-(u[2] as number))) : scale);
  };
  const newtonOptions = { maxIterations: options.maxIterations ?? 200 };
  const run = (withScale: boolean, scale: number, starts: Float64Array[]) => {
    const f = objective(withScale, scale);
    let best: ReturnType<typeof newtonMaximise> | undefined;
    for (const u0 of starts) {
      const r = newtonMaximise(f, u0, newtonOptions);
      if (best === undefined || (r.converged && !best.converged) || (r.converged === best.converged && r.value > best.value)) best = r;
    }
    return best as ReturnType<typeof newtonMaximise>;
  };

  const scaleStarts = fitScale ? [0.99, Math.min(0.95, Math.max(0.05, Math.max(...counts.map(({ n, c }) => c / n))))] : [fixedScale];
  let best = run(
    fitScale,
    fixedScale,
    scaleStarts.map((s) => {
      const { alpha, beta } = momentStart(counts, s);
      return Float64Array.from(fitScale ? [Math.log(alpha), Math.log(beta), Math.log(s / (1 - s))] : [Math.log(alpha), Math.log(beta)]);
    }),
  );
  let free: BetaBinomialParam[] = fitScale ? ["alpha", "beta", "scale"] : ["alpha", "beta"];
  let atBounds: BetaBinomialParam[] = [];
  if (fitScale && (best.x[2] as number) > SCALE_AT_BOUND) {
    best = run(false, 1, [best.x.slice(0, 2)]);
    free = ["alpha", "beta"];
    atBounds = ["scale"];
  }
  const limit = best.converged ? DIVERGED : DIVERGED_UNCONVERGED;
  const diverged = free.filter((name, j) => name !== "scale" && Math.abs(best.x[j] as number) > limit);
  if (diverged.length > 0) {
    const why = `${diverged.join(", ")} diverged (log ${diverged[0]} = ${(best.x[free.indexOf(diverged[0] as BetaBinomialParam)] as number).toFixed(1)}): the counts show no overdispersion a Beta can fit`;
    throw new FitConvergenceError("betaBinomial", scaleStarts.length, why, NaN);
  }
  if (!best.converged) throw new FitConvergenceError("betaBinomial", scaleStarts.length, best.reason, NaN);
  const p = free.length;
  const information = best.hessian.map((v) => -v);
  const inv = invertSpd(information, p);
  if (inv === undefined) throw new SingularFitError("betaBinomial", free, 0);
  const scale = free.length === 3 ? 1 / (1 + Math.exp(-(best.x[2] as number))) : atBounds.length > 0 ? 1 : fixedScale;
  return makeBetaBinomialFit({
    params: { alpha: Math.exp(best.x[0] as number), beta: Math.exp(best.x[1] as number), scale },
    free,
    covariance: Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => inv[j * p + k] as number)),
    atBounds,
    logLikelihood: best.value,
    problems: counts.length,
    iterations: best.iterations,
    converged: true,
    reason: best.reason,
  });
}

/**
 * Method-of-moments start for U = p/s: mean m of cᵢ/(nᵢ·s) and its between-problem variance
 * (observed variance less the binomial part E[p̂(1 − p̂)]/(n − 1)), then α + β = m(1 − m)/v − 1.
 */
function momentStart(counts: readonly ProblemCounts[], scale: number): { alpha: number; beta: number } {
  let mean = 0;
  let within = 0;
  for (const { n, c } of counts) {
    const ph = c / n;
    mean += ph;
    if (n > 1) within += (ph * (1 - ph)) / (n - 1);
  }
  mean /= counts.length;
  within /= counts.length;
  let variance = 0;
  for (const { n, c } of counts) variance += (c / n - mean) ** 2;
  variance /= counts.length;
  const m = Math.min(Math.max(mean / scale, 0.01), 0.99);
  const between = (variance - within) / (scale * scale);
  const total = between > 0 ? Math.min(Math.max((m * (1 - m)) / between - 1, 0.1), 1e4) : 2;
  return { alpha: Math.max(m * total, 1e-3), beta: Math.max((1 - m) * total, 1e-3) };
}
