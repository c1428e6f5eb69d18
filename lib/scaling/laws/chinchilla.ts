import { defineLaw } from "../law.ts";

/**
 * Chinchilla loss law in parameters N and training tokens D,
 * L(N, D) = E + A/N^α + B/D^β, with A, B, α, β > 0. A two-input law: data x are [N, D] pairs.
 *
 * Parameters: `E` (irreducible loss), `A`, `alpha` (model-size term), `B`, `beta` (data term).
 * Starting values: a small grid (floors 0.5·min L and 0.9·min L, exponents 0.3 and 0.6), with A and B
 * set so that each term is half the excess loss at the geometric-mean N and D. Hoffmann et al. fit
 * log L with a Huber loss (δ = 1e-3): `fit(chinchilla, data, { space: "log", loss: "huber" })`.
 *
 * @example
 * fit(chinchilla, { x: [[4e8, 8e9], [1e9, 2e10], ...], y: losses })
 * @see Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", §3.3, eq. 2 (the law) and eq. 3 (Huber loss on log L, grid of starts)
 */
export const chinchilla = defineLaw({
  name: "chinchilla",
  paramNames: ["E", "A", "alpha", "B", "beta"],
  inputs: 2,
  source: "Hoffmann et al. 2022, eq. 2: L(N, D) = E + A/N^α + B/D^β",
  bounds: { A: { lower: 0 }, alpha: { lower: 0 }, B: { lower: 0 }, beta: { lower: 0 } },
  requiresPositiveX: true,
  predict: (p, n, d) => p.E + p.A * Math.pow(n, -p.alpha) + p.B * Math.pow(d, -p.beta),
  jacobian: (p, n, d) => {
    const na = Math.pow(n, -p.alpha);
    const db = Math.pow(d, -p.beta);
    return { E: 1, A: na, alpha: -p.A * na * Math.log(n), B: db, beta: -p.B * db * Math.log(d) };
  },
  initialGuesses: ({ x, x2, y }) => {
    const lo = Math.min(...y);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const gm = (a: Float64Array) => Math.exp(a.reduce((s, v) => s + Math.log(v), 0) / a.length);
    const nMid = gm(x);
    const dMid = gm(x2 ?? x);
    const out = [];
    for (const E of lo > 0 ? [0.5 * lo, 0.9 * lo] : [lo - 1, lo - 0.1]) {
      const half = Math.max((mean - E) / 2, 1e-12);
      for (const alpha of [0.3, 0.6]) {
        for (const beta of [0.3, 0.6]) out.push({ E, A: half * Math.pow(nMid, alpha), alpha, B: half * Math.pow(dMid, beta), beta });
      }
    }
    return out;
  },
});
