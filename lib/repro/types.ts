import type { Figure } from "../plot/figure.ts";

/** The preset every reproduction must provide: seconds, used by the tests. */
export const SMOKE = "smoke";
/** The preset that draws the paper's figure: minutes on a laptop. */
export const FULL = "full";

/** Fields every reproduction's config carries. */
export interface ReproConfig {
  /** Name of the preset this config came from (`"smoke"`, `"full"`, ...). */
  preset: string;
  /** Seed of every random stream in the run; the same seed gives byte-identical results. */
  seed: number;
}

/** A progress callback: `fraction` in [0, 1] when known, and a short message. */
export type Progress = (message: string, fraction?: number) => void;

/** What a claim check says about one result. */
export interface ClaimOutcome {
  /** Whether the claim holds on these results. */
  pass: boolean;
  /** The measured numbers the verdict rests on, for the report (e.g. `"slope −0.98 (want −1 ± 0.1)"`). */
  measured: string;
}

/**
 * One of a paper's claims, written as a check that could fail on the results.
 * A claim never restates its input: it compares measured numbers against the
 * paper's statement.
 */
export interface Claim<R> {
  /** Short kebab-case id, unique within a reproduction. */
  id: string;
  /** The claim in one sentence, in our words. */
  statement: string;
  /** Where the paper makes it: paper, section/figure/theorem. */
  source: string;
  /** Presets on which the check is meaningful (others report it as skipped). */
  presets: readonly string[];
  /**
   * Presets on which the claim is known NOT to hold on our models, and why. Such a claim is still
   * checked and reported ("does not hold", with its numbers) but does not fail the run; if it starts
   * to hold, the report says so. Never used to hide a failure: the reason must say what was measured.
   */
  knownToFail?: { presets: readonly string[]; reason: string };
  /** Evaluate the claim on a run's results. */
  check(results: R): ClaimOutcome;
}

/**
 * A reproduction of one paper figure: the DESIGN.md §5 contract gathered in
 * one object (the files `config.ts`, `run.ts` and `claims.ts` supply its parts).
 */
export interface Reproduction<C extends ReproConfig = ReproConfig, R = unknown> {
  /** Folder name under `reproductions/`, e.g. `"saha24-attention-io"`. */
  id: string;
  /** One line: paper and what the figure shows. */
  title: string;
  /** Where the samples come from: `analytic`, `sim`, `tiny`, `kernel` (REPRODUCTIONS.md). */
  world: string;
  /** Named presets; must include `smoke` and `full`. */
  presets: Readonly<Record<string, C>>;
  /** Preset used by the main job (`npm run repro`): `full` unless that is too slow for the default run. */
  defaultPreset: string;
  /** Pure: no file system, randomness only from `config.seed`. */
  run(config: C, progress?: Progress): R | Promise<R>;
  /** Build the figure from results (pure). */
  figure(results: R): Figure;
  /** The paper's claims as checks. */
  claims: readonly Claim<R>[];
}
