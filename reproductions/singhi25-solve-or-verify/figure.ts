import type { Figure } from "../../lib/plot/figure.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import type { LambdaView, SolveOrVerifyResults } from "./run.ts";

/** Keep the points where `ys` is defined. */
function defined(xs: readonly number[], ys: readonly (number | null)[]): { x: number[]; y: number[] } {
  const keep = xs.map((_, i) => i).filter((i) => ys[i] !== null);
  return { x: keep.map((i) => xs[i] as number), y: keep.map((i) => ys[i] as number) };
}

function successPanel(r: SolveOrVerifyResults, view: LambdaView): Figure {
  const series: LineSeries[] = [
    { name: "self-consistency (majority of S = C)", ...defined(view.budgets, view.sc), mode: "lines+markers" },
    { name: `GenRM, best S and V at budget (λ = ${view.lambda})`, ...defined(view.budgets, view.genrm), mode: "lines+markers" },
    ...r.fixedV.map((f): LineSeries => ({ name: `GenRM, V = ${f.v}`, x: f.s.map((s) => s * (1 + view.lambda * f.v)), y: f.success, dash: "dot" })),
  ];
  return lineFigure({ series, xTitle: "budget S·(1 + λV), in solutions", yTitle: "success rate", logX: true });
}

function allocationPanel(view: LambdaView): Figure {
  const curve = (fit: LambdaView["fitS"]) => view.fitBudgets.map((c) => (fit ? fit.prefactor * Math.pow(c, fit.exponent) : NaN));
  const label = (what: string, fit: LambdaView["fitS"]) => (fit ? `${what} ∝ C^${fit.exponent.toFixed(2)}` : `${what} (no fit)`);
  const series: LineSeries[] = [
    { name: "optimal S", ...defined(view.budgets, view.solutions), mode: "markers" },
    { name: "optimal V", ...defined(view.budgets, view.verifications), mode: "markers" },
    { name: label("fit S_opt", view.fitS), x: view.fitBudgets, y: curve(view.fitS), dash: "dash" },
    { name: label("fit V_opt", view.fitV), x: view.fitBudgets, y: curve(view.fitV), dash: "dash" },
  ];
  return lineFigure({ series, xTitle: "budget C", yTitle: "count", logX: true, logY: true });
}

/**
 * Two panels for the primary λ: success vs budget (SC, compute-optimal GenRM, GenRM at fixed V),
 * and the compute-optimal S and V against budget with their power-law fits.
 */
export function solveOrVerifyFigure(r: SolveOrVerifyResults): Figure {
  const view = r.lambdas[0] as LambdaView;
  const left = successPanel(r, view);
  const right = allocationPanel(view);
  const data = [
    ...left.data.map((t) => ({ ...t, xaxis: "x", yaxis: "y" })),
    ...right.data.map((t) => ({ ...t, xaxis: "x2", yaxis: "y2" })),
  ];
  return {
    data,
    layout: {
      ...left.layout,
      title: { text: `Solve or verify: SC vs GenRM at matched budget (${r.problems} simulated problems, λ = ${view.lambda})` },
      xaxis: { ...(left.layout.xaxis as Record<string, unknown>), domain: [0, 0.46] },
      yaxis: { ...(left.layout.yaxis as Record<string, unknown>), anchor: "x" },
      xaxis2: { ...(right.layout.xaxis as Record<string, unknown>), domain: [0.54, 1], anchor: "y2" },
      yaxis2: { ...(right.layout.yaxis as Record<string, unknown>), anchor: "x2" },
    },
  };
}
