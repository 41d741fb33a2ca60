import { expect, test } from "@playwright/test";
import { sweep } from "./a11y";
import { DRIVER, OWNER, STAFF, setLanguage, signIn } from "./helpers";

// The same sweep as a11y.spec.ts on a phone: the layout changes (navigation, tables, the
// driver's buttons), so it is audited again, in both languages (Spanish words are longer).
test("every page, as each role, has no serious or critical accessibility violation (phone)", async ({ page }) => {
  test.setTimeout(300_000);
  expect(await sweep(page)).toEqual([]);
});

test("every page in Spanish, as each role, has no serious or critical accessibility violation (phone)", async ({ page }) => {
  test.setTimeout(300_000);
  const people = [OWNER, STAFF, DRIVER];
  for (const p of people) await setLanguage(p, "es");
  try {
    expect(await sweep(page)).toEqual([]);
    // The pages swept were Spanish ones.
    await signIn(page, STAFF, /\/orders/);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
  } finally {
    for (const p of people) await setLanguage(p, "");
  }
});
