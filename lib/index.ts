export { rng } from "./core/rng.ts";
export type { Rng } from "./core/rng.ts";
