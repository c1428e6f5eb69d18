/**
 * Reproduction of Hassid et al. (2025), "Don't Overthink it": with k chains
 * sampled in parallel, voting among the first m to finish (short-m@k) against
 * majority voting over all k, in accuracy, thinking tokens and wall time.
 */
import { rng } from "../../lib/core/rng.ts";
import { majorityCurve } from "../../lib/estimators/majority-at-k.ts";
import { shortMAtK } from "../../lib/estimators/short-m-at-k.ts";
import { expectedSubsetExtremes } from "../../lib/estimators/subset-extremes.ts";
import type { Figure } from "../../lib/plot/figure.ts";
import { lineFigure, type LineSeries } from "../../lib/plot/line-figure.ts";
import type { Progress } from "../../lib/repro/types.ts";
import { simulateWorld } from "../../lib/sim/world.ts";
import type { HassidConfig } from "./config.ts";

export { claims } from "./claims.ts";
export { info, presets } from "./config.ts";
export type { HassidConfig } from "./config.ts";

/** One method's curve over k: mean accuracy, thinking tokens and wall-time tokens per problem. */
export interface MethodCurve {
  method: string;
  ks: number[];
  accuracy: number[];
  thinkingTokens: number[];
  wallTokens: number[];
}

/** Every curve for one simulated world. */
export interface WorldCurves {
  /** How much shorter right chains are in this world (log factor). */
  correctShorterBy: number;
  methods: MethodCurve[];
  /** Fraction of problems whose shortest / longest sampled chain is right. */
  shortestCorrect: number;
  longestCorrect: number;
}

export interface HassidResults extends WorldCurves {
  problems: number;
  /** The same analysis on the world calibrated to the other reading of the paper's number. */
  sensitivity: WorldCurves;
}

export function run(config: HassidConfig, progress?: Progress): HassidResults {
  const report = progress ?? (() => {});
  const root = rng(config.seed);
  const primary = evaluateWorld(config, config.world, root, (m, f) => report(m, (f ?? 0) / 2));
  const other = { ...config.world, lengths: { ...config.world.lengths, correctShorterBy: config.sensitivityShorterBy } };
  const sensitivity = evaluateWorld(config, other, root, (m, f) => report(`sensitivity world: ${m}`, 0.5 + (f ?? 0) / 2));
  return { ...primary, problems: config.world.problems, sensitivity };
}

function evaluateWorld(config: HassidConfig, worldConfig: HassidConfig["world"], root: ReturnType<typeof rng>, progress: Progress): WorldCurves {
  // The same stream for both worlds: they differ only in how lengths depend on correctness.
  const world = simulateWorld(worldConfig, root.fork("world"));
  const P = world.length;
  const curve = (method: string, ks: number[]): MethodCurve => ({ method, ks, accuracy: ks.map(() => 0), thinkingTokens: ks.map(() => 0), wallTokens: ks.map(() => 0) });
  const majority = curve("majority@k", config.ks);
  const shorts = config.ms.map((m) => curve(`short-${m}@k`, config.ks.filter((k) => k >= m)));
  let shortest = 0;
  let longest = 0;
  world.forEach((p, pi) => {
    const maj = majorityCurve(p.answers, p.correct, config.ks);
    const mean = p.tokens.reduce((a, b) => a + b, 0) / p.tokens.length;
    config.ks.forEach((k, i) => {
      majority.accuracy[i]! += maj[i]!.value / P;
      majority.thinkingTokens[i]! += (k * mean) / P;
      majority.wallTokens[i]! += expectedSubsetExtremes(p.tokens, k).max / P;
    });
    const pr = root.fork(`short-${pi}`);
    config.ms.forEach((m, mi) => {
      const c = shorts[mi] as MethodCurve;
      c.ks.forEach((k, i) => {
        const res = shortMAtK(p.answers, p.tokens, p.correct, m, k, { rng: pr.fork(`m${m}-k${k}`), samples: config.draws });
        c.accuracy[i]! += res.accuracy / P;
        c.thinkingTokens[i]! += res.thinkingTokens / P;
        c.wallTokens[i]! += res.wallTokens / P;
      });
    });
    let lo = 0;
    let hi = 0;
    p.tokens.forEach((t, s) => {
      if (t < (p.tokens[lo] as number)) lo = s;
      if (t > (p.tokens[hi] as number)) hi = s;
    });
    shortest += (p.correct[lo] as number) / P;
    longest += (p.correct[hi] as number) / P;
    if (pi % 50 === 49) progress(`problem ${pi + 1}/${P}`, (pi + 1) / P);
  });
  return { correctShorterBy: worldConfig.lengths.correctShorterBy, methods: [majority, ...shorts], shortestCorrect: shortest, longestCorrect: longest };
}

/** Two panels: accuracy vs thinking tokens, and accuracy vs wall time (tokens of the slowest chain waited for). */
export function figure(results: HassidResults): Figure {
  const panel = (x: "thinkingTokens" | "wallTokens", title: string) =>
    lineFigure({
      title,
      xTitle: x === "thinkingTokens" ? "thinking tokens per question (all chains)" : "wall time (tokens of the last chain waited for)",
      yTitle: "accuracy",
      logX: true,
      series: results.methods.map((m): LineSeries => ({ name: m.method, x: m[x], y: m.accuracy, mode: "lines+markers" })),
    });
  const left = panel("thinkingTokens", "");
  const right = panel("wallTokens", "");
  const data = [
    ...left.data.map((t) => ({ ...t, xaxis: "x", yaxis: "y" })),
    ...right.data.map((t) => ({ ...t, xaxis: "x2", yaxis: "y2", showlegend: false })),
  ];
  const lx = left.layout.xaxis as Record<string, unknown>;
  const rx = right.layout.xaxis as Record<string, unknown>;
  const ly = left.layout.yaxis as Record<string, unknown>;
  return {
    data,
    layout: {
      ...left.layout,
      title: { text: `short-m@k vs majority@k (${results.problems} simulated questions)` },
      xaxis: { ...lx, domain: [0, 0.46] },
      yaxis: { ...ly, anchor: "x" },
      xaxis2: { ...rx, domain: [0.54, 1], anchor: "y2" },
      yaxis2: { ...ly, anchor: "x2", title: { text: "" } },
    },
  };
}
