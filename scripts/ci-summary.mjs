// Prints the one line CI reads, counted from vitest's JSON report: "N passed, N failed[, N skipped]".
import { readFileSync } from "node:fs";

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
let passed = 0, failed = 0, skipped = 0;
for (const suite of report.testResults ?? []) {
  for (const t of suite.assertionResults ?? []) {
    if (t.status === "passed") passed++;
    else if (t.status === "failed") failed++;
    else skipped++;
  }
  // A file that failed to load has no assertions but must still count as a failure.
  if ((suite.assertionResults ?? []).length === 0 && suite.status === "failed") failed++;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
