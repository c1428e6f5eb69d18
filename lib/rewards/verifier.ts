/** Step scores for a batch of solutions, with the compute used. */
export interface ScoreStepsResult {
  /** `scores[i][s]` ∈ [0, 1]: the verifier's score of solution i after step s (a partial last step is scored too). */
  scores: number[][];
  usage: {
    /** Tokens the verifier read. */
    tokens: number;
  };
}

/**
 * A process (or outcome) reward model: scores every step prefix of each
 * solution to a problem. An outcome verifier returns one score per solution
 * (for the last step). Strategies aggregate step scores with last / min /
 * prod / mean (search-and-learn, OpenR).
 */
export interface Verifier {
  /** A short name for reports, e.g. `"prm-tiny"`. */
  readonly name: string;
  /**
   * Score the steps of `solutions` (each the text after the prompt, steps
   * separated by the policy's separator) for the problem `prompt`.
   */
  scoreSteps(prompt: string, solutions: readonly string[]): Promise<ScoreStepsResult>;
}
