import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../lib/core/backend.ts";
import { claims, figure, presets, run } from "./run.ts";

describe("hydragen24-shared-prefix smoke", () => {
  beforeAll(async () => void (await selectBackend({ name: "cpu" })));

  it("is exact, untimed, deterministic, leaks no tensors, and draws the modelled-bytes figure", () => {
    const before = tf.memory().numTensors;
    const a = run(presets.smoke);
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.stringify(run(presets.smoke))).toBe(JSON.stringify(a));
    expect(a.timed).toBe(false);
    expect(a.points.every((p) => p.speedup === null)).toBe(true);
    expect(claims.find((c) => c.id === "exact")?.check(a).pass).toBe(true);
    // Shared reads P + B·S tokens per step instead of B·(P + S): at B = 1 the two are equal.
    for (const p of a.points) expect(p.sharedKvBytes <= p.naiveKvBytes && (p.batch > 1 || p.sharedKvBytes === p.naiveKvBytes)).toBe(true);
    expect(figure(a).data.length).toBe(2 * presets.smoke.prefixLengths.length);
  });

  it("timing claims refuse untimed results instead of passing", () => {
    const r = run(presets.smoke);
    expect(() => claims.find((c) => c.id === "speedup-grows-with-batch")?.check(r)).toThrow("speedup-grows-with-batch requires timed results");
  });
});
