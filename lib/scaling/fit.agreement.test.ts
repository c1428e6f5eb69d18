import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fit, type FitOptions } from "./fit.ts";
import type { Law, Params } from "./law.ts";
import { chinchilla } from "./laws/chinchilla.ts";
import { exponentiatedPowerLaw } from "./laws/exponentiated-power-law.ts";
import { logLinear } from "./laws/log-linear.ts";
import { powerLawWithFloor } from "./laws/power-law-with-floor.ts";
import { powerLaw } from "./laws/power-law.ts";
import { saturatingExponential, ttspm } from "./laws/saturating.ts";
import { sigmoidCompute } from "./laws/sigmoid-compute.ts";

/**
 * Agreement with scipy: test/fixtures/scaling/reference.json holds datasets and the
 * parameters and standard errors scipy.optimize.curve_fit (least_squares for Huber)
 * finds on them; make_reference.py beside it regenerates the file.
 */
interface ReferenceCase {
  name: string;
  law: string;
  options: { space: "linear" | "log"; loss: "l2" | "huber"; huberDelta?: number };
  x: number[] | [number, number][];
  y: number[];
  weights?: number[];
  farStart: Params;
  params: Params;
  stderr: Params | null;
  restartAgreement: number;
}

const root = join(import.meta.dirname, "..", "..");
const reference = JSON.parse(readFileSync(join(root, "test/fixtures/scaling/reference.json"), "utf8")) as { cases: ReferenceCase[] };
const LAWS: Record<string, Law> = { powerLaw, powerLawWithFloor, exponentiatedPowerLaw, chinchilla, sigmoidCompute, logLinear, ttspm, saturatingExponential };

/** Max relative difference over the named parameters. */
function maxRelError(got: Params, want: Params): number {
  return Math.max(...Object.keys(want).map((k) => Math.abs((got[k] as number) - (want[k] as number)) / Math.abs(want[k] as number)));
}

/** The same law without its analytic Jacobian, so the fit falls back on central differences. */
function withoutJacobian(law: Law): Law {
  const { jacobian: _dropped, ...rest } = law;
  return { ...rest, name: `${law.name} (finite differences)` };
}

describe("fit agrees with scipy's curve_fit", () => {
  it("covers every law in the catalogue", () => {
    expect(new Set(reference.cases.map((c) => c.law))).toEqual(new Set(Object.keys(LAWS)));
  });

  for (const c of reference.cases) {
    const law = LAWS[c.law] as Law;
    const data = { x: c.x, y: c.y, ...(c.weights ? { weights: c.weights } : {}) };
    const variants: [string, Law, FitOptions][] = [
      ["the law's own starts", law, c.options],
      ["a start far from the optimum", law, { ...c.options, starts: [c.farStart] }],
      ["finite differences", withoutJacobian(law), c.options],
    ];
    for (const [label, l, options] of variants) {
      it(`${c.name}: ${label}`, () => {
        const r = fit(l, data, options);
        expect(maxRelError(r.params, c.params)).toBeLessThan(1e-6);
        if (c.stderr !== null) expect(maxRelError(r.stderr, c.stderr)).toBeLessThan(1e-3);
      });
    }
  }
});
