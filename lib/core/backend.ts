import * as tf from "@tensorflow/tfjs";
import { TtcError, UnknownNameError } from "./errors.ts";

/** Backends ttc-lab knows how to start, in the order `selectBackend` tries them. */
export const BACKENDS = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** What a run records about the tensor backend it used. */
export interface BackendInfo {
  /** tfjs backend name, e.g. `"wasm"`. */
  name: string;
  /** Why this backend was chosen: `"explicit"` (argument), `"env"` (TTC_BACKEND), `"argv"` (--backend), or `"auto"`. */
  chosenBy: "explicit" | "env" | "argv" | "auto";
  /** @tensorflow/tfjs-core version. */
  tfjsVersion: string;
  /** `node 20.20.2`, `deno 2.9.6`, ... */
  runtime: string;
  /** Backend-specific facts (wasm: SIMD and threads flags). */
  details: Record<string, string | number | boolean>;
}

export interface SelectBackendOptions {
  /** Use this backend and nothing else (beats env and argv). */
  name?: string;
  /** Environment to read `TTC_BACKEND` from; defaults to the process environment where one exists. */
  env?: Record<string, string | undefined>;
  /** Command-line arguments to read `--backend NAME` / `--backend=NAME` from; defaults to the process arguments. */
  argv?: readonly string[];
}

let current: BackendInfo | undefined;

/**
 * Choose and initialise the tfjs backend: the one named explicitly, else by the
 * `TTC_BACKEND` environment variable, else by a `--backend` argument; else the
 * first of `tensorflow` (tfjs-node, when the user installed it), `wasm`, `cpu`
 * that starts.
 *
 * @returns what was chosen; also kept for {@link describeBackend}
 * @throws UnknownNameError when the requested name is not a known backend (the message lists them)
 * @throws TtcError when the requested backend is known but cannot start here (e.g. tfjs-node not installed)
 * @example
 * const info = await selectBackend({ name: "cpu" });
 * console.log(info.name); // "cpu"
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined>; argv?: string[] } }).process;
  const env = options.env ?? proc?.env ?? {};
  const argv = options.argv ?? proc?.argv ?? [];
  let requested: string | undefined;
  let chosenBy: BackendInfo["chosenBy"] = "auto";
  if (options.name !== undefined) [requested, chosenBy] = [options.name, "explicit"];
  else if (env.TTC_BACKEND) [requested, chosenBy] = [env.TTC_BACKEND, "env"];
  else {
    const fromArgv = backendFromArgv(argv);
    if (fromArgv !== undefined) [requested, chosenBy] = [fromArgv, "argv"];
  }

  if (requested !== undefined) {
    if (!(BACKENDS as readonly string[]).includes(requested)) {
      throw new UnknownNameError("selectBackend", "backend", requested, BACKENDS);
    }
    const failure = await start(requested as BackendName);
    if (failure) throw new TtcError(`selectBackend could not start backend "${requested}": ${failure}`);
  } else {
    const reasons: string[] = [];
    let started = false;
    for (const name of BACKENDS) {
      const failure = await start(name);
      if (!failure) {
        started = true;
        break;
      }
      reasons.push(`${name}: ${failure}`);
    }
    if (!started) throw new TtcError(`selectBackend could not start any backend (${reasons.join("; ")})`);
  }
  current = { name: tf.getBackend(), chosenBy, tfjsVersion: tf.version_core, runtime: runtimeName(), details: details() };
  return current;
}

/**
 * Describe the active backend (selecting the default one first if nothing has
 * been selected yet).
 */
export async function describeBackend(): Promise<BackendInfo> {
  if (current === undefined || current.name !== tf.getBackend()) return selectBackend();
  return current;
}

/** Parse `--backend NAME` or `--backend=NAME` out of an argument list. */
export function backendFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--backend") return argv[i + 1];
    if (a.startsWith("--backend=")) return a.slice("--backend=".length);
  }
  return undefined;
}

/** Start one backend; returns a reason string on failure, undefined on success. */
async function start(name: BackendName): Promise<string | undefined> {
  try {
    if (name === "tensorflow") {
      // Only a real tfjs-node registers "tensorflow"; a package aliased to plain
      // tfjs (as danfojs-node's install here does) imports fine but does not.
      const spec = "@tensorflow/tfjs-node";
      await import(/* @vite-ignore */ spec);
      if (!tf.findBackendFactory("tensorflow")) return "@tensorflow/tfjs-node is not installed";
    } else if (name === "wasm") {
      await import("@tensorflow/tfjs-backend-wasm");
    }
    const ok = await tf.setBackend(name);
    if (!ok) return "tfjs refused to initialise it";
    await tf.ready();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split("\n")[0] : String(e);
  }
}

function details(): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (tf.getBackend() === "wasm") {
    out.simd = Boolean(tf.env().getBool("WASM_HAS_SIMD_SUPPORT"));
    out.threads = Boolean(tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT"));
  }
  return out;
}

/** `node 20.20.2`, `deno 2.9.6`, or `unknown`. */
export function runtimeName(): string {
  const g = globalThis as { Deno?: { version?: { deno?: string } }; process?: { versions?: { node?: string } } };
  if (g.Deno?.version?.deno) return `deno ${g.Deno.version.deno}`;
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`;
  return "unknown";
}
