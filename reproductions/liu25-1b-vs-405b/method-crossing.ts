/** Accuracy of each method in one setting (a policy × reward model, or one difficulty level of it). */
export interface SettingScores {
  /** Names the setting in reports, e.g. `"policy-35k / prm-60k / L2"`. */
  label: string;
  /** Method name → accuracy. */
  scores: Record<string, number>;
}

/** Two settings whose best methods differ, each winning in its own setting by at least the margin. */
export interface Crossing {
  a: { label: string; best: string; lead: number };
  b: { label: string; best: string; lead: number };
}

/** The best method of a setting (first listed on ties) and its accuracy. */
export function bestMethod(s: SettingScores): { method: string; accuracy: number } {
  let best = { method: "", accuracy: -Infinity };
  for (const [method, accuracy] of Object.entries(s.scores)) if (accuracy > best.accuracy) best = { method, accuracy };
  return best;
}

/**
 * Find the strongest crossing: settings A and B whose best methods X ≠ Y are
 * each ahead of the other's winner in their own setting — X beats Y in A by
 * `leadA` and Y beats X in B by `leadB`. "The best method depends on the
 * setting" holds with margin m when the returned crossing has min(leadA,
 * leadB) ≥ m. Settings where no method scores above zero are skipped (no
 * winner to speak of).
 *
 * @param settings - accuracy per method in each setting (every setting must score both methods compared)
 * @returns the crossing with the largest smaller lead, or undefined when no two settings have different winners
 * @example
 * methodCrossing([{ label: "a", scores: { bon: 0.5, beam: 0.3 } }, { label: "b", scores: { bon: 0.2, beam: 0.4 } }])
 * // { a: { label: "a", best: "bon", lead: 0.2 }, b: { label: "b", best: "beam", lead: 0.2 } }
 * @see Liu et al. 2025 §4 (the compute-optimal TTS method depends on the policy, the PRM and the problem difficulty)
 */
export function methodCrossing(settings: readonly SettingScores[]): Crossing | undefined {
  const live = settings.filter((s) => Object.values(s.scores).some((v) => v > 0));
  let best: Crossing | undefined;
  const size = (c: Crossing) => Math.min(c.a.lead, c.b.lead);
  for (const a of live) {
    const x = bestMethod(a);
    for (const b of live) {
      const y = bestMethod(b);
      if (a === b || x.method === y.method) continue;
      const leadA = x.accuracy - (a.scores[y.method] ?? -Infinity);
      const leadB = y.accuracy - (b.scores[x.method] ?? -Infinity);
      const c: Crossing = { a: { label: a.label, best: x.method, lead: leadA }, b: { label: b.label, best: y.method, lead: leadB } };
      if (best === undefined || size(c) > size(best)) best = c;
    }
  }
  return best;
}
