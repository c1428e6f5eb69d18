import { TtcError } from "../../lib/core/errors.ts";
import type { Claim, ClaimOutcome } from "../../lib/repro/types.ts";
import { spearman } from "./correlation.ts";
import { flopsAtAccuracy } from "./flops-at-accuracy.ts";
import type { ErPrmResults, SearchPoint } from "./run.ts";

const PAPER = "Cheshmi et al. 2025, Accelerating LLM Reasoning via Early Rejection with Partial Reward Modeling (arXiv 2508.01969; EMNLP Findings 2025)";
const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");

/** The analysis of the reading early rejection used in the search. */
const analysis = (r: ErPrmResults) => r.analyses[r.partialReading];
/** The other reading's analysis, reported beside the verdict. */
const other = (r: ErPrmResults) => r.analyses[r.partialReading === "step-end" ? "last-token" : "step-end"];

/** An analysis value at τ. */
function atTau(a: ErPrmResults["analyses"]["step-end"], values: readonly number[], tau: number): number {
  const i = a.taus.indexOf(tau);
  if (i < 0) throw new TtcError(`er-prm25 claims need τ = ${tau} in the analysis, got τ = ${a.taus.join(", ")}`);
  return values[i] as number;
}

/**
 * Equal-accuracy FLOPs ratios of every early-rejection point against the
 * plain beam-search curve; passes when one is ≥ `want` and is not merely an
 * upper bound (plain's cheapest point already as accurate). A point more
 * accurate than every plain point is compared with the cost of plain's best
 * accuracy.
 */
function flopsRatioCheck(r: ErPrmResults, flops: (p: SearchPoint) => number, want: number): ClaimOutcome {
  const plain = r.points.filter((p) => p.tau === null);
  const er = r.points.filter((p) => p.tau !== null);
  if (plain.length === 0 || er.length === 0) throw new TtcError("er-prm25 claims need plain and early-rejection search points");
  let best = 0;
  const parts = er.map((p) => {
    const at = flopsAtAccuracy(plain.map(flops), plain.map((q) => q.accuracy), p.accuracy);
    const ratio = at.flops / flops(p);
    if (at.reading !== "at-most") best = Math.max(best, ratio);
    const how = at.reading === "interpolated" ? "" : at.reading === "at-most" ? "≤ " : "vs plain's best, ";
    return `τ=${p.tau} N=${p.n}: acc ${f(p.accuracy)}, ${how}${f(ratio, 2)}×`;
  });
  return { pass: best >= want, measured: `best ${f(best, 2)}× (want ≥ ${want}×); ${parts.join("; ")}` };
}

