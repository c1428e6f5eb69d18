/**
 * The registry of reproductions: one entry per `reproductions/<id>/` folder,
 * assembled from its `config.ts` (info, presets), `run.ts` (run, figure) and
 * `claims.ts`. Add a new reproduction by adding one entry here.
 */
import { UnknownNameError } from "../lib/core/errors.ts";
import type { ReproConfig, Reproduction } from "../lib/repro/types.ts";
import * as monkeys from "./brown24-monkeys/run.ts";
import * as erPrm from "./er-prm25-early-rejection/run.ts";
import * as hassid from "./hassid25-short-m-at-k/run.ts";
import * as hydragen from "./hydragen24-shared-prefix/run.ts";
import * as kinetics from "./kinetics25-sparse-tts/run.ts";
import * as liu from "./liu25-1b-vs-405b/run.ts";
import * as saha from "./saha24-attention-io/run.ts";
import * as singhi from "./singhi25-solve-or-verify/run.ts";
import * as snell from "./snell24-compute-optimal/run.ts";
import * as ttspm from "./wang25-ttspm/run.ts";

/** Pack a reproduction's parts into the {@link Reproduction} contract. */
function entry<C extends ReproConfig, R>(
  info: { id: string; title: string; world: string; defaultPreset: string },
  presets: Record<string, C>,
  run: Reproduction<C, R>["run"],
  figure: Reproduction<C, R>["figure"],
  claims: Reproduction<C, R>["claims"],
): Reproduction<ReproConfig, unknown> {
  return { ...info, presets, run, figure, claims } as unknown as Reproduction<ReproConfig, unknown>;
}

/** Every reproduction, in the order `ttc repro --all` runs them. */
export const reproductions: readonly Reproduction<ReproConfig, unknown>[] = [
  entry(monkeys.info, monkeys.presets, monkeys.run, monkeys.figure, monkeys.claims),
  entry(hassid.info, hassid.presets, hassid.run, hassid.figure, hassid.claims),
  entry(hydragen.info, hydragen.presets, hydragen.run, hydragen.figure, hydragen.claims),
  entry(kinetics.info, kinetics.presets, kinetics.run, kinetics.figure, kinetics.claims),
  entry(saha.info, saha.presets, saha.run, saha.figure, saha.claims),
  entry(singhi.info, singhi.presets, singhi.run, singhi.figure, singhi.claims),
  entry(erPrm.info, erPrm.presets, erPrm.run, erPrm.figure, erPrm.claims),
  entry(ttspm.info, ttspm.presets, ttspm.run, ttspm.figure, ttspm.claims),
  entry(liu.info, liu.presets, liu.run, liu.figure, liu.claims),
  entry(snell.info, snell.presets, snell.run, snell.figure, snell.claims),
];

/**
 * Look a reproduction up by id.
 *
 * @throws UnknownNameError listing the known ids when `id` is not one of them
 */
export function getReproduction(id: string): Reproduction<ReproConfig, unknown> {
  const found = reproductions.find((r) => r.id === id);
  if (!found) throw new UnknownNameError("getReproduction", "reproduction id", id, reproductions.map((r) => r.id));
  return found;
}
