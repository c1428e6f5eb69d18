import * as tf from "@tensorflow/tfjs";
import { TtcError, UnknownNameError } from "./errors.ts";

/**
 * Backends ttc-lab knows how to start. `selectBackend` tries the first three in
 * this order when none is named; `webgpu` starts only when asked for.
 */
export const BACKENDS = ["tensorflow", "wasm", "cpu", "webgpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The backends `selectBackend` tries, in order, when none is named. */
export const AUTO_BACKENDS = ["tensorflow", "wasm", "cpu"] as const satisfies readonly BackendName[];

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
  /**
   * Backend-specific facts (wasm: SIMD and threads flags; webgpu: the adapter's
   * `adapterVendor`, `adapterArchitecture`, `adapterDevice`, `adapterDescription`
   * (driver), `fallbackAdapter`, and `gpuProvider` — the `webgpu` npm package or the runtime's own).
   */
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
 * that starts. `webgpu` is never chosen automatically: it runs tfjs's WebGPU
 * backend in Node through the optional `webgpu` npm package (Dawn) on a Vulkan
 * driver (a GPU's, or Mesa's lavapipe) — see docs/webgpu.md.
 *
 * @returns what was chosen; also kept for {@link describeBackend}
 * @throws UnknownNameError when the requested name is not a known backend (the message lists them)
 * @throws TtcError when the requested backend is known but cannot start here (e.g. tfjs-node not
 *   installed; for webgpu: no `webgpu` package, no Vulkan loader, no adapter, or no adapter within
 *   `TTC_WEBGPU_TIMEOUT_MS`, default 20 000)
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
    const failure = await start(requested as BackendName, env);
    if (failure) throw new TtcError(`selectBackend could not start backend "${requested}": ${failure}`);
  } else {
    const reasons: string[] = [];
    let started = false;
    for (const name of AUTO_BACKENDS) {
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
async function start(name: BackendName, env: Record<string, string | undefined> = {}): Promise<string | undefined> {
  try {
    if (name === "webgpu") return await startWebgpu(env);
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
  if (tf.getBackend() === "webgpu" && webgpuAdapter !== undefined) Object.assign(out, webgpuAdapter);
  return out;
}

// ---------------------------------------------------------------------------
// webgpu: tfjs-backend-webgpu on Dawn (the `webgpu` npm package) in Node.

/** Minimal structural types of the WebGPU objects used here (no DOM lib needed). */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** Adapter facts of the started webgpu backend (kept for `details`). */
let webgpuAdapter: Record<string, string | boolean> | undefined;

/** Default wait for `requestAdapter` / backend start before giving up (ms). */
export const WEBGPU_TIMEOUT_MS = 20_000;

/**
 * Start tfjs's webgpu backend. Order matters: `navigator.gpu` (and the GPU*
 * constant globals) must exist before `@tensorflow/tfjs-backend-webgpu` is
 * imported, because it registers itself only when it sees `navigator.gpu`.
 */
async function startWebgpu(env: Record<string, string | undefined>): Promise<string | undefined> {
  const asked = Number(env.TTC_WEBGPU_TIMEOUT_MS);
  const timeoutMs = Number.isFinite(asked) && asked > 0 ? asked : WEBGPU_TIMEOUT_MS;
  if (webgpuAdapter !== undefined && tf.findBackend("webgpu") !== null) {
    // Started before in this process: switch back to it without a new adapter.
    return (await tf.setBackend("webgpu")) ? undefined : "tfjs refused to switch back to it";
  }
  const provided = await provideNavigatorGpu();
  if (typeof provided === "string") return provided;
  const { gpu, provider } = provided;
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await withTimeout(gpu.requestAdapter({ powerPreference: "high-performance" }), timeoutMs, "navigator.gpu.requestAdapter()");
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (adapter === null || adapter === undefined) return await noAdapterReason(env, provider);
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  try {
    await import("@tensorflow/tfjs-backend-webgpu");
  } catch (e) {
    return `@tensorflow/tfjs-backend-webgpu could not be loaded (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`;
  }
  if (!tf.findBackendFactory("webgpu")) return "@tensorflow/tfjs-backend-webgpu did not register (navigator.gpu was not visible to it)";
  const ok = await withTimeout(tf.setBackend("webgpu"), timeoutMs, "tfjs webgpu backend start (requestDevice)");
  if (!ok) return "tfjs refused to initialise it (requestDevice failed)";
  await tf.ready();
  explainSyncReads(tf.backend() as unknown as { readSync: (dataId: object) => unknown });
  webgpuAdapter = {
    adapterVendor: info.vendor ?? "",
    adapterArchitecture: info.architecture ?? "",
    adapterDevice: info.device ?? "",
    adapterDescription: info.description ?? "",
    fallbackAdapter: Boolean(adapter.isFallbackAdapter),
    gpuProvider: provider,
  };
  return undefined;
}

/**
 * Make `navigator.gpu` available: the runtime's own (browsers, Deno) or one
 * created by the `webgpu` npm package (Dawn). Returns a reason when neither exists.
 */
async function provideNavigatorGpu(): Promise<{ gpu: GpuLike; provider: string } | string> {
  const g = globalThis as Record<string, unknown> & { navigator?: { gpu?: GpuLike } };
  if (g.navigator?.gpu) return { gpu: g.navigator.gpu, provider: g.__ttcWebgpuProvider === undefined ? "runtime" : String(g.__ttcWebgpuProvider) };
  let mod: { create: (flags: string[]) => GpuLike; globals: Record<string, unknown> };
  try {
    const spec = "webgpu"; // optional dependency: keep bundlers and tsc from requiring it
    mod = (await import(/* @vite-ignore */ spec)) as typeof mod;
  } catch (e) {
    const why = (e instanceof Error ? e.message.split("\n")[0] : undefined) ?? String(e);
    return (e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && why.includes("webgpu")
      ? "the optional `webgpu` npm package (Dawn) is not installed: npm install webgpu"
      : `the \`webgpu\` npm package (Dawn) failed to load: ${why}`;
  }
  // GPUBufferUsage, GPUMapMode, GPUShaderStage, GPUTextureUsage, ... as tfjs expects them.
  for (const [key, value] of Object.entries(mod.globals)) if (!(key in g)) g[key] = value;
  const gpu = mod.create([]);
  const version = await packageVersion("webgpu");
  const provider = `webgpu${version ? `@${version}` : ""} (Dawn)`;
  if (g.navigator === undefined) Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true, writable: true });
  g.__ttcWebgpuProvider = provider;
  return { gpu, provider };
}

/**
 * tfjs-webgpu reads synchronously (`dataSync`, `arraySync`, moving a tensor to
 * another backend) through an OffscreenCanvas, which Node lacks; turn its
 * `ReferenceError: OffscreenCanvas is not defined` into a TtcError that says what to do.
 */
function explainSyncReads(backend: { readSync: (dataId: object) => unknown }): void {
  if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== "undefined") return;
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    try {
      return readSync(dataId);
    } catch (e) {
      if (e instanceof ReferenceError && e.message.includes("OffscreenCanvas")) {
        throw new TtcError(
          "dataSync()/arraySync() are not available on the webgpu backend in Node (tfjs reads synchronously through an OffscreenCanvas): read with `await tensor.data()`, or use the wasm/cpu backend for this code (docs/webgpu.md)",
        );
      }
      throw e;
    }
  };
}

