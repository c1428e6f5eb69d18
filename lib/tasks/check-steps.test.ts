import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { applyOp, generateProblem, referenceValues } from "./chain-problem.ts";
import { checkSteps } from "./check-steps.ts";
import { formatAnswer, formatSolution, formatStep, parseProblem } from "./format.ts";
import { isCorrect } from "./is-correct.ts";

const p = parseProblem("347+5-8*7"); // reference: +005=724533 (347→352), -008=245433 (352→344), *007=484034 (344→408), #408

describe("checkSteps", () => {
  it("finds the first wrong step and carries errors forward without blaming later steps", () => {
    // step 1 wrong (345 instead of 344); step 2 is right *given* 345 (345×7 = 2415)
    const c = checkSteps(p, "+005=724533\n-008=255433\n*007=554134\n#415");
    expect(c.firstWrongStep).toBe(1);
    expect(c.correctSteps).toBe(1);
    expect(c.lines.map((l) => l.status)).toEqual(["ok", "wrong-result", "wrong-result", "wrong-result"]);
    expect(c.lines.map((l) => l.locallyCorrect)).toEqual([true, false, true, false]);
    expect(c.answer).toBe(415);
    expect(c.answerCorrect).toBe(false);
    expect(c.correct).toBe(false);
  });

  it("tells malformed, wrong-op, missing and extra lines apart", () => {
    expect(checkSteps(p, "+005=724533\n-008=24543\n").lines[1]!.status).toBe("malformed");
    expect(checkSteps(p, "+005=724533\n-008=344\n").lines[1]!.status).toBe("malformed"); // the old, unpaired layout
    expect(checkSteps(p, "+005=724533\n+008=205633\n*007=006235\n#520").lines[1]!.status).toBe("wrong-op");
    expect(checkSteps(p, "+005=724533\n-009=235433\n*007=314034\n#401").lines[1]!.status).toBe("wrong-op");
    const short = checkSteps(p, "+005=724533\n-008=245433");
    expect(short.firstWrongStep).toBe(2);
    expect(short.lines.map((l) => l.status)).toEqual(["ok", "ok", "missing", "missing"]);
    const empty = checkSteps(p, "");
    expect(empty.firstWrongStep).toBe(0);
    expect(empty.answer).toBeUndefined();
    const extra = checkSteps(p, `${formatSolution(p)}\n+001=890044`);
    expect(extra.firstWrongStep).toBe(4);
    expect(extra.lines.at(-1)).toMatchObject({ kind: "extra", status: "extra", text: "+001=890044" });
    expect(extra.answerCorrect).toBe(true);
    expect(extra.correct).toBe(false);
  });

  it("grades the answer line after correct steps", () => {
    const wrongAnswer = checkSteps(p, "+005=724533\n-008=245433\n*007=484034\n#407");
    expect(wrongAnswer.firstWrongStep).toBe(3);
    expect(wrongAnswer.correctSteps).toBe(3);
    expect(wrongAnswer.lines[3]!.status).toBe("wrong-result");
    expect(checkSteps(p, "+005=724533\n-008=245433\n*007=484034\n408").lines[3]!.status).toBe("malformed");
    expect(isCorrect(p, `${formatSolution(p)}\n`)).toBe(true); // one trailing separator tolerated
  });

  it("a guessed right answer with a wrong trace is not correct", () => {
    const c = checkSteps(p, "+005=724533\n-008=205033\n*007=080034\n#408");
    expect(c.answerCorrect).toBe(true);
    expect(c.correct).toBe(false);
    expect(c.firstWrongStep).toBe(1);
  });

  it("tells a miscopied input from a wrong result", () => {
    const miscopied = checkSteps(p, "+005=724533\n-008=355433\n*007=554134\n#415"); // restates 353 instead of 352
    expect(miscopied.lines.map((l) => l.status)).toEqual(["ok", "wrong-input", "wrong-result", "wrong-result"]);
    expect(miscopied.lines.map((l) => l.locallyCorrect)).toEqual([true, false, true, false]);
    const wrongResult = checkSteps(p, "+005=724533\n-008=255433\n*007=554134\n#415");
    expect(wrongResult.lines[1]!.status).toBe("wrong-result");
  });

  it("locates a corrupted step in random problems at every position", () => {
    const r = rng("corrupt");
    for (let level = 1; level <= 8; level++) {
      for (let trial = 0; trial < 40; trial++) {
        const q = generateProblem(r, level);
        const values = referenceValues(q);
        const bad = r.int(q.ops.length);
        // write a wrong value at step `bad`, then continue correctly from the wrong value
        let v = q.start;
        const lines = q.ops.map((op, i) => {
          const input = v;
          if (i < bad) v = values[i]!;
          else if (i === bad) v = (values[i]! + 1 + r.int(999)) % 1000;
          else v = applyOp(v, op);
          return formatStep(input, op, v);
        });
        lines.push(formatAnswer(v));
        const c = checkSteps(q, lines.join("\n"));
        expect(c.firstWrongStep).toBe(bad);
        expect(c.lines.filter((l) => l.kind === "step").every((l, i) => l.locallyCorrect === (i !== bad))).toBe(true);
        expect(isCorrect(q, lines.join("\n"))).toBe(false);
      }
    }
  });
});
