import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { OWNER, PASSWORD } from "./helpers";

// Schemathesis (from PyPI, installed by `./hearth.sh setup`) generates requests from the
// storefront's OpenAPI document, valid and invalid, and checks every answer against it: no
// 5xx, only documented status codes, headers and bodies, schema-invalid input refused, the
// key enforced. A mismatch fails this test with schemathesis's report.
const tool = process.env.HEARTH_SCHEMATHESIS
  ?? `${process.env.HEARTH_CACHE ?? `${process.env.HOME}/.cache/hearth`}/tools/venv/bin/schemathesis`;

// Checks that a correct server passes. Left out, with the reason:
// - positive_data_acceptance: schema-valid orders are still refused for business reasons the
//   schema cannot express (an unknown SKU, a date in the past, a day that is full);
// - object_level_authorization: there is one kind of key; a key sees every order it may.
const CHECKS = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_headers_conformance",
  "response_schema_conformance",
  "negative_data_rejection",
  "missing_required_header",
  "unsupported_method",
  "ignored_auth",
].join(",");

test("the storefront API matches its OpenAPI document under schema-driven fuzzing", async ({ request, baseURL }) => {
  test.setTimeout(600_000);
  expect(existsSync(tool), `schemathesis is not installed at ${tool}: run ./hearth.sh setup`).toBeTruthy();
  expect((await request.post("/api/login", { form: { email: OWNER, password: PASSWORD } })).ok()).toBeTruthy();
  const key: string = await (await request.post("/api/create_api_key", { form: { name: "Fuzzer" } })).json();
  expect(key).toMatch(/^hk_live_/);
  const run = spawnSync(tool, [
    "run", `${baseURL}/api/v1/openapi.json`,
    "--checks", CHECKS,
    "--header", `Authorization: Bearer ${key}`,
    "--phases", "examples,coverage,fuzzing",
    "--max-examples", process.env.HEARTH_FUZZ_EXAMPLES ?? "60",
    "--seed", "20261202",
    "--workers", "1",
    "--suppress-health-check", "all",
  ], { encoding: "utf8", timeout: 540_000, env: { ...process.env, NO_COLOR: "1" } });
  const report = `${run.stdout}\n${run.stderr}`;
  // The summary line, for the README's security section.
  console.log(report.split("\n").filter((l) => /passed|failed|cases|Test cases|operations/i.test(l)).join("\n"));
  expect(run.status, report).toBe(0);
});
