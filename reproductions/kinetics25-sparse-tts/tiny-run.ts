import { join } from "node:path";
import type { Rng } from "../../lib/core/rng.ts";
import { parameterCount } from "../../lib/cost/model-shape.ts";
import { tinyModelShape } from "../../lib/cost/tiny-shape.ts";
import { loadCheckpoint } from "../../lib/models/checkpoint.ts";
import { decoderAttentionSpan, type DecoderAttention } from "../../lib/models/decoder-attention.ts";
import { generateProblems } from "../../lib/tasks/generate-problems.ts";
import type { TinyParetoConfig } from "./config.ts";
import { compareFrontiers, levelPoint, modelDecodeKeys, type FrontierComparison, type TinyLevelPoint, type TinyParetoPoint, type TinyPricing } from "./tiny-pareto.ts";
import { sampleProblems } from "./tiny-samples.ts";

/** One (policy, density) configuration: its samples' accuracy and cost per level, and the keys its decoder read. */
export interface TinyConfigResult {
  policy: string;
  density: number;
  attention: DecoderAttention;
  levels: TinyLevelPoint[];
  /** Keys attended per (layer, query head) over all decode steps of all samples, as the decoder counted them. */
  decodeKeys: number;
  /** The same from `spanCounts` of the configuration's span at the samples' lengths (must equal `decodeKeys`). */
  modelKeys: number;
  /** What dense attention would have read at the same lengths. */
  denseKeys: number;
}

/** A tiny policy as run: its checkpoint's config, parameter counts and training step. */
export interface TinyPolicyInfo {
  name: string;
  config: Record<string, number>;
  /** Parameters stored, and multiplied per token (blocks + tied head): the P of Kinetics' 2·P·L_out. */
  params: number;
  matmulParams: number;
  /** Optimizer step the checkpoint was saved at (null for weights shipped without optimizer state). */
  step: number | null;
}

export interface TinyResults {
  config: TinyParetoConfig;
  e: number;
  policies: TinyPolicyInfo[];
  configs: TinyConfigResult[];
  /** Dense vs sparse frontiers: majority@k and coverage over all levels, priced with Kinetics' E (prompt shared), without prefix sharing and at this machine's E; majority@k over the long and over the short levels. */
  frontiers: FrontierComparison[];
}

/** The decoder attention of a density: dense at 1, else block top-k with the config's blocks, sinks and window. */
export function attentionOf(c: TinyParetoConfig, density: number): DecoderAttention {
  return density === 1 ? { kind: "dense" } : { kind: "block-topk", blockSize: c.blockSize, density, sinks: c.sinks, window: c.window };
}

/**
 * Run every policy × density on the same held-out problems (levels ×
 * problemsPerLevel, test split) with N samples each, then estimate, price and
 * compare frontiers. Reads the checkpoints (the only file access); random
 * numbers come from `r` alone: problems from `r.fork("problems/level-L")`,
 * samples from `r.fork("samples/<policy>/level-L")` — the same for every
 * density, so dense and sparse runs are paired.
 *
 * @param e - Kinetics' E (FLOPs per byte)
 */
