import { parseArgs, type ParseArgsConfig } from "node:util";
import { TtcError } from "../core/errors.ts";

/** Where a `ttc` command writes (default: the process's stdout and stderr). */
export interface CommandIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** The write functions of `io`, defaulting to the process's streams. */
export function commandWriters(io: CommandIo = {}): { out: (text: string) => void; err: (text: string) => void } {
  return {
    out: io.stdout ?? ((t: string) => void process.stdout.write(t)),
    err: io.stderr ?? ((t: string) => void process.stderr.write(t)),
  };
}

/**
 * Parse a `ttc <command>`'s arguments with `node:util`'s `parseArgs`, the way
 * every command answers bad usage and `--help`: an unknown or malformed option
 * writes `ttc <command>: <why>` and the usage to stderr and gives exit code 2;
 * a set `help` option (declare it in `config.options`) writes the usage to
 * stdout and gives 0.
 *
 * @param command - the command's name, e.g. `"train"`
 * @param usage - its usage text
 * @param config - `parseArgs`' config (args, options, allowPositionals)
 * @returns the parsed values and positionals, or the exit code to return at once
 * @example
 * const parsed = parseCommand("train", TRAIN_USAGE, { args: argv, options: { help: { type: "boolean", short: "h" } } });
 * if (typeof parsed === "number") return parsed;
 */
export function parseCommand<T extends ParseArgsConfig>(command: string, usage: string, config: T, io: CommandIo = {}): ReturnType<typeof parseArgs<T>> | number {
  const { out, err } = commandWriters(io);
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    err(`ttc ${command}: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    out(usage);
    return 0;
  }
  return parsed;
}

/**
 * How every command answers an error from its work: a {@link TtcError} (bad
 * input, a missing file, a failed server) is written to stderr as
 * `ttc <command>: <message>` and gives exit code 2; anything else is a bug and
 * is thrown on.
 *
 * @returns 2
 * @throws `e` itself when it is not a TtcError
 * @example
 * try { ... } catch (e) { return commandFailure("train", e); }
 */
export function commandFailure(command: string, e: unknown, io: CommandIo = {}): number {
  if (!(e instanceof TtcError)) throw e;
  commandWriters(io).err(`ttc ${command}: ${e.message}\n`);
  return 2;
}
