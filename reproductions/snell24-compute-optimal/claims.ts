import { TtcError } from "../../lib/core/errors.ts";
import type { Claim } from "../../lib/repro/types.ts";
import type { StrategyCurve } from "./analysis.ts";
import type { OptimalAnalysis, SnellResults } from "./run.ts";

const SOURCE = "Snell et al. 2024, Scaling LLM Test-Time Compute Optimally can be More Effective than Scaling Model Parameters";
const f = (x: number | null, d = 3) => (x === null ? "–" : x.toFixed(d));

function curve(a: OptimalAnalysis, strategy: string): StrategyCurve {
  const c = a.strategies.find((s) => s.strategy === strategy);
  if (!c) throw new TtcError(`snell24 claims need the strategy ${strategy}, got ${a.strategies.map((s) => s.strategy).join(", ")}`);
  return c;
}

export const claims: Claim<SnellResults>[] = [
  {
    id: "search-beats-one-sample-where-there-is-room",
    statement: "On the problems one sample solves sometimes but not always (0 < pass@1 < 1 over the best-of-N pool), best-of-N weighted over the whole pool is more accurate than one sample by at least 0.05 on average.",
    source: `${SOURCE}, §5.2 and Figure 3 (on easy and medium questions accuracy rises with the generation budget)`,
    presets: ["smoke", "full"],
    knownToFail: {
      presets: ["full"],
      reason: "on the 20 such problems of full, best-of-16 weighted reaches 0.400 against pass@1 0.356 (+0.044, short of 0.05; measured 2026-11-22): the PRM's weighted vote often backs a wrong answer",
    },
    check: (r) => {
      const room = r.passAt1.flatMap((p, i) => (p > 0 && p < 1 ? [i] : []));
      if (room.length === 0) return { pass: false, measured: "no problem with 0 < pass@1 < 1" };
      const top = room.reduce((a, i) => a + (r.poolVote[i] as number), 0) / room.length;
      const one = room.reduce((a, i) => a + (r.passAt1[i] as number), 0) / room.length;
      return { pass: top - one >= 0.05, measured: `${room.length} problems: best-of-${r.poolSize} weighted ${f(top)} vs pass@1 ${f(one)} (Δ ${f(top - one)})` };
    },
  },
  {
    id: "best-strategy-depends-on-difficulty",
    statement:
      "Which search wins depends on difficulty: on some harder bin (not the easiest) PRM beam search beats best-of-N weighted at the smallest budget, while on the easiest bin at the largest budget best-of-N weighted is at least as accurate as beam search.",
    source: `${SOURCE}, §5.2 and Figure 3 right (beam search wins on harder questions and low budgets; best-of-N catches up or wins on easy ones at high budgets)`,
    presets: ["full"],
    check: (r) => {
      const bon = curve(r.oracle, "best-of-n");
      const beam = curve(r.oracle, "beam");
      const harder = bon.perBin.map((_, b) => b).filter((b) => b > 0 && (beam.perBin[b]?.[0] as number) > (bon.perBin[b]?.[0] as number));
      const easyBon = (bon.perBin[0] as number[]).at(-1) as number;
      const easyBeam = (beam.perBin[0] as number[]).at(-1) as number;
      const low = bon.perBin.map((row, b) => `bin ${b + 1} beam ${f(beam.perBin[b]?.[0] as number)} / best-of-N ${f(row[0] as number)}`).join(", ");
      return {
        pass: harder.length > 0 && easyBon >= easyBeam,
        measured: `at N=${bon.budgets[0]}: ${low}; bin 1 at N=${bon.budgets.at(-1)}: best-of-N ${f(easyBon)} vs beam ${f(easyBeam)}`,
      };
    },
  },
  {
    id: "compute-optimal-4x-less-budget",
    statement: "The compute-optimal mix (chosen per oracle difficulty bin on one half, scored on the other) reaches best-of-N weighted's accuracy at some budget with at least 4× less generation budget.",
    source: `${SOURCE}, abstract and §5.3, Figure 4 (compute-optimal search nearly matches best-of-N with up to 4× less test-time compute)`,
    presets: ["full"],
    knownToFail: {
      presets: ["full"],
      reason:
        "with oracle bins the held-out compute-optimal curve (0.194, 0.233, 0.250 at N = 2, 4, 16) never reaches best-of-N's 0.262 at N = 4 and meets its 0.250 at N = 16 only at N = 16 (ratio 1.0); with predicted (PRM-score) bins it does reach best-of-16 at N = 2 (8×) — measured 2026-11-22, 32 problems",
    },
    check: (r) => {
      const show = (a: OptimalAnalysis) => a.matches.map((m) => `N=${m.budget} (${f(m.bestOfN)}): ${m.ratio === null ? "never" : `${f(m.ratio, 2)}×`}`).join(", ");
      return {
        pass: r.oracle.bestRatio !== null && r.oracle.bestRatio >= 4,
        measured: `oracle bins: best ratio ${f(r.oracle.bestRatio, 2)} (${show(r.oracle)}); predicted bins: ${f(r.predicted.bestRatio, 2)} (${show(r.predicted)})`,
      };
    },
  },
  {
    id: "compute-optimal-at-least-best-of-n",
    statement: "At every budget the held-out compute-optimal accuracy (oracle bins) is at least best-of-N weighted's, within 0.02.",
    source: `${SOURCE}, §5.3, Figure 4 (the compute-optimal curve lies above best-of-N)`,
    presets: ["full"],
    knownToFail: {
      presets: ["full"],
      reason:
        "choices made on 4 problems per bin and fold do not carry over: held-out 0.194 vs best-of-N 0.245 at N = 2, 0.233 vs 0.262 at N = 4, 0.250 vs 0.250 at N = 16 (oracle bins, measured 2026-11-22)",
    },
    check: (r) => {
      const bon = curve(r.oracle, "best-of-n");
      const gaps = r.oracle.optimal.map((p, i) => p.accuracy - (bon.accuracy[i] as number));
      return {
        pass: gaps.every((g) => g >= -0.02),
        measured: r.oracle.optimal.map((p, i) => `N=${p.budget}: ${f(p.accuracy)} [${f(p.lo)}, ${f(p.hi)}] vs ${f(bon.accuracy[i] as number)}`).join("; "),
      };
    },
  },
  {
    id: "small-plus-search-beats-larger-on-easy",
    statement: "At matched total FLOPs with R ≤ 1 (R = 0.16 and 0.79), the small policy + best-of-N weighted is more accurate than the larger policy answering once on the easiest difficulty bin.",
    source: `${SOURCE}, §7, Figure 9 (on easy and medium questions test-time compute beats a ~14× larger model when R ≪ 1)`,
    presets: ["full"],
    knownToFail: {
      presets: ["full"],
      reason:
        "policy-200k-long (6.6× the parameters, 1.7× the pretraining tokens) answers every problem of the small policy's easiest bin greedily (1.000); policy-35k + best-of-N weighted reaches 0.375 at R = 0.16 (N = 32, capped) and 0.301 at R = 0.79 (N = 8) — measured 2026-11-22",
    },
    check: (r) => {
      const fm = r.flopsMatch;
      const pts = fm.points.filter((p) => p.ratio <= 1);
      if (pts.length === 0) throw new TtcError("snell24 small-plus-search-beats-larger-on-easy needs a ratio R <= 1");
      const pass = pts.every((p) => p.smallWeighted[0] !== null && (p.smallWeighted[0] as number) > (p.large[0] as number));
      return { pass, measured: `${fm.small.name} vs ${fm.large.name} (${f(fm.paramRatio, 2)}× the parameters), bin 1: ` + pts.map((p) => `R=${p.ratio}: N=${p.weightedN ?? "–"}${p.capped ? " (capped)" : ""} ${f(p.smallWeighted[0] ?? null)} vs ${f(p.large[0] as number)}`).join("; ") };
    },
  },
  {
    id: "larger-model-wins-on-hardest",
    statement: "On the hardest difficulty bin the larger policy answering once is more accurate than the small policy + best-of-N weighted at matched FLOPs, at every R.",
    source: `${SOURCE}, §7, Figure 9 (on the hardest questions pretraining is the better use of compute)`,
    presets: ["full"],
    check: (r) => {
      const fm = r.flopsMatch;
      const last = fm.largePerBin.length - 1;
      const pass = fm.points.every((p) => (p.large[last] as number) > (p.smallWeighted[last] ?? -1));
      return { pass, measured: `bin ${last + 1}: ` + fm.points.map((p) => `R=${p.ratio}: ${fm.large.name} ${f(p.large[last] as number)} vs ${fm.small.name} N=${p.weightedN ?? "–"} ${f(p.smallWeighted[last] ?? null)}`).join("; ") };
    },
  },
];
