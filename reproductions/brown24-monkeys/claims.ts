import type { Claim } from "../../lib/repro/types.ts";
import type { ModelCurves, MonkeysResults } from "./run.ts";

const SOURCE = "Brown et al. 2024, Large Language Monkeys, abstract and Fig. 2, 7";
const at = (m: ModelCurves, series: number[], k: number) => {
  const i = m.ks.indexOf(k);
  if (i < 0) throw new Error(`brown24 claims need k = ${k} in the budgets, got ${m.ks.join(", ")}`);
  return series[i] as number;
};
const f = (x: number) => x.toFixed(3);

export const claims: Claim<MonkeysResults>[] = [
  {
    id: "coverage-rises-over-four-decades",
    statement: "Coverage keeps rising over four orders of magnitude of samples: it grows across every decade from k = 1 to k = 10⁴, by at least 0.01 in the last decade, for every model.",
    source: SOURCE,
    presets: ["full"],
    check(r) {
      let pass = true;
      const parts = r.models.map((m) => {
        const c = [1, 10, 100, 1000, 10_000].map((k) => at(m, m.coverage, k));
        const rising = c.every((v, i) => i === 0 || v > (c[i - 1] as number));
        const last = (c[4] as number) - (c[3] as number);
        pass &&= rising && last >= 0.01;
        return `${m.name}: ${c.map(f).join(" → ")}`;
      });
      return { pass, measured: parts.join("; ") };
    },
  },
  {
    id: "exp-power-law-fits",
    statement: "An exponentiated power law exp(a·k^b) fits coverage well: R² ≥ 0.98 and every point within 0.03 of the fit, for every model.",
    source: SOURCE + " (§3, exponentiated power law)",
    presets: ["smoke", "full"],
    knownToFail: {
      presets: ["full"],
      reason: "on full the medium model's worst point is 0.033 from the fit (weak 0.022, strong 0.020; R² ≥ 0.993 for all three; 2026-11-22)",
    },
    check(r) {
      let pass = true;
      const parts = r.models.map((m) => {
        pass &&= m.fit.r2 >= 0.98 && m.fit.maxAbsError <= 0.03;
        return `${m.name}: b = ${f(m.fit.b)} ± ${f(m.fit.bStderr)}, R² = ${m.fit.r2.toFixed(4)}, max |error| = ${f(m.fit.maxAbsError)}`;
      });
      return { pass, measured: parts.join("; ") };
    },
  },
  {
    id: "selection-stays-below-coverage",
    statement: "At the largest budget, both majority voting and reward-model selection solve at least 0.1 fewer problems than coverage, for every model.",
    source: SOURCE + " (Fig. 7: the gap between coverage and what a selection method picks)",
    presets: ["smoke", "full"],
    check(r) {
      let pass = true;
      const parts = r.models.map((m) => {
        const kMax = m.ks[m.ks.length - 1] as number;
        const cov = at(m, m.coverage, kMax);
        const maj = at(m, m.majority, kMax);
        const rm = at(m, m.rewardModel, kMax);
        pass &&= cov - maj >= 0.1 && cov - rm >= 0.1;
        return `${m.name} at k=${kMax}: coverage ${f(cov)}, majority ${f(maj)}, RM ${f(rm)}`;
      });
      return { pass, measured: parts.join("; ") };
    },
  },
  {
    id: "selection-plateaus-below-coverage",
    statement: "Majority voting and reward-model selection plateau past a few hundred samples — each changes by at most 0.02 from k = 200 to the largest k while coverage gains at least 0.05 — and end at least 0.1 below coverage, for every model.",
    source: SOURCE + " (§4: methods for picking a sample plateau beyond several hundred samples)",
    // Full only: with 40 problems (smoke) the standard error of a mean over problems is ≈ 0.05, larger than the 0.02 tolerance.
    presets: ["full"],
    check(r) {
      let pass = true;
      const parts = r.models.map((m) => {
        const kMax = m.ks[m.ks.length - 1] as number;
        const dCov = at(m, m.coverage, kMax) - at(m, m.coverage, 200);
        const dMaj = at(m, m.majority, kMax) - at(m, m.majority, 200);
        const dRm = at(m, m.rewardModel, kMax) - at(m, m.rewardModel, 200);
        const gap = at(m, m.coverage, kMax) - Math.max(at(m, m.majority, kMax), at(m, m.rewardModel, kMax));
        pass &&= Math.abs(dMaj) <= 0.02 && Math.abs(dRm) <= 0.02 && dCov >= 0.05 && gap >= 0.1;
        return `${m.name}: k 200→${kMax}: coverage ${dCov >= 0 ? "+" : ""}${f(dCov)}, majority ${dMaj >= 0 ? "+" : ""}${f(dMaj)}, RM ${dRm >= 0 ? "+" : ""}${f(dRm)}; gap at k=${kMax} ${f(gap)}`;
      });
      return { pass, measured: parts.join("; ") };
    },
  },
];
