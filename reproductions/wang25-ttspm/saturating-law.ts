import { logGamma } from "../../lib/core/math.ts";
import { defineLaw } from "../../lib/scaling/law.ts";

const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

/**
 * TTSPM's saturating structure averaged over problems whose per-step success rate q is Beta(a, b):
 * F(N) = A − (A − F₁)·E[(1 − q)^(N−1)] = A − (A − F₁)·B(a, b + N − 1)/B(a, b).
 * A is the ceiling, F₁ the accuracy at N = 1; a single rate (b → ∞ with a/b fixed) recovers the
 * per-problem form A − (A − F₁)(1 − q)^(N−1). Parallel Hit@N over Beta(α, β) problems is exactly this
 * law with A = 1, F₁ = α/(α + β), a = α, b = β + 1. Defined here until lib/scaling has saturating laws.
 *
 * @see Wang et al. 2025, "Scaling over Scaling", §3 (parallel and sequential share one bound structure)
 */
export const betaGeometricSaturation = defineLaw({
  name: "betaGeometricSaturation",
  paramNames: ["A", "F1", "a", "b"],
  source: "TTSPM per-problem form 1 − (1 − q)^N averaged over q ~ Beta(a, b), with ceiling A and start F1",
  bounds: { A: { lower: 0, upper: 2 }, F1: { lower: 0, upper: 1 }, a: { lower: 0 }, b: { lower: 0 } },
  requiresPositiveX: true,
  predict: (p, n) => p.A - (p.A - p.F1) * Math.exp(logBeta(p.a, p.b + n - 1) - logBeta(p.a, p.b)),
  initialGuesses: ({ x, y }) => {
    let first = 0;
    x.forEach((v, i) => (v < (x[first] as number) ? (first = i) : 0));
    const f1 = Math.min(0.99, Math.max(0.01, y[first] as number));
    const top = Math.min(1.9, Math.max(...y) + 0.05);
    return [
      { A: top, F1: f1, a: 0.5, b: 1.5 },
      { A: Math.min(1.9, top + 0.2), F1: f1, a: 1, b: 3 },
      { A: top, F1: f1, a: 0.3, b: 0.5 },
    ];
  },
});