export function runTiny(c: TinyParetoConfig, e: number, r: Rng, progress?: (message: string, fraction: number) => void): TinyResults {
  const problems = c.levels.map((level) => generateProblems({ rng: r.fork(`problems/level-${level}`), level, count: c.problemsPerLevel, split: "test" }));
  const policies: TinyPolicyInfo[] = [];
  const configs: TinyConfigResult[] = [];
  const total = c.policies.length * c.densities.length * c.levels.length;
  let done = 0;
  for (const name of c.policies) {
    const { model, manifest } = loadCheckpoint(join(c.modelsDir, name));
    try {
      const shape = tinyModelShape(name, manifest.config);
      const counts = parameterCount(shape);
      policies.push({ name, config: { ...manifest.config }, params: counts.total, matmulParams: counts.matmul, step: manifest.optimizer?.step ?? null });
      for (const density of c.densities) {
        const attention = attentionOf(c, density);
        const span = decoderAttentionSpan(attention);
        const result: TinyConfigResult = { policy: name, density, attention, levels: [], decodeKeys: 0, modelKeys: 0, denseKeys: 0 };
        for (const chunk of levelChunks(c)) {
          const keyed = chunk.flatMap((li) => (problems[li] ?? []).map((problem, i) => ({ problem, key: `L${c.levels[li]}/p${i}` })));
          const all = sampleProblems(model, keyed, c.samplesPerProblem, attention, r.fork(`samples/${name}`));
          for (const li of chunk) {
            const level = c.levels[li] as number;
            const samples = all.filter((_, i) => keyed[i]?.key.startsWith(`L${level}/`));
            result.levels.push(levelPoint(level, samples, { shape, span, ks: c.ks, e, eCpu: c.eCpu }, r.fork(`estimate/${name}/${density}/level-${level}`)));
            result.decodeKeys += samples.reduce((a, s) => a + s.decodeKeys.reduce((x, y) => x + y, 0), 0);
            result.modelKeys += modelDecodeKeys(samples, span);
            result.denseKeys += modelDecodeKeys(samples, { kind: "dense" });
            const lp = result.levels.at(-1) as TinyLevelPoint;
            progress?.(`${name} density ${density} level ${level}: majority@1 ${lp.majority[0]?.toFixed(2)}, ${lp.meanTokens.toFixed(0)} tokens`, ++done / total);
          }
        }
        configs.push(result);
      }
    } finally {
      model.dispose();
    }
  }
  const short = c.levels.filter((l) => !c.longLevels.includes(l));
  const long = c.levels.filter((l) => c.longLevels.includes(l));
  const compare = (metric: "majority" | "coverage", levels: number[], pricing: TinyPricing) => compareFrontiers(paretoPoints(configs, metric, levels, pricing, c.ks), { metric, levels, pricing });
  const frontiers = [
    ...(["kinetics", "unshared", "cpu"] as const).flatMap((pricing) => [compare("majority", c.levels, pricing), compare("coverage", c.levels, pricing)]),
    ...[long, short].filter((ls) => ls.length > 0).map((ls) => compare("majority", ls, "kinetics")),
  ];
  return { config: c, e, policies, configs, frontiers };
}

/** Consecutive level indices grouped so that each group's samples fit in `maxBatch` rows (at least one level each). */
function levelChunks(c: TinyParetoConfig): number[][] {
  const rows = c.problemsPerLevel * c.samplesPerProblem;
  const chunks: number[][] = [];
  c.levels.forEach((_, li) => {
    const last = chunks.at(-1);
    if (last !== undefined && (last.length + 1) * rows <= c.maxBatch) last.push(li);
    else chunks.push([li]);
  });
  return chunks;
}

/**
 * Every configuration at every k as a (mean eFLOPs, mean accuracy) point,
 * pooling `levels` with equal weight per problem.
 */
export function paretoPoints(configs: readonly TinyConfigResult[], metric: "majority" | "coverage", levels: readonly number[], pricing: TinyPricing, ks: readonly number[]): TinyParetoPoint[] {
  const costs = { kinetics: "eflops", unshared: "eflopsUnshared", cpu: "eflopsCpu" } as const;
  return configs.flatMap((cfg) => {
    const rows = cfg.levels.filter((l) => levels.includes(l.level));
    const n = rows.reduce((a, l) => a + l.problems, 0);
    const avg = (f: (l: TinyLevelPoint) => number) => rows.reduce((a, l) => a + f(l) * l.problems, 0) / n;
    return ks.map((k, j) => ({
      policy: cfg.policy,
      density: cfg.density,
      k,
      cost: avg((l) => l[costs[pricing]][j] as number),
      accuracy: avg((l) => (l[metric][j] as number)),
    }));
  });
}
