import { defineLaw } from "../law.ts";

/**
 * Sigmoidal compute–performance curve, R(C) = R0 + (A − R0) / (1 + (Cmid/C)^B):
 * performance rises from R0 to the asymptote A, reaching the midpoint at compute Cmid.
 *
 * Parameters: `A` (asymptotic performance), `B` (> 0, the scaling efficiency exponent),
 * `Cmid` (> 0, compute at the midpoint, units of C), `R0` (performance at low compute).
 * Starting values: R0 and A from the lowest- and highest-compute points, Cmid where y crosses
 * their midpoint, B ∈ {0.5, 1, 2}.
 *
 * @example
 * fit(sigmoidCompute, { x: gpuHours, y: passRate }).params.A // the predicted ceiling
 * @see Khatri et al. 2025, "The Art of Scaling Reinforcement Learning Compute for LLMs" (ScaleRL), the sigmoidal compute–performance fit (form to check against the paper);
 *   FORMULAS.md "Scaling-law forms"
 */
export const sigmoidCompute = defineLaw({
  name: "sigmoidCompute",
  paramNames: ["A", "B", "Cmid", "R0"],
  source: "ScaleRL (Khatri et al. 2025): R(C) = R0 + (A − R0)/(1 + (Cmid/C)^B)",
  bounds: { B: { lower: 0 }, Cmid: { lower: 0 } },
  requiresPositiveX: true,
  predict: (p, c) => p.R0 + (p.A - p.R0) / (1 + Math.exp(p.B * Math.log(p.Cmid / c))),
  jacobian: (p, c) => {
    const logRatio = Math.log(p.Cmid / c);
    const z = p.B * logRatio;
    const g = 1 / (1 + Math.exp(z)); // fraction of the way from R0 to A
    const gs = g / (1 + Math.exp(-z)); // g²·(Cmid/C)^B = g·(1 − g), overflow-free
    const span = p.A - p.R0;
    return { A: g, B: -span * gs * logRatio, Cmid: (-span * gs * p.B) / p.Cmid, R0: 1 - g };
  },
  initialGuesses: ({ x, y }) => {
    const order = Array.from(x.keys()).sort((i, j) => (x[i] as number) - (x[j] as number));
    const first = order[0] as number;
    const last = order[order.length - 1] as number;
    const R0 = y[first] as number;
    const A = y[last] as number;
    const mid = (A + R0) / 2;
    let best = first;
    for (const i of order) if (Math.abs((y[i] as number) - mid) < Math.abs((y[best] as number) - mid)) best = i;
    const Cmid = x[best] as number;
    const pad = 0.05 * (A - R0);
    return [0.5, 1, 2].map((B) => ({ A: A + pad, B, Cmid, R0: R0 - pad }));
  },
});
