import { describe, it, expect } from "vitest";
import { tslabDisplay } from "./tslab-display.ts";
import { TtcError } from "../core/errors.ts";

describe("tslabDisplay", () => {
  it("explains how to get tslab when it cannot be imported", async () => {
    const load = () => Promise.reject(new Error("Cannot find package 'tslab'\n  at somewhere"));
    const err = await tslabDisplay(load).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtcError);
    expect((err as Error).message).toBe(
      "show requires the tslab package (npm install --save-dev tslab; run inside a tslab Jupyter kernel) or options.display, got import error: Cannot find package 'tslab'",
    );
  });

  it("rejects a module without display.html", async () => {
    await expect(tslabDisplay(async () => ({}))).rejects.toThrow(TtcError);
  });

  it("forwards html to display.html, from named or default exports, and is stable", async () => {
    const seen: string[] = [];
    const display = { html: (s: string) => void seen.push(s) };
    const a = await tslabDisplay(async () => ({ display }));
    const b = await tslabDisplay(async () => ({ default: { display } }));
    expect(a).toBe(b);
    a("<p>x</p>");
    expect(seen).toEqual(["<p>x</p>"]);
  });

  it("wraps a kernel that is not ready", async () => {
    const display = {
      html: () => {
        throw new Error("Not ready");
      },
    };
    const fn = await tslabDisplay(async () => ({ display }));
    expect(() => fn("x")).toThrow(
      "show requires a running tslab kernel (call it from a notebook cell) or options.display, got tslab error: Not ready",
    );
  });
});