export const claims: Claim<ErPrmResults>[] = [
  {
    id: "partial-final-correlate",
    statement: "Partial-step rewards correlate strongly with full-step rewards: half-way through a step (τ = 6 of 12 tokens) the pooled Pearson r between the PRM's partial and final scores is at least 0.7.",
    source: `${PAPER}, abstract ("a strong correlation between partial and final rewards across multiple reward models")`,
    presets: ["full", "full-last-token"],
    knownToFail: {
      presets: ["full", "full-last-token"],
      reason: "measured 2026-11-22 (seed 1; 2,880 candidate steps of 180 rounds of beam search, N = 16): pooled Pearson r at τ = 6 is 0.688 (Spearman 0.711) with partial steps read at an appended step end, 0.413 read at their last token",
    },
    check: (r) => {
      const text = (a: ErPrmResults["analyses"]["step-end"]) =>
        `Pearson ${f(atTau(a, a.pearson, 6))}, Spearman ${f(atTau(a, a.spearman, 6))}, within-round Spearman ${f(atTau(a, a.withinRoundSpearman, 6))}`;
      const a = analysis(r);
      const p = atTau(a, a.pearson, 6);
      return { pass: p >= 0.7, measured: `τ=6 (${r.partialReading} reading): ${text(a)} over ${a.candidates} candidate steps | other reading: ${text(other(r))}` };
    },
  },
  {
    id: "correlation-grows-with-tau",
    statement: "The correlation grows with τ: the pooled Pearson r rises with τ (rank correlation of r against τ = 1…10 at least 0.8) and r at τ = 10 exceeds r at τ = 1 by at least 0.05.",
    source: `${PAPER}, the partial-reward hypothesis (scores of longer partial steps are closer to the final ones); REPRODUCTIONS.md row`,
    presets: ["full", "full-last-token"],
    knownToFail: {
      presets: ["full-last-token"],
      reason: "read at the last token (off the positions the PRM was trained on) r zigzags with τ (0.67 at τ = 4, 0.23 at τ = 5, 0.19 at τ = 7; rank trend 0.58, measured 2026-11-22); read at an appended step end it holds (trend 0.96)",
    },
    check: (r) => {
      const verdict = (a: ErPrmResults["analyses"]["step-end"]) => {
        const ok = a.pearson.every(Number.isFinite);
        const trend = ok ? spearman(a.taus, a.pearson) : NaN;
        const rise = (a.pearson[a.pearson.length - 1] as number) - (a.pearson[0] as number);
        const text = `Pearson by τ: ${a.taus.map((t, i) => `${t}:${f(a.pearson[i] as number, 2)}`).join(" ")}; trend ρ ${f(trend, 2)}, rise ${f(rise)}`;
        return { pass: ok && trend >= 0.8 && rise >= 0.05, text };
      };
      const main = verdict(analysis(r));
      return { pass: main.pass, measured: `${r.partialReading} reading: ${main.text} | other reading: ${verdict(other(r)).text}` };
    },
  },
  {
    id: "discard-falls-exponentially",
    statement: "The probability that keeping the best 1/M after τ tokens discards the round's best candidate falls roughly exponentially in τ: ln P against τ (over the τ with P > 0, at least 3) fits a line with negative slope and r² ≥ 0.8, and P at the largest τ is below P at τ = 1.",
    source: `${PAPER}, abstract ("the risk of discarding optimal beams decreases exponentially with generation length", proved there)`,
    presets: ["full", "full-last-token"],
    knownToFail: {
      presets: ["full", "full-last-token"],
      reason: "P(discard best) falls from 0.42–0.48 at τ ≤ 3 to 0.28 at τ = 10, but in a step at τ = 4 (the first four tokens copy the op and operand) rather than along a line in log P: r² 0.77 read at the step end, 0.49 at the last token (180 rounds, measured 2026-11-22)",
    },
    check: (r) => {
      const verdict = (a: ErPrmResults["analyses"]["step-end"]) => {
        const fit = a.logDiscardFit;
        const first = a.discardProbability[0] as number;
        const last = a.discardProbability[a.discardProbability.length - 1] as number;
        const ps = a.taus.map((t, i) => `${t}:${f(a.discardProbability[i] as number, 3)}`).join(" ");
        const fitText = fit === null ? "no fit (fewer than 3 τ with P > 0)" : `ln P ≈ ${f(fit.intercept, 2)} ${fit.slope < 0 ? "−" : "+"} ${f(Math.abs(fit.slope), 3)}·τ, r² ${f(fit.r2, 2)} over ${fit.points} τ`;
        return { pass: fit !== null && fit.slope < 0 && fit.r2 >= 0.8 && last < first, text: `${ps}; ${fitText}` };
      };
      const a = analysis(r);
      const main = verdict(a);
      return {
        pass: main.pass,
        measured: `P(discard best) by τ over ${a.rounds} rounds (N=${a.n}, keep ${f(a.keepFraction, 3)}), ${r.partialReading} reading: ${main.text} | other reading: ${verdict(other(r)).text}`,
      };
    },
  },
  {
    id: "rejection-saves-policy-flops",
    statement: "At the same N, early rejection spends at least 1.1× fewer policy FLOPs than plain beam search at every τ: rejected candidates stop after τ tokens instead of finishing their step.",
    source: `${PAPER}, §method (reject before the step is complete; only the survivors are finished) and abstract (reduction in inference FLOPs)`,
    presets: ["smoke", "full", "full-last-token"],
    check: (r) => {
      const plain = new Map(r.points.filter((p) => p.tau === null).map((p) => [p.n, p.policyFlops]));
      let worst = Infinity;
      const parts = r.points
        .filter((p) => p.tau !== null)
        .map((p) => {
          const ratio = (plain.get(p.n) as number) / p.policyFlops;
          worst = Math.min(worst, ratio);
          return `τ=${p.tau} N=${p.n}: ${f(ratio, 2)}×`;
        });
      return { pass: worst >= 1.1, measured: `plain / early-rejection policy FLOPs: ${parts.join("; ")}` };
    },
  },
  {
    id: "fewer-policy-flops-at-equal-accuracy",
    statement: "Early rejection reaches plain beam search's accuracy with at least 1.4× fewer policy FLOPs at some N and τ (plain's accuracy-vs-FLOPs curve interpolated in log FLOPs; above plain's best accuracy, the cost of that best; an upper bound does not count).",
    source: `${PAPER}, abstract ("up to 1.4×–9× reduction in inference FLOPs without degrading final performance")`,
    presets: ["full", "full-last-token"],
    check: (r) => flopsRatioCheck(r, (p) => p.policyFlops, 1.4),
  },
  {
    id: "fewer-total-flops-at-equal-accuracy",
    statement: "The same holds counting the PRM's FLOPs too (our ledger prices every PRM call as a full prefill of each scored sequence, so early rejection's extra partial-scoring call is charged).",
    source: `${PAPER}, abstract ("1.4×–9× reduction in inference FLOPs"); which FLOPs the paper counts is not stated there`,
    presets: ["full", "full-last-token"],
    knownToFail: {
      presets: ["full", "full-last-token"],
      reason: "best 0.94× (measured 2026-11-22): the PRM re-reads every scored sequence (5.6× the policy's FLOPs in plain beam search) and early rejection adds a partial-scoring call per round (+15% PRM FLOPs), more than the policy FLOPs it saves (1.35–1.99× at equal N)",
    },
    check: (r) => flopsRatioCheck(r, (p) => p.policyFlops + p.prmFlops, 1.4),
  },
  {
    id: "no-accuracy-loss",
    statement: "Early rejection does not degrade accuracy: at every N and τ it is at most 0.05 below plain beam search at the same N (same problems and random streams).",
    source: `${PAPER}, abstract ("without degrading final performance")`,
    presets: ["full", "full-last-token"],
    check: (r) => {
      const plain = new Map(r.points.filter((p) => p.tau === null).map((p) => [p.n, p.accuracy]));
      let worst = Infinity;
      const parts = r.points
        .filter((p) => p.tau !== null)
        .map((p) => {
          const d = p.accuracy - (plain.get(p.n) as number);
          worst = Math.min(worst, d);
          return `τ=${p.tau} N=${p.n}: ${d >= 0 ? "+" : ""}${f(d)}`;
        });
      return { pass: worst >= -0.05, measured: `accuracy minus plain's: ${parts.join("; ")}` };
    },
  },
];
