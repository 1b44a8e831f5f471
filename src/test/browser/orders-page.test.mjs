// The team's WAR page (src/it/orders-app/src/main/webapp/index.html, whose client code the README
// shows) in two real Chromium pages on a container: both connect through the official browser bundle
// served under the WAR's context root, one places an order, both list it (the ack, the push).
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const app = process.env.PARLEY_APP;
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

test("an order placed on one page shows on both", async () => {
  assert.ok(app, "PARLEY_APP must be the deployed application's base URL");
  const browser = await chromium.launch({ executablePath, args });
  try {
    const context = await browser.newContext();
    const alice = await context.newPage();
    const bob = await context.newPage();
    const refused = await context.newPage();
    await alice.goto(`${app}/?token=alice`);
    await bob.goto(`${app}/?token=bob`);
    await refused.goto(`${app}/?token=%20`);
    await alice.locator("#status").filter({ hasText: /^connected$/ }).waitFor({ timeout: 15000 });
    await bob.locator("#status").filter({ hasText: /^connected$/ }).waitFor({ timeout: 15000 });
    await refused.locator("#status").filter({ hasText: "refused: not authorized" }).waitFor({ timeout: 15000 });

    const item = `tea-${Math.random().toString(36).slice(2)}`;
    await alice.fill("#item", item);
    await alice.fill("#quantity", "3");
    await alice.click("button");
    const line = new RegExp(`^order-\\d+: 3 × ${item}$`);
    await alice.locator("#created li", { hasText: line }).waitFor({ timeout: 10000 });
    await bob.locator("#created li", { hasText: line }).waitFor({ timeout: 10000 });
    assert.equal(await alice.locator("#created li").filter({ hasText: line }).textContent(),
      await bob.locator("#created li").filter({ hasText: line }).textContent());
  } finally {
    await browser.close();
  }
});
