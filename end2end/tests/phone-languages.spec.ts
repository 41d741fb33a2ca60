// The driver's phone in Spanish: the run, a stop marked delivered, what a screen reader hears.
import { expect, test } from "@playwright/test";
import { violations } from "./a11y";
import { DRIVER, publishTodayFor, setLanguage, signIn } from "./helpers";

test("a driver who reads Spanish works the run in Spanish", async ({ page }) => {
  await publishTodayFor(page, "Marta Ruiz");
  await setLanguage(DRIVER, "es");
  try {
    await signIn(page, DRIVER, /\/driver$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("heading", { name: "Entregas de hoy", level: 1 })).toBeVisible();
    await expect(page.getByText("Paradas pendientes")).toBeVisible();
    // The run's line, worded and numbered in Spanish by the server.
    await expect(page.locator(".subtitle")).toHaveText(/^\d+ paradas? · \d+,\d km · salida \d\d:\d\d · vuelta \d\d:\d\d$/);
    // Money as Spain writes it: "12,50 €".
    await expect(page.locator(".driver-summary .kpi-value").nth(1)).toHaveText(/^\d{1,3}(\.\d{3})*,\d{2} €$/);
    const open = page.locator("ol.stops > li:not(.stop-done)").first();
    await expect(open).toBeVisible();
    const stop = page.locator(`li[data-order="${await open.getAttribute("data-order")}"]`);
    await expect(stop.getByRole("link", { name: "Cómo llegar" })).toBeVisible();
    await page.screenshot({ path: "test-results/es-driver-phone.png" });
    await stop.getByRole("button", { name: "Entregado", exact: true }).click();
    await stop.getByLabel("Lo recibe").fill("Portero");
    await stop.getByRole("button", { name: "Confirmar entrega" }).click();
    await expect(stop.getByTestId("stop-state")).toHaveText("Entregado");
    await expect(page.getByTestId("driver-heard")).toHaveText(/^Parada \d+, .+: entregado\.$/);
    expect(await violations(page, "driver run in Spanish")).toEqual([]);
  } finally {
    await setLanguage(DRIVER, "");
  }
});
