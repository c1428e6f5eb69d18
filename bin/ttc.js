#!/usr/bin/env node
// The `ttc` command. In a checkout (the TypeScript sources are present) it runs
// them through tsx, so it never runs a stale build; in an installed package
// (only dist/ is shipped) it runs the compiled CLI.
import { existsSync } from "node:fs";

const source = new URL("../lib/cli/ttc.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import(new URL("../dist/lib/cli/ttc.js", import.meta.url).href);
}
