/**
 * The registry of reproductions: one entry per `reproductions/<id>/` folder,
 * assembled from its `config.ts` (info, presets), `run.ts` (run, figure) and
 * `claims.ts`. Add a new reproduction by adding one entry here.
 */
import { UnknownNameError } from "../lib/core/errors.js";
import * as saha from "./saha24-attention-io/run.js";
/** Pack a reproduction's parts into the {@link Reproduction} contract. */
function entry(info, presets, run, figure, claims) {
    return { ...info, presets, run, figure, claims };
}
/** Every reproduction, in the order `ttc repro --all` runs them. */
export const reproductions = [
    entry(saha.info, saha.presets, saha.run, saha.figure, saha.claims),
];
/**
 * Look a reproduction up by id.
 *
 * @throws UnknownNameError listing the known ids when `id` is not one of them
 */
export function getReproduction(id) {
    const found = reproductions.find((r) => r.id === id);
    if (!found)
        throw new UnknownNameError("getReproduction", "reproduction id", id, reproductions.map((r) => r.id));
    return found;
}
