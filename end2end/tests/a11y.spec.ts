import { expect, test } from "@playwright/test";
import { sweep } from "./a11y";
import { pickupOrder, signIn, STAFF } from "./helpers";

// Every page as each role on a desktop screen: axe-core finds no serious or critical WCAG 2.2 AA
// violation (the phone's run is phone-a11y.spec.ts).
test("every page, as each role, has no serious or critical accessibility violation (desktop)", async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(await sweep(page)).toEqual([]);
});

test("the board says new orders and moves made elsewhere in a polite live region", async ({ page }) => {
  await signIn(page, STAFF, /\/orders/);
  const heard = page.getByTestId("board-heard");
  await expect(heard).toHaveAttribute("aria-live", "polite");
  await expect(heard).toHaveText("");
  const { number } = await pickupOrder(page, "Live Region Lola", [["BRD-BAG", 1]]);
  await expect(heard).toHaveText(`New order #${number} (Pablo).`);
});
