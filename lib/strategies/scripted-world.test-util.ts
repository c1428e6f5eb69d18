/**
 * Tiny scripted worlds for the strategy tests, small enough to count by hand.
 *
 * Tree world: prompt "Q\n"; every character is a token. A solution of depth D
 * is D steps, each one letter: "a\n", "b\n", …, and the last one "a." (the
 * period ends the sequence). Continuation j of any prefix takes letter j mod B
 * at every step; temperature 0 takes "a". A step cut after its letter continues
 * with its "\n" (or "."). The answer is the letters of a finished solution.
 */
import type { Verifier } from "../rewards/verifier.ts";
import type { Policy, SampleStepsOptions, StepSample } from "./policy.ts";

export const TREE_PROMPT = "Q\n";
const LETTERS = "abcdefghij";

/** The letters of a tree-world solution text ("a\nb." → "ab"). */
export function treePath(text: string): string {
  return text.replace(/[\n.]/g, "");
}

/** The answer of a finished tree-world solution, else null. */
export function treeAnswer(text: string): string | null {
  return text.endsWith(".") ? treePath(text) : null;
}

/** A deterministic tree policy with branching `b` and depth `d`. */
export function treePolicy(b: number, d: number): Policy {
  const one = (prefix: string, j: number, o: SampleStepsOptions): StepSample => {
    const sol = prefix.slice(TREE_PROMPT.length);
    let path = treePath(sol);
    let pending = sol.length > 0 && !sol.endsWith("\n") && !sol.endsWith(".") ? 1 : 0; // a cut step: its letter is written
    if (sol.endsWith(".")) return { text: "", tokens: 0, finished: true, stepEnded: false };
    let text = "";
    while (text.length < o.maxTokens) {
      if (pending === 0) {
        const letter = o.temperature === 0 ? "a" : (LETTERS[j % b] as string);
        text += letter;
        path += letter;
        if (text.length >= o.maxTokens) break;
      }
      pending = 0;
      const last = path.length === d;
      text += last ? "." : "\n";
      if (last) return { text, tokens: text.length, finished: true, stepEnded: false };
      if (o.stopAtStepEnd) return { text, tokens: text.length, finished: false, stepEnded: true };
    }
    return { text, tokens: text.length, finished: false, stepEnded: text.endsWith("\n") };
  };
  return {
    name: `tree-${b}x${d}`,
    stepSeparator: "\n",
    countTokens: (t) => t.length,
    async sampleSteps(prefixes, o) {
      const n = o.n ?? 1;
      const samples = prefixes.map((p) => Array.from({ length: n }, (_, j) => one(p, j, o)));
      const generatedTokens = samples.flat().reduce((a, s) => a + s.tokens, 0);
      return { samples, usage: { promptTokens: n * prefixes.reduce((a, p) => a + p.length, 0), generatedTokens } };
    },
  };
}

/** A verifier scoring step s of a tree-world solution as `value(letters of steps 0..s)`; tokens = characters read. */
export function treeVerifier(value: (path: string) => number): Verifier {
  return {
    name: "tree-prm",
    async scoreSteps(prompt, solutions) {
      const scores = solutions.map((s) => {
        const path = treePath(s);
        return path.length === 0 ? [0.5] : Array.from(path, (_, i) => value(path.slice(0, i + 1)));
      });
      return { scores, usage: { tokens: solutions.reduce((a, s) => a + prompt.length + s.length, 0) } };
    },
  };
}

/** Every leaf path of a tree with branching b and depth d, in lexicographic order. */
export function allLeaves(b: number, d: number): string[] {
  let paths = [""];
  for (let i = 0; i < d; i++) paths = paths.flatMap((p) => Array.from(LETTERS.slice(0, b), (l) => p + l));
  return paths;
}

/** Counts of what a policy and a verifier were asked to do, from their own reported usage. */
export interface Meter {
  policyCalls: number;
  promptTokens: number;
  generatedTokens: number;
  verifierCalls: number;
  verifierTokens: number;
}

/** Wrap a policy and a verifier so that every call and its reported usage is counted. */
export function metered(policy: Policy, verifier: Verifier): { policy: Policy; verifier: Verifier; meter: Meter } {
  const meter: Meter = { policyCalls: 0, promptTokens: 0, generatedTokens: 0, verifierCalls: 0, verifierTokens: 0 };
  return {
    meter,
    policy: {
      name: policy.name,
      stepSeparator: policy.stepSeparator,
      countTokens: (t) => policy.countTokens(t),
      async sampleSteps(prefixes, o) {
        const r = await policy.sampleSteps(prefixes, o);
        meter.policyCalls++;
        meter.promptTokens += r.usage.promptTokens;
        meter.generatedTokens += r.usage.generatedTokens;
        return r;
      },
    },
    verifier: {
      name: verifier.name,
      async scoreSteps(prompt, solutions) {
        const r = await verifier.scoreSteps(prompt, solutions);
        meter.verifierCalls++;
        meter.verifierTokens += r.usage.tokens;
        return r;
      },
    },
  };
}

/**
 * Chain world for short-m@k: prompt "P\n"; sample j of the prompt starts chain
 * j, whose solution is `c<j>` then filler words `f` then `=<answers[j]>` —
 * `lengths[j]` word tokens in all (≥ 2) — and ends the sequence. Tokens are words.
 */
export function chainPolicy(lengths: readonly number[], answers: readonly string[]): Policy {
  const words = (t: string) => (t.trim() === "" ? [] : t.trim().split(/\s+/));
  return {
    name: "chains",
    stepSeparator: "\n",
    countTokens: (t) => words(t).length,
    async sampleSteps(prefixes, o) {
      const n = o.n ?? 1;
      let generatedTokens = 0;
      const samples = prefixes.map((prefix) =>
        Array.from({ length: n }, (_, j): StepSample => {
          const have = words(prefix.slice(2));
          const chain = have.length === 0 ? j : Number((have[0] as string).slice(1));
          const all = [`c${chain}`, ...Array.from({ length: (lengths[chain] as number) - 2 }, () => "f"), `=${answers[chain]}`];
          const next = all.slice(have.length, have.length + o.maxTokens);
          generatedTokens += next.length;
          const done = have.length + next.length === all.length;
          return { text: next.map((w) => ` ${w}`).join(""), tokens: next.length, finished: done, stepEnded: false };
        }),
      );
      return { samples, usage: { promptTokens: n * prefixes.reduce((a, p) => a + words(p).length, 0), generatedTokens } };
    },
  };
}
