import { TtcError } from "../../lib/core/errors.ts";
import type { Claim } from "../../lib/repro/types.ts";
import type { SaturationFit } from "./fit-saturation.ts";
import type { ParadigmCurve, TtspmResults } from "./run.ts";

const SOURCE = "Wang et al. 2025, Scaling over Scaling: Exploring Test-Time Scaling Plateau in Large Reasoning Models (arXiv 2505.20522), abstract and §3";
const f = (x: number, d = 3) => x.toFixed(d);
const both = (r: TtspmResults) => [r.parallel, r.sequential];
const fitText = (fit: SaturationFit | { error: string }) =>
  "error" in fit ? `fit failed: ${fit.error}` : `A = ${f(fit.params.A)}, F₁ = ${f(fit.params.F1)}, a = ${f(fit.params.a)}, b = ${f(fit.params.b)}, R² = ${fit.r2.toFixed(4)}, max |err| = ${f(fit.maxAbsError)}`;

export const claims: Claim<TtspmResults>[] = [
  {
    id: "closed-form-matches-simulation",
    statement: "For both paradigms the closed form (averaged over the problems' own rates) is within 0.02 of the simulated accuracy at every budget.",
    source: SOURCE + " (§3 derivations; the paper validates them on AIME, MATH-500, GPQA)",
    presets: ["smoke", "full"],
    check: (r) => {
      const parts = both(r).map((c) => {
        let worst = 0;
        let at = 1;
        c.simulated.forEach((y, i) => {
          const d = Math.abs(y - (c.closedForm[i] as number));
          if (d > worst) [worst, at] = [d, i + 1];
        });
        return { pass: worst <= 0.02, text: `${c.name}: max |sim − closed form| ${f(worst, 4)} at N = ${at}` };
      });
      return { pass: parts.every((p) => p.pass), measured: parts.map((p) => p.text).join("; ") };
    },
  },
  {
    id: "returns-saturate-past-computable-budget",
    statement: "For both paradigms the closed form gives a saturation budget N* ≤ half the largest budget; past it every simulated slope (on [N*, 2N*], [2N*, 4N*], …) is below ε, and before it (on [N*/2, N*]) the simulated slope is at least ε.",
    source: SOURCE + " (the saturation point beyond which additional computation yields diminishing returns)",
    presets: ["smoke", "full"],
    check: (r) => {
      const parts = both(r).map((c: ParadigmCurve) => {
        if (c.predicted === null) return { pass: false, text: `${c.name}: no N* within N ≤ ${r.maxBudget}` };
        const ok = c.predicted <= r.maxBudget / 2 && c.after.length > 0 && c.after.every((s) => s.slope < r.epsilon) && c.before !== null && c.before.slope >= r.epsilon;
        const after = c.after.map((s) => `[${s.from}, ${s.to}] ${f(s.slope, 5)}`).join(", ");
        const before = c.before ? `[${c.before.from}, ${c.before.to}] ${f(c.before.slope, 5)}` : "none";
        return { pass: ok, text: `${c.name}: N* = ${c.predicted} (homogeneous formula with the mean rate: ${c.homogeneous}); slopes before ${before}, after ${after}` };
      });
      return { pass: parts.every((p) => p.pass), measured: `ε = ${r.epsilon}. ` + parts.map((p) => p.text).join("; ") };
    },
  },
  {
    id: "same-bound-structure",
    statement: "Both paradigms' simulated curves fit one saturating family, F(N) = A − (A − F₁)·B(a, b + N − 1)/B(a, b), each with its own parameters, with R² ≥ 0.995 and every fitted point within 0.01.",
    source: SOURCE + " (both paradigms converge to a unified mathematical structure in their upper bounds)",
    presets: ["smoke", "full"],
    check: (r) => {
      const parts = both(r).map((c) => {
        if ("error" in c.fit) throw new TtcError(`same-bound-structure: the ${c.name} fit failed: ${c.fit.error}`);
        return { pass: c.fit.r2 >= 0.995 && c.fit.maxAbsError <= 0.01, text: `${c.name}: ${fitText(c.fit)}` };
      });
      return { pass: parts.every((p) => p.pass), measured: parts.map((p) => p.text).join("; ") + ` | not judged — majority vote: ${fitText(r.majorityFit)}` };
    },
  },
];
