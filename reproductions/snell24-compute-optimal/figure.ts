import type { Figure } from "../../lib/plot/figure.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import { panelFigure } from "../../lib/plot/panel-figure.ts";
import { PALETTE } from "../../lib/plot/palette.ts";
import type { SnellResults } from "./run.ts";

/** Panels side by side in one figure, each a column of the width with its title; legends from the first and last only. */
function panels(items: { title: string; figure: Figure }[], title: string): Figure {
  const w = 1 / items.length;
  return panelFigure(
    items.map(({ title: t, figure }, i) => ({
      figure,
      x: [i * w + 0.02, (i + 1) * w - 0.02],
      title: t,
      showLegend: i === 0 || i === items.length - 1,
      hideYTitle: i > 0,
    })),
    { title: { text: title }, annotations: [], legend: { orientation: "h", y: -0.25 } },
  );
}

const COLORS: Record<string, string> = { "best-of-n": PALETTE[0] as string, beam: PALETTE[1] as string, lookahead: PALETTE[2] as string, optimal: PALETTE[3] as string };

/**
 * Snell et al.'s figures on the tiny world: accuracy against generation
 * budget per oracle difficulty bin for best-of-N weighted, beam search and
 * lookahead; the compute-optimal curve (held-out, with its bootstrap band)
 * against best-of-N over all problems; and the small policy + search minus
 * the larger policy's accuracy per bin at each R (FLOPs-matched).
 */
export function figure(r: SnellResults): Figure {
  const a = r.oracle;
  const bins = a.strategies[0]?.perBin.length ?? 0;
  const binPanels = Array.from({ length: bins }, (_, b) => ({
    title: `bin ${b + 1}${b === 0 ? " (easiest)" : b === bins - 1 ? " (hardest)" : ""}`,
    figure: lineFigure({
      xTitle: "generation budget N",
      yTitle: "accuracy",
      logX: true,
      yRange: [0, 1],
      series: a.strategies.map((s): LineSeries => ({ name: s.name, x: s.budgets, y: s.perBin[b] as number[], mode: "lines+markers", color: COLORS[s.strategy] as string })),
    }),
  }));
  const bon = a.strategies.find((s) => s.strategy === "best-of-n");
  const overall = lineFigure({
    xTitle: "generation budget N",
    yTitle: "accuracy",
    logX: true,
    yRange: [0, 1],
    series: [
      ...(bon ? [{ name: "best-of-N weighted (all)", x: bon.budgets, y: bon.accuracy, mode: "lines+markers" as const, color: COLORS["best-of-n"] as string, dash: "dot" as const }] : []),
      ...[r.oracle, r.predicted].map((o, i): LineSeries => ({
        name: `compute-optimal (${o.signal} bins, held out)`,
        x: o.optimal.map((p) => p.budget),
        y: o.optimal.map((p) => p.accuracy),
        band: { lo: o.optimal.map((p) => p.lo), hi: o.optimal.map((p) => p.hi) },
        mode: "lines+markers",
        color: i === 0 ? (COLORS.optimal as string) : (PALETTE[4] as string),
      })),
    ],
  });
  const fm = r.flopsMatch;
  const flops = lineFigure({
    xTitle: "R = inference / pretraining tokens",
    yTitle: "accuracy: small + search − larger model",
    logX: true,
    series: fm.largePerBin.map((_, b): LineSeries => ({
      name: `bin ${b + 1} (${fm.small.name} + best-of-N weighted − ${fm.large.name})`,
      x: fm.points.map((p) => p.ratio),
      y: fm.points.map((p) => (p.smallWeighted[b] === null ? NaN : (p.smallWeighted[b] as number) - (p.large[b] as number))),
      mode: "lines+markers",
    })),
  });
  return panels([...binPanels, { title: "all problems", figure: overall }, { title: "FLOPs-matched", figure: flops }], `Snell et al. 2024 on the tiny world: ${r.policy.name} + ${r.prm.name}, ${r.problems.length} held-out problems`);
}
