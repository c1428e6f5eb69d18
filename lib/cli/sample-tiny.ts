import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { selectBackend } from "../core/backend.ts";
import { TtcError } from "../core/errors.ts";
import { rng } from "../core/rng.ts";
import { writeCsv } from "../data/write-csv.ts";
import { writeJsonl } from "../data/write-jsonl.ts";
import { writeParquet } from "../data/write-parquet.ts";
import { loadCheckpoint } from "../models/checkpoint.ts";
import { tinySampleDump } from "../models/sample-dump.ts";
import type { Transformer } from "../models/transformer.ts";
import { LEVELS } from "../tasks/level.ts";
import { commandFailure, commandWriters, parseCommand } from "./parse-command.ts";

export const SAMPLE_TINY_USAGE = `usage:
  ttc sample --checkpoint DIR --problems P --n N --out dump.(jsonl|csv|parquet) [options]

Samples a shipped tiny policy on P held-out chain problems per level, N samples each, grades
every sample (exact trace), scores it with the given reward models, and writes the sample table.

options:
  --checkpoint DIR     the policy, e.g. data/models/policy-60k
  --problems P         problems per level
  --n N                samples per problem
  --out FILE           .jsonl, .csv or .parquet
  --levels L,L,...     levels to draw from (default 1..${LEVELS.length})
  --prm DIR            process reward model: per-line stepScores
  --orm DIR            outcome reward model: score
  --temperature T      default 1
  --seed S             default 0
  --backend NAME       tfjs backend
  --quiet              no progress lines
`;

/**
 * `ttc sample --checkpoint …`: a sample dump of a tiny policy
 * ({@link tinySampleDump}) written as JSONL, CSV or Parquet.
 *
 * @param argv - the arguments after `sample`
 * @returns 0 on success, 2 on bad usage or input
 * @example
 * await sampleTinyCommand(["--checkpoint", "data/models/policy-60k", "--problems", "20", "--n", "8", "--out", "out/dump.parquet"]);
 */
export async function sampleTinyCommand(argv: string[], io: { stdout?: (t: string) => void; stderr?: (t: string) => void } = {}): Promise<number> {
  const { out, err } = commandWriters(io);
  const parsed = parseCommand("sample", SAMPLE_TINY_USAGE, {
    args: argv,
    options: {
      checkpoint: { type: "string" }, problems: { type: "string" }, n: { type: "string" }, out: { type: "string" }, levels: { type: "string" },
      prm: { type: "string" }, orm: { type: "string" }, temperature: { type: "string" }, seed: { type: "string" }, backend: { type: "string" },
      quiet: { type: "boolean" }, help: { type: "boolean", short: "h" },
    },
  }, io);
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const models: Transformer[] = [];
  try {
    for (const name of ["checkpoint", "problems", "n", "out"] as const) {
      if (values[name] === undefined) throw new TtcError(`ttc sample requires --${name}, got none (ttc sample --help)`);
    }
    const int = (name: string, text: string) => {
      const v = Number(text);
      if (!Number.isSafeInteger(v) || v < 1) throw new TtcError(`ttc sample requires --${name} to be a positive integer, got "${text}"`);
      return v;
    };
    const file = values.out as string;
    const format = file.endsWith(".parquet") ? "parquet" : file.endsWith(".csv") ? "csv" : file.endsWith(".jsonl") ? "jsonl" : undefined;
    if (format === undefined) throw new TtcError(`ttc sample requires --out ending in .jsonl, .csv or .parquet, got "${file}"`);
    const levels = values.levels === undefined ? undefined : values.levels.split(",").map((l) => int("levels", l));
    const temperature = values.temperature === undefined ? 1 : Number(values.temperature);
    if (!(temperature >= 0)) throw new TtcError(`ttc sample requires --temperature ≥ 0, got "${values.temperature}"`);
    await selectBackend(values.backend !== undefined ? { name: values.backend } : {});
    const load = (dir: string) => {
      const m = loadCheckpoint(dir).model;
      models.push(m);
      return m;
    };
    const t0 = Date.now();
    const table = tinySampleDump({
      policy: load(values.checkpoint as string),
      problemsPerLevel: int("problems", values.problems as string),
      n: int("n", values.n as string),
      temperature,
      rng: rng(values.seed ?? 0),
      ...(levels ? { levels } : {}),
      ...(values.prm ? { prm: load(values.prm) } : {}),
      ...(values.orm ? { orm: load(values.orm) } : {}),
      onProgress: (level, samples) => {
        if (!values.quiet) err(`[ttc sample] level ${level} done: ${samples} samples, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      },
    });
    mkdirSync(dirname(file), { recursive: true });
    if (format === "parquet") writeParquet(table, file);
    else if (format === "csv") await writeCsv(table, file);
    else await writeJsonl(table, file);
    out(`${file}: ${table.size} samples of ${table.problemIds().length} problems\n`);
    return 0;
  } catch (e) {
    return commandFailure("sample", e, io);
  } finally {
    for (const m of models) m.dispose();
  }
}
