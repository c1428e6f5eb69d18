import type { ReproConfig } from "../../lib/repro/types.ts";
import type { PartialReading } from "./partial-scoring-prm.ts";

export interface ErPrmConfig extends ReproConfig {
  /** Checkpoint folder of the policy (relative to the working directory: the repository root for `ttc repro`). */
  policyDir: string;
  /** Checkpoint folder of the process reward model (the policy's architecture, `transformerVerifier` kind "prm"). */
  prmDir: string;
  /** Task levels (lib/tasks LEVELS) the held-out problems are drawn from, `problemsPerLevel` each (test split). */
  levels: number[];
  problemsPerLevel: number;
  /** Beam search budgets N (continuations per round); each is run without and with early rejection. */
  ns: number[];
  /** Beam width M: ⌊N/M⌋ beams kept per round; early rejection keeps 1/M of the candidates after τ tokens (ER-PRM). */
  beamWidth: number;
  /** τ values (tokens into a 12-token step) early rejection is run with. */
  taus: number[];
  /** The N whose plain beam-search rounds feed the partial-vs-final analysis. */
  analysisN: number;
  /**
   * τ values of the partial-vs-final analysis: 1 … 10. A step line is 11 tokens and its separator, so
   * a cut after 11 tokens with a separator appended is the whole step (its reward is the final one by construction).
   */
  analysisTaus: number[];
  /**
   * How early rejection reads a partial step: with a separator appended (`"step-end"`, ER-PRM's code) or
   * at its last token (`"last-token"`, `transformerVerifier`'s reading). The analysis reports both.
   */
  partialReading: PartialReading;
  /** Sampling temperature (ER-PRM's and search-and-learn's default 0.8). */
  temperature: number;
  /** Most tokens per step (a step line is 12): a line that runs on is cut and its beam ends. */
  maxStepTokens: number;
}

const EVERY_CUT = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const MODELS = { policyDir: "data/models/policy-60k", prmDir: "data/models/prm-60k" };

/**
 * Presets. τ: Cheshmi et al. cut after 64 tokens of steps up to 256 (a quarter); our steps are
 * 12 tokens (`+005=724533` and a newline), so τ = 3 is the same quarter — but the first five
 * tokens of a line copy the op and operand from the prompt, and only from τ = 6 does a line hold
 * its own arithmetic. `full` runs both, on levels 1–3: policy-60k's greedy pass@1 is 0.59, 0.29
 * and 0 there (0 on every longer level too, so those would add cost and no signal), 15 problems
 * each, N = 4, 8, 16 with M = 4 (ER-PRM's width). `smoke` takes seconds on the tfjs cpu backend
 * the tests use: three level-1 problems, N ∈ {2, 4} with M = 2. `full-last-token` is `full`
 * with early rejection reading partial steps at their last token instead of at an appended
 * separator (the README compares the two).
 */
const FULL: ErPrmConfig = {
  preset: "full",
  seed: 1,
  ...MODELS,
  levels: [1, 2, 3],
  problemsPerLevel: 15,
  ns: [4, 8, 16],
  beamWidth: 4,
  taus: [3, 6],
  analysisN: 16,
  analysisTaus: EVERY_CUT,
  partialReading: "step-end",
  temperature: 0.8,
  maxStepTokens: 24,
};

export const presets: Record<"smoke" | "full" | "full-last-token", ErPrmConfig> = {
  smoke: {
    preset: "smoke",
    seed: 1,
    ...MODELS,
    levels: [1],
    problemsPerLevel: 3,
    ns: [2, 4],
    beamWidth: 2,
    taus: [6],
    analysisN: 2,
    analysisTaus: EVERY_CUT,
    partialReading: "step-end",
    temperature: 0.8,
    maxStepTokens: 24,
  },
  full: FULL,
  "full-last-token": { ...FULL, preset: "full-last-token", partialReading: "last-token" },
};

/** Registry facts: id, title, world (REPRODUCTIONS.md) and the preset the main job runs. */
export const info = {
  id: "er-prm25-early-rejection",
  title: "Cheshmi et al. 2025, early rejection with partial reward modeling: partial-vs-final PRM reward correlation and P(discard the best candidate) vs τ; beam-search accuracy vs FLOPs with and without early rejection",
  world: "tiny (trained policy-60k and prm-60k, real beam search with a FLOPs ledger)",
  defaultPreset: "full",
} as const;
