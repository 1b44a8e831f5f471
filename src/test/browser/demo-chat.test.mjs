// Two real Chromium pages on the demo chat: both connect, one sends, the other shows it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const url = process.env.PARLEY_URL;
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

test("two browsers chat through the demo page", async () => {
  assert.ok(url, "PARLEY_URL must point at a running demo server");
  const browser = await chromium.launch({ executablePath, args });
  try {
    const context = await browser.newContext();
    const alice = await context.newPage();
    const bob = await context.newPage();
    await alice.goto(`${url}/?name=alice`);
    await bob.goto(`${url}/?name=bob`);
    await alice.locator("#status").filter({ hasText: "connected as alice" }).waitFor({ timeout: 10000 });
    await bob.locator("#status").filter({ hasText: "connected as bob" }).waitFor({ timeout: 10000 });

    // the official client upgrades to WebSocket after its polling handshake
    await alice.locator("#transport").filter({ hasText: "websocket" }).waitFor({ timeout: 10000 });
    await alice.locator("#users").filter({ hasText: "2" }).waitFor({ timeout: 10000 });

    await alice.fill("#input", "hello from alice");
    await alice.press("#input", "Enter");
    await bob.locator("#log li", { hasText: "alice: hello from alice" }).waitFor({ timeout: 10000 });
    await alice.locator("#log li", { hasText: "alice: hello from alice" }).waitFor({ timeout: 10000 });

    await bob.fill("#input", "hi alice");
    await bob.press("#input", "Enter");
    await alice.locator("#log li", { hasText: "bob: hi alice" }).waitFor({ timeout: 10000 });

    if (process.env.SCREENSHOT) {
      await alice.screenshot({ path: process.env.SCREENSHOT });
    }
    await bob.close();
    await alice.locator("#log li", { hasText: "bob left" }).waitFor({ timeout: 10000 });
  } finally {
    await browser.close();
  }
});
