import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. These flags keep it quiet on a closed network.
const launchOptions = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  // The test command (scripts/test.sh) runs a failed test once more: one that then passes is
  // reported as flaky, by name, at the end of the log, rather than hidden or failing the run.
  retries: Number(process.env.HEARTH_E2E_RETRIES ?? 0),
  // The list as tests run; with HEARTH_E2E_REPORT also a JSON file, which scripts/test.sh
  // sums up (failed tests and their first error lines) as the very last thing CI prints.
  reporter: process.env.HEARTH_E2E_REPORT
    ? [["list"], ["json", { outputFile: process.env.HEARTH_E2E_REPORT }]]
    : [["list"]],
  use: {
    baseURL: process.env.HEARTH_URL ?? "http://127.0.0.1:3000",
    trace: "retain-on-failure",
    launchOptions,
  },
  projects: [
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], launchOptions },
      testIgnore: /phone.*\.spec\.ts/,
    },
    {
      name: "phone",
      use: { ...devices["Pixel 7"], launchOptions },
      testMatch: /phone.*\.spec\.ts/,
    },
  ],
});
