import { TtcError } from "../../lib/core/errors.ts";
import type { Claim } from "../../lib/repro/types.ts";
import type { LambdaView, SolveOrVerifyResults } from "./run.ts";

const SOURCE = "Singhi et al. 2025, When To Solve, When To Verify (arXiv 2504.01005), abstract";
const f = (x: number, d = 3) => x.toFixed(d);
/** Largest budget (in solutions) that counts as "low" for the first claim. */
const LOW_BUDGET = 16;

/** Check a claim for every λ of the run; it holds only if it holds for each. */
function everyLambda(r: SolveOrVerifyResults, check: (v: LambdaView) => { pass: boolean; measured: string }) {
  const outcomes = r.lambdas.map((v) => ({ lambda: v.lambda, ...check(v) }));
  return { pass: outcomes.every((o) => o.pass), measured: outcomes.map((o) => `λ=${o.lambda}: ${o.measured}`).join(" | ") };
}

export const claims: Claim<SolveOrVerifyResults>[] = [
  {
    id: "sc-wins-at-low-budgets",
    statement: `At every budget from 2·(1 + λ) to ${LOW_BUDGET} solutions, self-consistency is at least as successful as the best GenRM configuration of the same cost.`,
    source: SOURCE + " (SC is more compute-efficient than GenRM for most practical budgets; Fig. 1)",
    presets: ["smoke", "full"],
    check: (r) => everyLambda(r, (v) => {
      let pass = true;
      let compared = 0;
      let worst = Infinity;
      let worstAt = 0;
      v.budgets.forEach((c, i) => {
        const sc = v.sc[i];
        const g = v.genrm[i];
        if (c < 2 * (1 + v.lambda) - 1e-9 || c > LOW_BUDGET + 1e-9 || sc === null || sc === undefined || g === null || g === undefined) return;
        compared++;
        pass &&= sc >= g;
        if (sc - g < worst) {
          worst = sc - g;
          worstAt = c;
        }
      });
      if (compared === 0) throw new TtcError(`sc-wins-at-low-budgets found no budget in [${2 * (1 + v.lambda)}, ${LOW_BUDGET}]`);
      return { pass, measured: `${compared} budgets, smallest SC − GenRM lead ${worst >= 0 ? "+" : ""}${f(worst)} at C = ${f(worstAt, 1)}` };
    }),
  },
  {
    id: "genrm-needs-several-times-the-compute",
    statement: "GenRM reaches self-consistency's best success only at a budget at least 2× the budget at which SC first reaches it (and does reach it within the budgets simulated).",
    source: SOURCE + " (GenRM first matches SC after consuming up to 8× the inference compute)",
    presets: ["smoke", "full"],
    check: (r) => everyLambda(r, (v) => {
      const m = v.match;
      if (m.genrmBudget === null || m.ratio === null) {
        const top = Math.max(...v.genrm.filter((g): g is number => g !== null));
        return { pass: false, measured: `SC best ${f(m.target)} at C = ${f(m.scBudget, 1)}; GenRM never reaches it (best ${f(top)} at C ≤ ${f(v.budgets[v.budgets.length - 1] as number, 0)})` };
      }
      return { pass: m.ratio >= 2, measured: `SC best ${f(m.target)} at C = ${f(m.scBudget, 1)}; GenRM reaches it at C = ${f(m.genrmBudget, 1)} (${f(m.ratio, 1)}×)` };
    }),
  },
  {
    id: "optimal-solutions-grow-faster-than-verifications",
    statement: "Fitting S_opt ∝ C^a and V_opt ∝ C^b over budgets, a > b, by more than twice the combined standard error.",
    source: "Singhi et al. 2025, §5 inference scaling laws for GenRM (reported S_opt ∝ C^0.57, V_opt ∝ C^0.39; data/papers/singhi25-solve-or-verify.json)",
    presets: ["smoke", "full"],
    check: (r) => everyLambda(r, (v) => {
      if (v.fitS === null || v.fitV === null) throw new TtcError(`optimal-solutions-grow-faster-than-verifications needs ≥ 3 fitted budgets, got ${v.fitBudgets.length}`);
      const d = v.fitS.exponent - v.fitV.exponent;
      const se = Math.hypot(v.fitS.stderr, v.fitV.stderr);
      return {
        pass: d > 2 * se,
        measured: `a = ${f(v.fitS.exponent)} ± ${f(v.fitS.stderr)}, b = ${f(v.fitV.exponent)} ± ${f(v.fitV.stderr)} (a − b = ${f(d)}, ${f(d / se, 1)} SE; ${v.fitS.points} budgets ${f(v.fitBudgets[0] as number, 1)}–${f(v.fitBudgets[v.fitBudgets.length - 1] as number, 0)})`,
      };
    }),
  },
];
