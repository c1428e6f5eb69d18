/**
 * Presets. `smoke` runs in about a second; `full` draws the figure (≈ 1 minute
 * on one core). Cache sizes are the powers of two from the smallest one a tiled
 * schedule fits in (M ≥ 4d + 3) up to `maxCachePerND·N·d`; with d a power of
 * two the grid includes M = d² exactly.
 */
export const presets = {
    smoke: {
        preset: "smoke",
        seed: 1,
        shapes: [{ n: 256, d: 16 }, { n: 128, d: 32 }],
        figureShape: 0,
        maxCachePerND: 2,
    },
    full: {
        preset: "full",
        seed: 1,
        shapes: [{ n: 1024, d: 32 }, { n: 1024, d: 64 }, { n: 2048, d: 32 }, { n: 1024, d: 16 }],
        figureShape: 0,
        maxCachePerND: 2,
    },
};
/** Registry facts: id, title, world (REPRODUCTIONS.md) and the preset the main job runs. */
export const info = {
    id: "saha24-attention-io",
    title: "Saha & Ye 2024, The I/O Complexity of Attention: words moved vs cache size, standard vs tiled attention",
    world: "analytic + kernel (instrumented two-level memory)",
    defaultPreset: "full",
};
