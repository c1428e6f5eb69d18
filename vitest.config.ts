import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["lib/**/*.test.ts", "reproductions/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "out/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests that spawn npm, deno or jupyter are heavy; two cores, so two workers.
    maxWorkers: 2,
  },
});
