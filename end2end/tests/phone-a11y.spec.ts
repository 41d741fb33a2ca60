import { expect, test } from "@playwright/test";
import { sweep } from "./a11y";

// The same sweep as a11y.spec.ts on a phone: the layout changes (navigation, tables, the
// driver's buttons), so it is audited again.
test("every page, as each role, has no serious or critical accessibility violation (phone)", async ({ page }) => {
  test.setTimeout(300_000);
  expect(await sweep(page)).toEqual([]);
});
