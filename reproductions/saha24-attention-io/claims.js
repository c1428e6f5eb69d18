import { TtcError } from "../../lib/core/errors.js";
const SOURCE = "Saha & Ye 2024, The I/O Complexity of Attention (ICML 2024), abstract";
const BOTH = ["smoke", "full"];
/** Points of the large-cache regime away from the "everything fits" end: d² ≤ M ≤ N·d/4. */
function largeCacheRange(shape) {
    return shape.points.filter((p) => p.m >= shape.d * shape.d && p.m <= (shape.n * shape.d) / 4);
}
/** Least-squares slope of log y against log x. */
function logLogSlope(xs, ys) {
    const lx = xs.map(Math.log);
    const ly = ys.map(Math.log);
    const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
    const my = ly.reduce((a, b) => a + b, 0) / ly.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < lx.length; i++) {
        num += (lx[i] - mx) * (ly[i] - my);
        den += (lx[i] - mx) ** 2;
    }
    return num / den;
}
const fmt = (x, digits = 2) => x.toFixed(digits);
const shapeName = (s) => `N=${s.n},d=${s.d}`;
/** Shapes with at least 3 cache sizes in the large-cache range, each with those points; throws if there are none. */
function largeCacheShapes(r) {
    const usable = r.shapes.map((s) => ({ n: s.n, d: s.d, pts: largeCacheRange(s) })).filter((s) => s.pts.length >= 3);
    if (usable.length === 0) {
        throw new TtcError("saha24 claims require a shape with at least 3 cache sizes in d² ≤ M ≤ Nd/4 (N ≥ 16d), got none");
    }
    return usable;
}
export const claims = [
    {
        id: "tiling-is-exact",
        statement: "Tiled attention with online softmax computes exactly the same output as dense attention (max |error| < 1e-12 in float64), at every cache size.",
        source: "Dao et al. 2022 (FlashAttention), Theorem 1; the premise of Saha & Ye's analysis",
        presets: BOTH,
        check(r) {
            let worst = 0;
            for (const s of r.shapes)
                for (const p of s.points)
                    for (const io of Object.values(p.io))
                        worst = Math.max(worst, io.maxAbsError);
            return { pass: worst < 1e-12, measured: `max |output − dense| = ${worst.toExponential(2)} over all shapes, cache sizes and schedules` };
        },
    },
    {
        id: "tiled-follows-n2d2-over-m",
        statement: "For d² ≤ M, FlashAttention's tiled schedules move Θ(N²d²/M) words: words moved fall as 1/M (log–log slope −1 ± 0.15) and stay within a factor 2 band of N²d²/M.",
        source: SOURCE,
        presets: BOTH,
        check(r) {
            const parts = [];
            let pass = true;
            for (const { pts, ...s } of largeCacheShapes(r)) {
                for (const sched of ["tiledQOuter", "tiledKvOuter"]) {
                    const words = pts.map((p) => p.io[sched].wordsMoved);
                    const slope = logLogSlope(pts.map((p) => p.m), words);
                    const ratios = pts.map((p) => p.io[sched].wordsMoved / p.bounds.large);
                    const band = Math.max(...ratios) / Math.min(...ratios);
                    pass &&= Math.abs(slope + 1) <= 0.15 && band <= 2;
                    parts.push(`${shapeName(s)} ${sched}: slope ${fmt(slope)}, words/(N²d²/M) ${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))}`);
                }
            }
            return { pass, measured: parts.join("; ") };
        },
    },
    {
        id: "tiling-gain-grows-with-cache",
        statement: "Standard attention moves Ω(N²) words at any cache size, so tiling's saving over it grows with M: log–log slope of (standard / tiled) vs M ≥ 0.5 over d² ≤ M ≤ Nd/4.",
        source: SOURCE + " (and FlashAttention, Dao et al. 2022, Theorem 2)",
        presets: BOTH,
        check(r) {
            const parts = [];
            let pass = true;
            for (const { pts, ...s } of largeCacheShapes(r)) {
                const gain = pts.map((p) => p.io.standard.wordsMoved / p.io.tiledQOuter.wordsMoved);
                const slope = logLogSlope(pts.map((p) => p.m), gain);
                pass &&= slope >= 0.5;
                parts.push(`${shapeName(s)}: gain ${fmt(gain[0])}× at M=d² → ${fmt(gain[gain.length - 1])}× at M=${pts[pts.length - 1]?.m}, slope ${fmt(slope)}`);
            }
            return { pass, measured: parts.join("; ") };
        },
    },
    {
        id: "small-cache-crossover",
        statement: "FlashAttention is optimal only for M ≥ d²: below, a matmul-blocked schedule moves fewer words. The crossover cache size lies within [d²/16, 4d²].",
        source: SOURCE + " (small-cache regime, Θ(N²d/√M))",
        presets: BOTH,
        check(r) {
            const parts = [];
            let pass = true;
            let checked = 0;
            for (const s of r.shapes) {
                const d2 = s.d * s.d;
                // Only shapes whose sweep starts well inside the small-cache regime can show a crossover.
                if ((s.points[0]?.m ?? Infinity) > d2 / 4)
                    continue;
                checked++;
                const firstTiledWin = s.points.find((p) => p.io.tiledQOuter.wordsMoved <= p.io.standard.wordsMoved);
                const standardWinsBelow = s.points.filter((p) => p.m < (firstTiledWin?.m ?? Infinity)).length > 0;
                const ratio = firstTiledWin ? firstTiledWin.m / d2 : Infinity;
                pass &&= standardWinsBelow && ratio >= 1 / 16 && ratio <= 4;
                parts.push(`${shapeName(s)}: tiled first moves fewer words at M = ${fmt(ratio, 3)}·d²` + (standardWinsBelow ? "" : " (standard never wins)"));
            }
            if (checked === 0)
                throw new TtcError("small-cache-crossover needs a shape whose sweep starts at M ≤ d²/4");
            return { pass, measured: parts.join("; ") };
        },
    },
];
