// Prints the failed and flaky (failed, then passed on CI's one retry) end-to-end tests of a
// Playwright JSON report, each with the first lines of its error, so the end of a CI log says
// what failed (cargo-leptos prints a long backtrace after Playwright's own summary).
// Usage: node failures.mjs report.json
import { readFileSync } from "node:fs";

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  console.log(`No Playwright report at ${file} (${e.message}): the run stopped before it was written.`);
  process.exit(0);
}
const plain = (s) => (s ?? "").replace(/\u001b\[[0-9;]*m/g, "");
const failed = [];
const walk = (suite, path) => {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests ?? []) {
      // The first failed attempt says why.
      const last = t.results?.find((r) => r.status !== "passed" && r.status !== "skipped") ?? t.results?.[0];
      if (t.status === "unexpected" || t.status === "flaky") {
        failed.push({ title: `[${t.projectName}] ${[...path, spec.title].join(" › ")}`, status: t.status, result: last });
      }
    }
  }
  for (const child of suite.suites ?? []) walk(child, child.title ? [...path, child.title] : path);
};
for (const s of report.suites ?? []) walk(s, [s.title]);
const st = report.stats ?? {};
console.log(`\nEnd-to-end summary: ${st.expected ?? "?"} passed, ${st.unexpected ?? "?"} failed, ${st.flaky ?? 0} flaky, ${st.skipped ?? 0} skipped`);
for (const f of failed) {
  console.log(`\n✘ ${f.title} (${f.status})`);
  const err = plain(f.result?.errors?.[0]?.message ?? f.result?.error?.message ?? "no error message");
  const lines = err.split("\n").filter((l) => l.trim()).slice(0, 12);
  for (const l of lines) console.log(`    ${l.slice(0, 200)}`);
  const loc = f.result?.errors?.[0]?.location;
  if (loc) console.log(`    at ${loc.file.replace(/.*end2end\//, "")}:${loc.line}`);
}