/** Why no adapter came back: no Vulkan loader, or a loader with no usable driver (ICD). */
async function noAdapterReason(env: Record<string, string | undefined>, provider: string): Promise<string> {
  const proc = (globalThis as { process?: { platform?: string } }).process;
  if (proc?.platform !== "linux") return `no WebGPU adapter (from ${provider}): no usable GPU driver was found`;
  const loader = await vulkanLoaderError();
  if (loader !== undefined) {
    return `no Vulkan loader (libvulkan.so.1: ${loader}): install it (Debian/Ubuntu: apt-get install libvulkan1) plus a driver — a GPU driver's ICD or Mesa's lavapipe (see docs/webgpu.md)`;
  }
  const icds = await vulkanIcds(env);
  const list = icds.length > 0 ? `ICD files: ${icds.join(", ")}` : "no ICD files in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d";
  return `no WebGPU adapter: the Vulkan loader is present but no driver offered an adapter (${list}). Install a GPU driver's Vulkan ICD, or Mesa's lavapipe (Debian 12: mesa-vulkan-drivers 25 from bookworm-backports; Debian 12's own Mesa 22.3 gives no adapter) — see docs/webgpu.md`;
}

/** undefined when libvulkan.so.1 loads, else the loader's error. */
async function vulkanLoaderError(): Promise<string | undefined> {
  const proc = (globalThis as { process?: { dlopen?: (module: { exports: unknown }, filename: string) => void } }).process;
  if (typeof proc?.dlopen !== "function") return undefined;
  try {
    proc.dlopen({ exports: {} }, "libvulkan.so.1");
    return undefined;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // The library loaded but is not a Node addon: the loader exists.
    if (/did not self-register|Module did not|napi|not a valid/i.test(msg)) return undefined;
    return msg.replace(/^libvulkan\.so\.1:\s*/, "");
  }
}

/** Vulkan ICD manifests visible to the loader (VK_DRIVER_FILES / VK_ICD_FILENAMES, else the standard folders). */
async function vulkanIcds(env: Record<string, string | undefined>): Promise<string[]> {
  const explicit = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  if (explicit) return explicit.split(":").filter((s) => s.length > 0);
  try {
    const { readdirSync } = await import("node:fs");
    const out: string[] = [];
    for (const dir of ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"]) {
      try {
        out.push(...readdirSync(dir).filter((f) => f.endsWith(".json")));
      } catch {
        // folder absent
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** The installed version of an npm package, or undefined. */
async function packageVersion(name: string): Promise<string | undefined> {
  try {
    const { createRequire } = await import("node:module");
    const req = createRequire(import.meta.url);
    return (req(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Reject with a TtcError if `p` has not settled within `ms`. */
async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TtcError(`${what} did not answer within ${ms} ms (set TTC_WEBGPU_TIMEOUT_MS to wait longer)`)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `node 20.20.2`, `deno 2.9.6`, or `unknown`. */
export function runtimeName(): string {
  const g = globalThis as { Deno?: { version?: { deno?: string } }; process?: { versions?: { node?: string } } };
  if (g.Deno?.version?.deno) return `deno ${g.Deno.version.deno}`;
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`;
  return "unknown";
}
