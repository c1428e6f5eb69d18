// Print the plain "N passed, N failed, N skipped" line CI reads, from vitest's
// JSON report. A failed typecheck counts as one more failure. Exits 1 when
// anything failed or the report is missing.
import { existsSync, readFileSync } from "node:fs";

const [file, typecheckStatus = "0"] = process.argv.slice(2);
const typecheckFailed = typecheckStatus !== "0" ? 1 : 0;
if (!file || !existsSync(file)) {
  console.log(`vitest wrote no report (${file}); counting the run as failed`);
  console.log(`0 passed, ${1 + typecheckFailed} failed`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, "utf8"));
// A test file that fails to load counts as a failure even though it ran no test.
const brokenFiles = (report.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + brokenFiles + typecheckFailed;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
if (typecheckFailed) console.log("typecheck failed (counted as one failure)");
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
