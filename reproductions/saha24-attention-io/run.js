/**
 * Reproduction of Saha & Ye (2024), "The I/O Complexity of Attention, or How
 * Optimal is FlashAttention?": words moved between slow memory and a cache of
 * M words by standard attention and by FlashAttention's tiled schedules, as M
 * varies, against the N²d²/M and N²d/√M curves. Every count comes from
 * executing the schedule on an instrumented two-level memory.
 */
import { requireArg } from "../../lib/core/errors.js";
import { rng } from "../../lib/core/rng.js";
import { flashAttentionIO } from "../../lib/cost/io/flash-attention-io.js";
import { naiveAttentionIO } from "../../lib/cost/io/naive-attention-io.js";
import { attentionIOBounds, attentionReference } from "../../lib/cost/io/reference.js";
import { lineFigure } from "../../lib/plot/line-figure.js";
export { claims } from "./claims.js";
export { info, presets } from "./config.js";
/** The schedules measured: FlashAttention-2 order, FlashAttention-1 order, standard attention. */
export const SCHEDULES = ["tiledQOuter", "tiledKvOuter", "standard"];
/** Cache sizes swept for one shape: powers of two from the first that fits 1×1 tiles to maxCachePerND·N·d. */
export function cacheGrid(shape, maxCachePerND) {
    const grid = [];
    let m = 1;
    while (m < 4 * shape.d + 3)
        m *= 2;
    for (; m <= maxCachePerND * shape.n * shape.d; m *= 2)
        grid.push(m);
    return grid;
}
/**
 * Run the sweep: for each shape draw Q, K, V ~ N(0, 1) from the seeded stream,
 * compute the dense reference once, then execute the three schedules at every
 * cache size and record words moved and the output error.
 */
export function run(config, progress) {
    const root = rng(config.seed);
    const total = config.shapes.reduce((s, sh) => s + cacheGrid(sh, config.maxCachePerND).length, 0);
    let done = 0;
    const shapes = config.shapes.map((shape, si) => {
        const { n, d } = shape;
        const r = root.fork(`shape-${si}`);
        const draw = () => Float64Array.from({ length: n * d }, () => r.normal());
        const q = draw();
        const k = draw();
        const v = draw();
        const ref = attentionReference(q, k, v, n, d);
        const points = cacheGrid(shape, config.maxCachePerND).map((m) => {
            const io = {
                tiledQOuter: summarise(flashAttentionIO(q, k, v, n, d, m, { order: "q-outer" }), ref),
                tiledKvOuter: summarise(flashAttentionIO(q, k, v, n, d, m, { order: "kv-outer" }), ref),
                standard: summarise(naiveAttentionIO(q, k, v, n, d, m), ref),
            };
            done++;
            progress?.(`N=${n} d=${d} M=${m}`, done / total);
            return { m, io, bounds: attentionIOBounds(n, d, m) };
        });
        return { n, d, points };
    });
    return { shapes, figureShape: config.figureShape, seed: config.seed };
}
function summarise(res, ref) {
    let err = 0;
    for (let i = 0; i < ref.length; i++)
        err = Math.max(err, Math.abs(res.output[i] - ref[i]));
    return {
        wordsRead: res.wordsRead,
        wordsWritten: res.wordsWritten,
        wordsMoved: res.wordsRead + res.wordsWritten,
        peakWords: res.peakWords,
        maxAbsError: err,
        schedule: res.schedule,
    };
}
/** Words moved vs cache size (log–log) for the figure's shape, with the two regimes' reference curves. */
export function figure(results) {
    const shape = results.shapes[results.figureShape];
    requireArg("saha24 figure", shape !== undefined, `figureShape < ${results.shapes.length}`, results.figureShape);
    const ms = shape.points.map((p) => p.m);
    const io = (s) => shape.points.map((p) => p.io[s].wordsMoved);
    const small = shape.points.filter((p) => p.m <= shape.d * shape.d);
    const large = shape.points.filter((p) => p.m >= shape.d * shape.d);
    return lineFigure({
        title: `Words moved by attention vs cache size (N = ${shape.n}, d = ${shape.d})`,
        xTitle: "fast-memory size M (words)",
        yTitle: "words moved to/from slow memory",
        logX: true,
        logY: true,
        series: [
            { name: "tiled, query-block outer (FlashAttention-2)", x: ms, y: io("tiledQOuter"), mode: "lines+markers" },
            { name: "tiled, key-block outer (FlashAttention-1)", x: ms, y: io("tiledKvOuter"), mode: "lines+markers" },
            { name: "standard (S and P in slow memory, blocked matmuls)", x: ms, y: io("standard"), mode: "lines+markers" },
            { name: "N²d²/M (optimal for M ≥ d²)", x: large.map((p) => p.m), y: large.map((p) => p.bounds.large), dash: "dash" },
            { name: "N²d/√M (optimal for M < d²)", x: small.map((p) => p.m), y: small.map((p) => p.bounds.small), dash: "dot" },
            { name: "4Nd (read inputs, write output)", x: ms, y: shape.points.map((p) => p.bounds.floor), dash: "dot" },
        ],
        vlines: [{ x: shape.d * shape.d, label: "M = d²" }],
    });
}
