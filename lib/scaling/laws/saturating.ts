import { defineLaw } from "../law.ts";

/**
 * The Test-Time Scaling Performance Model (TTSPM) curve, y = A·(1 − (1 − p)^x): accuracy after
 * x samples (parallel scaling, at least one of x independent samples correct, each with
 * probability p) or x rounds of rethinking (sequential scaling, an absorbing Markov chain that
 * reaches the correct state with probability p per round), scaled by the ceiling A.
 *
 * Wang et al. derive both paradigms to this one form — 1 − (1 − p)^N for parallel Hit@N, the
 * geometric CDF for sequential rounds — and bound performance by its ceiling. The marginal gain
 * of one more unit, A·p·(1 − p)^x, falls below ε after x* = ln(ε/(A·p))/ln(1 − p): the
 * saturation point. (Form confirmed from the paper's abstract and two summaries of §3; the
 * saturation point is derived here from the form, not transcribed from the paper.)
 *
 * Parameters: `A` (> 0, the ceiling, units of y), `p` (in (0, 1), per-sample or per-round success).
 * Starting values: A at 1.01×, 1.2× and 1.5× the largest y; p solving the curve through the point of smallest x.
 *
 * @example
 * fit(ttspm, { x: [1, 2, 4, 8, 16, 32], y: hitAtN }).params.A // the accuracy ceiling
 * @see Wang et al. 2025, "Scaling over Scaling: Exploring Test-Time Scaling Plateau in Large Reasoning Models" (TTSPM, §3, parallel and sequential scaling)
 */
export const ttspm = defineLaw({
  name: "ttspm",
  paramNames: ["A", "p"],
  source: "Wang et al. 2025 (TTSPM): y = A·(1 − (1 − p)^x)",
  bounds: { A: { lower: 0 }, p: { lower: 0, upper: 1 } },
  predict: (q, x) => -q.A * Math.expm1(x * Math.log1p(-q.p)),
  jacobian: (q, x) => {
    const rest = Math.exp(x * Math.log1p(-q.p)); // (1 − p)^x
    return { A: -Math.expm1(x * Math.log1p(-q.p)), p: (q.A * x * rest) / (1 - q.p) };
  },
  initialGuesses: ({ x, y }) => {
    const top = Math.max(...y);
    let first = 0;
    for (let i = 1; i < x.length; i++) if ((x[i] as number) < (x[first] as number)) first = i;
    const x1 = Math.max(x[first] as number, 1e-12);
    return [1.01, 1.2, 1.5].map((m) => {
      const A = Math.max(m * top, 1e-12);
      const frac = Math.min(Math.max((y[first] as number) / A, 1e-6), 1 - 1e-6);
      const p = Math.min(Math.max(-Math.expm1(Math.log1p(-frac) / x1), 1e-6), 1 - 1e-6);
      return { A, p };
    });
  },
});

/**
 * Saturating exponential, y = A − (A − y0)·exp(−x/τ): from y0 at x = 0 towards the ceiling A
 * (or floor, when A < y0) with budget scale τ. TTSPM's curve is the special case y0 = 0,
 * τ = −1/ln(1 − p); the free y0 absorbs a baseline (e.g. accuracy with no extra compute) and τ
 * is in the units of x (tokens, samples, rounds), which keeps badly scaled budgets well conditioned.
 * Gains fall below ε per unit of x after x* = τ·ln((A − y0)/(τ·ε)).
 *
 * Parameters: `A` (the asymptote, units of y), `y0` (the value at x = 0), `tau` (> 0, units of x).
 * Starting values: A a little beyond the last y, y0 the first y, τ from the x where y is halfway (×½, ×1, ×2).
 *
 * @example
 * fit(saturatingExponential, { x: budgetTokens, y: accuracy }).params.tau // budget scale of saturation
 * @see Wang et al. 2025, "Scaling over Scaling" (TTSPM: the saturating form and its saturation point);
 *   a standard reparametrisation of the same curve (documented here, not a form from the paper)
 */
export const saturatingExponential = defineLaw({
  name: "saturatingExponential",
  paramNames: ["A", "y0", "tau"],
  source: "Wang et al. 2025 (TTSPM), reparametrised: y = A − (A − y0)·exp(−x/τ)",
  bounds: { tau: { lower: 0 } },
  predict: (q, x) => q.A - (q.A - q.y0) * Math.exp(-x / q.tau),
  jacobian: (q, x) => {
    const e = Math.exp(-x / q.tau);
    return { A: 1 - e, y0: e, tau: (-(q.A - q.y0) * e * x) / (q.tau * q.tau) };
  },
  initialGuesses: ({ x, y }) => {
    const order = Array.from(x.keys()).sort((i, j) => (x[i] as number) - (x[j] as number));
    const first = order[0] as number;
    const last = order[order.length - 1] as number;
    const y0 = y[first] as number;
    const A = (y[last] as number) + 0.05 * ((y[last] as number) - y0);
    const half = (A + y0) / 2;
    let mid = first;
    for (const i of order) if (Math.abs((y[i] as number) - half) < Math.abs((y[mid] as number) - half)) mid = i;
    const span = (x[last] as number) - (x[first] as number) || 1;
    const tau = Math.max(((x[mid] as number) - (x[first] as number)) / Math.LN2, 1e-3 * span);
    return [1, 0.5, 2].map((m) => ({ A, y0, tau: m * tau }));
  },
});
