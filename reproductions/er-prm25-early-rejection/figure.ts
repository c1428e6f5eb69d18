import type { Figure } from "../../lib/plot/figure.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import { paletteColor } from "../../lib/plot/palette.ts";
import { panelFigure } from "../../lib/plot/panel-figure.ts";
import type { ErPrmResults, SearchPoint } from "./run.ts";

const nanIfNot = (v: number | null | undefined) => (typeof v === "number" && Number.isFinite(v) ? v : NaN);

const READINGS = ["step-end", "last-token"] as const;
const READING_LABEL = { "step-end": "at step end", "last-token": "at last token" } as const;

function correlationPanel(r: ErPrmResults): Figure {
  const series = READINGS.flatMap((reading, k): LineSeries[] => {
    const a = r.analyses[reading];
    const dash = k === 0 ? "solid" : "dot";
    return [
      { name: `Pearson r pooled, ${READING_LABEL[reading]}`, x: a.taus, y: a.pearson.map(nanIfNot), mode: "lines+markers", dash, color: paletteColor(0) },
      { name: `Spearman ρ in a round, ${READING_LABEL[reading]}`, x: a.taus, y: a.withinRoundSpearman.map(nanIfNot), mode: "lines+markers", dash, color: paletteColor(1) },
    ];
  });
  return lineFigure({ series, xTitle: "τ (tokens into the step)", yTitle: "partial vs final reward" });
}

function discardPanel(r: ErPrmResults): Figure {
  const series = READINGS.flatMap((reading, k): LineSeries[] => {
    const a = r.analyses[reading];
    const color = paletteColor(k === 0 ? 2 : 3);
    const out: LineSeries[] = [{ name: `P(best discarded), keep 1/${r.beamWidth}, ${READING_LABEL[reading]}`, x: a.taus, y: a.discardProbability.map((p) => (p > 0 ? p : NaN)), mode: "lines+markers", color }];
    const fit = a.logDiscardFit;
    if (fit !== null) {
      out.push({ name: `fit: e^(${fit.intercept.toFixed(2)} ${fit.slope < 0 ? "−" : "+"} ${Math.abs(fit.slope).toFixed(3)}·τ), r² ${fit.r2.toFixed(2)}`, x: a.taus, y: a.taus.map((t) => Math.exp(fit.intercept + fit.slope * t)), dash: "dash", color });
    }
    return out;
  });
  return lineFigure({ series, xTitle: "τ (tokens into the step)", yTitle: "P(best discarded)", logY: true });
}

function accuracyPanel(r: ErPrmResults, flops: (p: SearchPoint) => number, xTitle: string): Figure {
  const groups = [null, ...new Set(r.points.filter((p) => p.tau !== null).map((p) => p.tau))];
  const pointsOf = groups.map((tau) => r.points.filter((p) => p.tau === tau));
  const series = pointsOf.map((pts, j): LineSeries => {
    const tau = groups[j];
    // Colours apart from the top panels': black for plain beam search, then orange, sky blue, … for the τ values.
    const color = tau === null ? paletteColor(6) : paletteColor(3 + j);
    return { name: tau === null ? "beam search" : `early rejection τ = ${tau}`, x: pts.map(flops), y: pts.map((p) => p.accuracy), mode: "lines+markers", dash: tau === null ? "solid" : "dash", color };
  });
  const fig = lineFigure({ series, xTitle, yTitle: "accuracy (exact trace)", logX: true });
  fig.data.forEach((t, j) => (t["text"] = (pointsOf[j] as SearchPoint[]).map((p) => `N = ${p.n}`)));
  return fig;
}

/**
 * Four panels: partial-vs-final reward correlation against τ; the probability
 * that rejecting after τ tokens discards the round's best candidate (log y,
 * with the fitted exponential) — both for a partial step read at an appended
 * step end (solid) and at its last token (dotted); accuracy against the policy's FLOPs and
 * against policy + PRM FLOPs, beam search with and without early rejection
 * (one point per N, labelled in the hover text).
 *
 * @param results - what {@link run} returned
 * @returns a plotly figure (2 × 2 panels)
 * @example
 * await show(figure(await run(presets.smoke)));
 */
export function figure(results: ErPrmResults): Figure {
  const panels = [
    correlationPanel(results),
    discardPanel(results),
    accuracyPanel(results, (p) => p.policyFlops, "policy FLOPs"),
    accuracyPanel(results, (p) => p.policyFlops + p.prmFlops, "policy + PRM FLOPs"),
  ];
  const places: [[number, number], [number, number]][] = [
    [[0, 0.44], [0.6, 1]],
    [[0.56, 1], [0.6, 1]],
    [[0, 0.44], [0, 0.4]],
    [[0.56, 1], [0, 0.4]],
  ];
  return panelFigure(
    panels.map((figure, i) => ({
      figure,
      x: places[i]![0],
      y: places[i]![1],
      // The two accuracy panels share legend entries (clicking one hides the method in both); the others keep their own.
      legendGroup: (t) => `${i >= 2 ? "accuracy" : `panel-${i}`}-${String(t["legendgroup"])}`,
      ...(i === 3 ? { showLegend: false } : {}),
    })),
    {
      ...(panels[0] as Figure).layout,
      title: { text: `ER-PRM, tiny world: ${results.levels.length * results.problemsPerLevel} problems (levels ${results.levels.join(", ")}), beam width ${results.beamWidth}, early rejection reads partial steps at ${results.partialReading}` },
      width: 1200,
      height: 900,
      margin: { l: 70, r: 20, t: 64, b: 180 },
      legend: { orientation: "h", x: 0, xanchor: "left", y: -0.12, yanchor: "top", font: { size: 12 } },
    },
  );
}
