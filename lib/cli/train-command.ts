import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { selectBackend } from "../core/backend.ts";
import { TtcError } from "../core/errors.ts";
import { loadCheckpoint, saveCheckpoint } from "../models/checkpoint.ts";
import { runPolicyRecipe, type PolicyRecipe } from "../models/policy-recipe.ts";
import { runRewardRecipe, type RewardRecipe } from "../rewards/reward-recipe.ts";
import { commandFailure, parseCommand } from "./parse-command.ts";

export const TRAIN_USAGE = `usage:
  ttc train RECIPE.json [options]     train a tiny policy or reward model from its recipe, resumably

A recipe (data/models/recipes/*.json) fixes the data, model, schedule and seed: the same
recipe gives the same loss curve. "kind": "reward" recipes label a policy's samples
(Math-Shepherd rollouts, the step checker, or outcomes) and train a PRM or ORM.
Rerunning the same command resumes from OUT/checkpoint.

options:
  --out DIR         run folder (default out/train/<name>)
  --minutes M       stop after M minutes of training in this call (rerun to resume)
  --ship DIR        when finished, write the model (weights only, with its recipe and
                    evaluation in the manifest) to DIR, e.g. data/models/<name>
  --backend NAME    tfjs backend (default as for ttc repro)
`;

/**
 * `ttc train RECIPE.json`: run a policy recipe ({@link runPolicyRecipe}) or a
 * reward recipe ({@link runRewardRecipe}), print progress, and optionally ship
 * the finished model.
 *
 * @param argv - arguments after `train`
 * @returns 0 when finished (or stopped by --minutes), 2 on bad usage or a bad recipe
 * @example
 * await trainCommand(["data/models/recipes/policy-20k.json", "--ship", "data/models/policy-20k"]);
 */
export async function trainCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand("train", TRAIN_USAGE, { args: argv, allowPositionals: true, options: { out: { type: "string" }, minutes: { type: "string" }, ship: { type: "string" }, backend: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    process.stderr.write(`ttc train requires exactly one recipe file\n\n${TRAIN_USAGE}`);
    return 2;
  }
  try {
    if (!existsSync(file)) throw new TtcError(`ttc train requires an existing recipe file, got "${file}"`);
    let recipe: (PolicyRecipe | RewardRecipe) & { name?: unknown };
    try {
      recipe = JSON.parse(readFileSync(file, "utf8")) as PolicyRecipe | RewardRecipe;
    } catch (e) {
      throw new TtcError(`ttc train requires a JSON recipe, got ${file}: ${(e as Error).message}`);
    }
    if (typeof recipe.name !== "string" || recipe.name.length === 0) throw new TtcError(`ttc train requires a recipe with a "name", got none in ${file}`);
    const minutes = values.minutes === undefined ? undefined : Number(values.minutes);
    if (minutes !== undefined && !(minutes > 0)) throw new TtcError(`ttc train requires --minutes > 0, got "${values.minutes}"`);
    const backend = await selectBackend(values.backend !== undefined ? { name: values.backend } : {});
    const dir = values.out ?? join("out", "train", recipe.name);
    const log = (line: string) => process.stdout.write(`${line}\n`);
    log(`ttc train ${file} → ${dir} (backend ${backend.name})`);
    const options = { dir, log, ...(minutes !== undefined ? { maxWallMs: minutes * 60_000 } : {}) };
    const result = recipe.kind === "reward" ? runRewardRecipe(recipe as RewardRecipe, options) : runPolicyRecipe(recipe as PolicyRecipe, options);
    if (result !== undefined && values.ship !== undefined) {
      const loaded = loadCheckpoint(join(dir, "checkpoint"));
      const meta = loaded.manifest.meta;
      saveCheckpoint(values.ship, loaded.model, { meta: { ...meta, recipeFile: file, evaluation: result, backend: backend.name } });
      loaded.model.dispose();
      log(`shipped ${recipe.name} to ${values.ship}`);
    }
    return 0;
  } catch (e) {
    return commandFailure("train", e);
  }
}
