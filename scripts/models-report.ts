// Regenerate the tables of data/models/README.md from the shipped models' manifests.
//   npx tsx scripts/models-report.ts
import { readFileSync, writeFileSync } from "node:fs";
import { modelsReport, REPORT_BEGIN, REPORT_END } from "../lib/models/models-report.ts";

const file = "data/models/README.md";
const text = readFileSync(file, "utf8");
const [head, rest] = text.split(REPORT_BEGIN);
if (rest === undefined || !rest.includes(REPORT_END)) throw new Error(`${file} needs the marker lines ${REPORT_BEGIN} … ${REPORT_END}`);
const tail = rest.slice(rest.indexOf(REPORT_END));
writeFileSync(file, `${head}${REPORT_BEGIN}\n${modelsReport("data/models")}\n${tail}`);
console.log(`updated ${file}`);
