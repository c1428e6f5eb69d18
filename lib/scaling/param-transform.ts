import type { ParamBound } from "./law.ts";

/**
 * Maps between a bounded parameter θ and an unconstrained variable u, so that an
 * unconstrained optimiser respects open bounds:
 * - (lower, ∞): θ = lower + exp(u)
 * - (−∞, upper): θ = upper − exp(u)
 * - (lower, upper): θ = lower + (upper − lower)·logistic(u)
 * - no bounds: θ = u
 */
export interface ParamTransform {
  /** θ from u. */
  toParam(u: number): number;
  /** u from θ; θ must lie strictly inside the bounds (returns NaN otherwise). */
  toFree(theta: number): number;
  /** dθ/du at u. */
  derivative(u: number): number;
  /** True when the parameter has a bound (θ is a nonlinear function of u). */
  bounded: boolean;
}

const IDENTITY: ParamTransform = { toParam: (u) => u, toFree: (t) => t, derivative: () => 1, bounded: false };

/**
 * The smooth transform for one parameter's bounds.
 *
 * @param bound - open bounds, or `undefined` for a free parameter
 * @returns the transform (the identity when unbounded)
 * @example
 * const t = paramTransform({ lower: 0 });
 * t.toParam(t.toFree(3)) // ≈ 3
 */
export function paramTransform(bound: ParamBound | undefined): ParamTransform {
  const lo = bound?.lower;
  const hi = bound?.upper;
  const hasLo = lo !== undefined && Number.isFinite(lo);
  const hasHi = hi !== undefined && Number.isFinite(hi);
  if (hasLo && hasHi) {
    const w = hi - lo;
    return {
      bounded: true,
      toParam: (u) => lo + w / (1 + Math.exp(-u)),
      toFree: (t) => (t > lo && t < hi ? Math.log((t - lo) / (hi - t)) : NaN),
      derivative: (u) => {
        const s = 1 / (1 + Math.exp(-u));
        return w * s * (1 - s);
      },
    };
  }
  if (hasLo) return { toParam: (u) => lo + Math.exp(u), toFree: (t) => (t > lo ? Math.log(t - lo) : NaN), derivative: Math.exp, bounded: true };
  if (hasHi) return { toParam: (u) => hi - Math.exp(u), toFree: (t) => (t < hi ? Math.log(hi - t) : NaN), derivative: (u) => -Math.exp(u), bounded: true };
  return IDENTITY;
}
