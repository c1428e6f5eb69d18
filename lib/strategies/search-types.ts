import type { Rng } from "../core/rng.ts";
import type { Aggregation } from "../rewards/aggregate-scores.ts";
import type { Verifier } from "../rewards/verifier.ts";
import type { Ledger, LedgerPricing } from "./ledger.ts";
import type { Policy } from "./policy.ts";

/** The collaborators every strategy talks to. */
export interface SearchCollaborators {
  /** Extends prefixes step by step. */
  policy: Policy;
  /** Scores steps; needed by every selection and search except plain majority voting. */
  verifier?: Verifier;
  /** Random source; problem `p` draws from `rng.fork("problem:" + p)`, so a batch equals its problems run one by one. */
  rng: Rng;
}

/** How the final answer is chosen from a pool of finished candidates. */
export type Selection = "naive" | "majority" | "weighted";

/** Options every strategy shares. */
export interface SearchOptions {
  /** The answer a solution text commits to (`null`/`undefined` for none); numbers are turned into strings. */
  extractAnswer: (text: string) => string | number | null | undefined;
  /** How step scores become one score per candidate. Default `"last"`. */
  aggregate?: Aggregation;
  /** Sampling temperature. Default 1. */
  temperature?: number;
  /** Nucleus mass. Default 1. */
  topP?: number;
  /** Most tokens per step. Default 256. */
  maxStepTokens?: number;
  /** Most tokens of a whole solution (one-call generation, and the last round of a search). Default 2048. */
  maxTokens?: number;
  /** Most rounds (steps) of a step-wise search; the last round generates to the end. Default 40 (search-and-learn's num_iterations). */
  maxSteps?: number;
  /** How the ledger prices tokens. Default: counts only. */
  pricing?: LedgerPricing;
}

/** Why a candidate stopped. */
export type CandidateStatus = "finished" | "truncated" | "unfinished" | "rejected";

/** One solution a strategy produced. */
export interface Candidate {
  /** The text after the prompt. */
  text: string;
  /** `text` cut after each step separator (the last piece may lack one). */
  steps: string[];
  /** The verifier's score after each step (empty when never scored; partial when rejected early). */
  stepScores: number[];
  /** `stepScores` aggregated, or null when never scored. */
  score: number | null;
  /** The extracted answer, or null. */
  answer: string | null;
  /** Tokens the policy generated for this text (rollouts and siblings not included). */
  tokens: number;
  /** finished (end of sequence), truncated (token or step limit), unfinished (search stopped it), rejected (early rejection). */
  status: CandidateStatus;
}

/** One problem's outcome. */
export interface ProblemResult {
  prompt: string;
  /** The chosen answer, or null when no candidate had one. */
  answer: string | null;
  /** Index of the chosen candidate in `candidates`, or −1. */
  chosen: number;
  candidates: Candidate[];
  /** Indices of the candidates the final selection chose among. */
  pool: number[];
  ledger: Ledger;
}

/** What a strategy returns for a batch of problems. */
export interface SearchResult {
  /** One result per prompt, in order. */
  problems: ProblemResult[];
  /** The sum of the problems' ledgers. */
  ledger: Ledger;
}
