import type { Figure } from "../../lib/plot/figure.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import { paletteColor } from "../../lib/plot/palette.ts";
import { panelFigure } from "../../lib/plot/panel-figure.ts";
import type { Liu25Results } from "./run.ts";
import type { PolicySummary } from "./summarize.ts";

const DASH: Record<string, LineSeries["dash"]> = { "bon-weighted": "solid", "bon-naive": "dot", majority: "dot", beam: "dash", dvts: "dash" };
/** Best-of-N lines take their reward model's colour (1–3); majority is black, beam search orange, DVTS sky blue; greedy levels blue. */
const SEARCH_COLOR: Record<string, number> = { majority: 6, beam: 4, dvts: 5 };

/** Every method × reward model of the smallest policy, its compute-optimal curve, and every policy's greedy accuracy. */
function smallestPanel(r: Liu25Results, p: PolicySummary): Figure {
  const rms = r.rewardModels.map((m) => m.name);
  const series: LineSeries[] = p.methods.map((m) => ({
    name: `${m.method}${m.rewardModel === null ? "" : ` · ${m.rewardModel}`}`,
    x: m.points.map((x) => x.budget),
    y: m.points.map((x) => x.accuracy),
    color: paletteColor(SEARCH_COLOR[m.method] ?? 1 + (rms.indexOf(m.rewardModel ?? "") % 3)),
    dash: DASH[m.method] ?? "solid",
    mode: m.method === "beam" || m.method === "dvts" ? "lines+markers" : "lines",
  }));
  series.push({
    name: `${p.name} compute-optimal (2-fold, per level)`,
    x: p.computeOptimal.map((x) => x.budget),
    y: p.computeOptimal.map((x) => x.accuracy),
    band: { lo: p.computeOptimal.map((x) => x.lo), hi: p.computeOptimal.map((x) => x.hi) },
    color: "#000000",
    mode: "lines+markers",
  });
  const xs = [Math.min(...r.bonBudgets), Math.max(...r.bonBudgets)];
  r.policies.forEach((q) => series.push({ name: `${q.name} greedy (1 sample)`, x: xs, y: xs.map(() => q.greedy.accuracy), color: paletteColor(0), dash: "dot" }));
  return lineFigure({ series, xTitle: "budget N (samples / beams)", yTitle: `accuracy, levels ${r.levels.join("–")}`, logX: true });
}

/** Each policy's compute-optimal curve against its own and the others' greedy accuracy. */
function policiesPanel(r: Liu25Results): Figure {
  const xs = [Math.min(...r.searchBudgets), Math.max(...r.searchBudgets)];
  const series: LineSeries[] = r.policies.flatMap((p, i) => [
    { name: `${p.name} (${p.params.toLocaleString("en-US")} params) compute-optimal`, x: p.computeOptimal.map((x) => x.budget), y: p.computeOptimal.map((x) => x.accuracy), color: paletteColor(i), mode: "lines+markers" as const },
    { name: `${p.name} greedy`, x: xs, y: xs.map(() => p.greedy.accuracy), color: paletteColor(i), dash: "dot" as const },
  ]);
  return lineFigure({ series, xTitle: "budget N", yTitle: "accuracy", logX: true });
}

/**
 * Two panels. Left: the smallest policy's accuracy against budget for every
 * method × reward model (best-of-N naive and weighted, majority, beam search,
 * DVTS), its compute-optimal curve with the bootstrap band, and every
 * policy's single greedy sample as a dotted level. Right: every policy's
 * compute-optimal curve against its greedy accuracy.
 */
export function figure(results: Liu25Results): Figure {
  const smallest = results.policies.reduce((a, p) => (p.params < a.params ? p : a));
  const panels = [smallestPanel(results, smallest), policiesPanel(results)];
  const columns: [number, number][] = [[0, 0.55], [0.65, 1]];
  return panelFigure(
    panels.map((figure, i) => ({ figure, x: columns[i]!, legendGroup: (t) => `panel-${i}-${String(t["legendgroup"] ?? t["name"])}` })),
    {
      ...(panels[0] as Figure).layout,
      title: { text: `Liu et al. 2025 on tiny models, ${results.levels.length * results.problemsPerLevel} problems<br><sup>left: ${smallest.name} with search; right: each policy's compute-optimal curve</sup>`, x: 0.01, xanchor: "left", font: { size: 15 } },
      // Many methods × reward models: the legend goes under both panels, in rows, so none is cut off.
      width: 1200,
      height: 980,
      margin: { l: 70, r: 20, t: 72, b: 280 },
      legend: { orientation: "h", x: 0, xanchor: "left", y: -0.14, yanchor: "top", font: { size: 11 } },
    },
  );
}
