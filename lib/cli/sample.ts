/**
 * `ttc sample`: collect a graded sample dump from an OpenAI-compatible server,
 * resumably.
 *
 *   ttc sample --endpoint URL --model NAME --dataset FILE --n N --out dump.jsonl [options]
 *   ttc sample --checkpoint DIR --problems P --n N --out dump.parquet [options]   (sample-tiny.ts)
 *
 * Exit codes: 0 done, 2 bad usage, input or a server failure, 130 interrupted (rerun to resume).
 */
import { existsSync } from "node:fs";
import { TtcError } from "../core/errors.ts";
import { collectSamples } from "../llm/collect-samples.ts";
import { formatCollectProgress } from "../llm/format-collect-progress.ts";
import { OpenAICompatiblePolicy } from "../llm/openai-compatible-policy.ts";
import { readProblems, type DatasetProblem } from "../llm/read-problems.ts";
import { commandFailure, type CommandIo, commandWriters, parseCommand } from "./parse-command.ts";
import { sampleTinyCommand } from "./sample-tiny.ts";

const USAGE = `usage:
  ttc sample --endpoint URL --model NAME --dataset FILE --n N --out dump.jsonl [options]

Samples N completions of every problem in FILE (JSONL of {"id", "problem", "answer"}) from an
OpenAI-compatible server (vLLM, llama.cpp, Ollama), grades them (\\boxed{} / #### answers) and appends
each one to the dump as it finishes. Rerun the same command to resume: samples already in the dump
are skipped, and a damaged last line left by a killed run is cut off.

options:
  --endpoint URL       the server's OpenAI base URL, e.g. http://127.0.0.1:8000/v1 (a bare origin gets /v1)
  --model NAME         the served model name
  --dataset FILE       problems, one JSON object per line
  --n N                samples per problem
  --out FILE           the dump (JSONL, appended to)
  --max-tokens N       most tokens per sample (default 1024)
  --temperature T      sampling temperature (default 0.8)
  --top-p P            nucleus mass (default 1)
  --concurrency N      requests in flight (default 8)
  --seed N             run seed; sample k of problem p is always seeded the same (default 0)
  --chat               use /v1/chat/completions (the problem as a user message) instead of /v1/completions
  --prompt TEMPLATE    prompt text with {problem} in it (default: the problem alone)
  --api-key KEY        bearer token (default: $OPENAI_API_KEY when set)
  --quiet              no progress lines

For a shipped tiny policy instead of a server: ttc sample --checkpoint DIR ... (ttc sample --checkpoint x --help)
`;

/** Where the command writes, and a signal that stops it like Ctrl-C (tests). */
export interface SampleCommandIo extends CommandIo {
  signal?: AbortSignal;
}

/**
 * Run `ttc sample` with `argv` (the arguments after `sample`).
 *
 * @param argv - e.g. `["--endpoint", "http://127.0.0.1:8000/v1", "--model", "m", "--dataset", "p.jsonl", "--n", "4", "--out", "d.jsonl"]`
 * @param io - output sinks (default process.stdout / stderr) and an optional stop signal; SIGINT also stops the run
 * @returns the exit code: 0 done, 2 bad usage / input / server failure, 130 stopped before the end
 */
export async function sampleCommand(argv: string[], io: SampleCommandIo = {}): Promise<number> {
  const { out, err } = commandWriters(io);
  if (argv.some((a) => a === "--checkpoint" || a.startsWith("--checkpoint="))) return sampleTinyCommand(argv, io);
  const parsed = parseCommand("sample", USAGE, {
    args: argv,
    options: {
      endpoint: { type: "string" },
      model: { type: "string" },
      dataset: { type: "string" },
      n: { type: "string" },
      out: { type: "string" },
      "max-tokens": { type: "string" },
      temperature: { type: "string" },
      "top-p": { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
      chat: { type: "boolean" },
      prompt: { type: "string" },
      "api-key": { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  }, io);
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const stop = new AbortController();
  const onSigint = () => stop.abort(new TtcError("interrupted"));
  process.once("SIGINT", onSigint);
  const onOuter = () => stop.abort(io.signal?.reason);
  io.signal?.addEventListener("abort", onOuter, { once: true });
  try {
    for (const name of ["endpoint", "model", "dataset", "n", "out"] as const) {
      if (values[name] === undefined) throw new TtcError(`ttc sample requires --${name}, got none (ttc sample --help)`);
    }
    const number = (name: string, text: string | undefined, fallback: number, integer: boolean): number => {
      if (text === undefined) return fallback;
      const v = Number(text);
      if (text.trim() === "" || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v))) throw new TtcError(`ttc sample requires --${name} to be ${integer ? "an integer" : "a number"}, got "${text}"`);
      return v;
    };
    const template = values.prompt;
    if (template !== undefined && !template.includes("{problem}")) throw new TtcError(`ttc sample requires --prompt to contain {problem}, got ${JSON.stringify(template)}`);
    const apiKey = values["api-key"] ?? process.env.OPENAI_API_KEY;
    const concurrency = number("concurrency", values.concurrency, 8, true);
    const policy = new OpenAICompatiblePolicy({
      endpoint: values.endpoint as string,
      model: values.model as string,
      api: values.chat ? "chat" : "completions",
      http: { concurrency, ...(apiKey ? { apiKey } : {}) },
    });
    if (!existsSync(values.dataset as string)) throw new TtcError(`ttc sample requires --dataset to name an existing file, got ${JSON.stringify(values.dataset)}`);
    const problems = await readProblems(values.dataset as string);
    const n = number("n", values.n, 1, true);
    let lastPrint = -Infinity;
    const result = await collectSamples({
      policy,
      problems,
      n,
      out: values.out as string,
      seed: number("seed", values.seed, 0, true),
      maxTokens: number("max-tokens", values["max-tokens"], 1024, true),
      temperature: number("temperature", values.temperature, 0.8, false),
      topP: number("top-p", values["top-p"], 1, false),
      concurrency,
      ...(template === undefined ? {} : { prompt: (p: DatasetProblem) => template.replaceAll("{problem}", p.problem) }),
      signal: stop.signal,
      onProgress: (p) => {
        const now = performance.now();
        if (values.quiet || (now - lastPrint < 1000 && p.done < p.total)) return;
        lastPrint = now;
        err(`[ttc sample] ${formatCollectProgress(p)}\n`);
      },
    });
    if (result.droppedTail) err(`[ttc sample] cut off a damaged last line of ${values.out} (line ${result.droppedTail.line}, ${result.droppedTail.bytes} bytes: ${result.droppedTail.reason}) left by an interrupted run\n`);
    const line = `${values.out}: ${result.skipped + result.written}/${result.total} samples (${result.skipped} already there, ${result.written} new, ${result.tokens} tokens generated)`;
    if (result.aborted) {
      err(`ttc sample: stopped; ${line}. Rerun the same command to resume.\n`);
      return 130;
    }
    out(`${line}\n`);
    return 0;
  } catch (e) {
    return commandFailure("sample", e, io);
  } finally {
    process.removeListener("SIGINT", onSigint);
    io.signal?.removeEventListener("abort", onOuter);
  }
}
