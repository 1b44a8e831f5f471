// The demo pages in Debian's Chromium (playwright-core, never a downloaded browser), run by DemoBrowserIT
// (standalone server) and PayaraMicroIT (demo WAR). Not a node:test file: it talks to the JUnit side over
// stdio. Each line it prints is JSON; with RESTART=1 it prints {"step":"stop"} and waits for a line on stdin
// (the server is down), then {"step":"start"} and waits again (the server is back on the same port). The
// last line is the result: {"ok":true,...} or {"ok":false,"error":...}; the exit code says the same.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";

const url = process.env.PARLEY_URL.replace(/\/$/, "");   // the demo's root: http://host:port or .../parley
const shots = process.env.SCREENSHOTS;                     // directory for the screenshots
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const T = { timeout: 15000 };
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const told = async (step) => { out({ step }); const r = await lines.next(); if (r.done) throw new Error("no answer to " + step); };
const result = { ok: false, screenshots: [], checks: [] };
const check = (name) => result.checks.push(name);
mkdirSync(shots, { recursive: true });
const shot = async (page, name) => {
  const path = `${shots}/${name}.png`;
  await page.screenshot({ path, fullPage: false });
  result.screenshots.push(path);
};
const seen = (page, text, cls) => page.locator(cls ? `#log li.${cls}` : "#log li", { hasText: text }).first().waitFor(T);
const say = async (page, text) => { await page.fill("#input", text); await page.press("#input", "Enter"); };
const connected = (page, who) => page.locator("#status", { hasText: "connected as " + who }).waitFor(T);
const gone = { state: "detached", timeout: 15000 };
// the room's count in the header, exactly
const count = (page, n) => page.waitForFunction((n) => document.getElementById("users").textContent === String(n), n, T)
  .catch(async (e) => { throw new Error(`#users is "${await page.locator("#users").textContent()}", not ${n}: ${e}`); });
// none of the log's lines holds any of the texts
const none = async (page, texts) => {
  const lines = await page.locator("#log li").allTextContents();
  const stray = lines.filter((l) => texts.some((t) => l.includes(t)));
  if (stray.length) throw new Error("a line from another room: " + JSON.stringify(stray));
};
const noSideScroll = async (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

const browser = await chromium.launch({ executablePath, args });
try {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const alice = await desktop.newPage();
  const bob = await desktop.newPage();
  await alice.goto(`${url}/index.html?name=alice`);
  await bob.goto(`${url}/index.html?name=bob`);
  await connected(alice, "alice");
  await connected(bob, "bob");
  await alice.locator("#transport", { hasText: "websocket" }).waitFor(T);
  await bob.locator("#transport", { hasText: "websocket" }).waitFor(T);
  await say(alice, "hello from alice");
  await seen(bob, "alice: hello from alice");
  await say(bob, "hi alice");
  await seen(alice, "bob: hi alice");
  await count(alice, 2);
  check("two pages chat over websocket");

  const carol = await desktop.newPage();
  await carol.goto(`${url}/index.html?name=carol&transport=polling`);
  await connected(carol, "carol");
  await carol.locator("#transport", { hasText: "polling" }).waitFor(T);
  await seen(alice, "carol joined", "system");
  await say(carol, "carol on polling");
  await seen(alice, "carol: carol on polling");
  await say(alice, "hi carol");
  await seen(carol, "alice: hi carol");
  if (await carol.locator("#transport").textContent() !== "polling") throw new Error("carol left polling");
  check("a polling page chats with a websocket page");

  // rooms: alice, then bob, move to #random; the lobby sees them go, #random's history greets bob
  await alice.click('#rooms button[data-room="random"]');
  await alice.locator("#room-name", { hasText: "random" }).waitFor(T);
  await seen(bob, "alice left lobby", "system");
  await seen(carol, "alice left lobby", "system");
  const topic = "random thought " + Date.now();
  await say(alice, topic);
  await seen(alice, "alice: " + topic);
  await bob.click('#rooms button[data-room="random"]');
  await seen(bob, "alice: " + topic, "history");
  await seen(alice, "bob entered random", "system");
  await alice.locator("#presence li", { hasText: "bob" }).waitFor(T);
  await bob.locator("#presence li", { hasText: "alice" }).waitFor(T);
  for (const who of ["alice", "bob"]) await carol.locator("#presence li", { hasText: who }).waitFor(gone);
  await count(alice, 2);
  await count(bob, 2);
  await count(carol, 1);
  await say(bob, "only in random");
  await seen(alice, "bob: only in random");
  check("rooms: presence list, history on entering");

  // a phone page in the lobby: the lobby's presence and history, its join seen in the lobby only
  const dave = await phone.newPage();
  await dave.goto(`${url}/index.html?name=dave`);
  await connected(dave, "dave");
  await dave.locator("#presence li", { hasText: "carol" }).waitFor(T);
  await seen(dave, "carol: carol on polling", "history");
  await seen(carol, "dave joined", "system");
  await count(carol, 2);
  await count(dave, 2);
  if (!await noSideScroll(dave)) throw new Error("the chat scrolls sideways at 390 px");
  await shot(dave, "chat-390");
  check("chat fits 390 px");

  // Each room's traffic stays in it. Every absence is checked after a later packet of the same page arrived, which
  // the server sent after the one that must not reach it: a stray one would have come first.
  await say(bob, "random after dave");
  await seen(alice, "bob: random after dave");
  await say(carol, "lobby after that");
  await seen(dave, "carol: lobby after that");
  await seen(carol, "carol: lobby after that");
  await say(alice, "random last");
  await seen(alice, "alice: random last");
  await seen(bob, "alice: random last");
  await none(alice, ["dave joined", "carol: ", "lobby after that"]);
  await none(bob, ["dave joined", "carol: ", "lobby after that"]);
  await none(carol, ["only in random", "random after dave", "random last", "bob entered", topic]);
  await none(dave, ["only in random", "random after dave", "random last", "bob entered", topic]);
  check("rooms: joins, leaves and messages stay in their room");

  // alice goes back: the lobby's history and members; #random sees her leave, the lobby sees her enter
  await alice.click('#rooms button[data-room="lobby"]');
  await alice.locator("#room-name", { hasText: "lobby" }).waitFor(T);
  await seen(alice, "carol: lobby after that", "history");
  await seen(alice, "carol: carol on polling", "history");
  for (const who of ["carol", "dave"]) await alice.locator("#presence li", { hasText: who }).waitFor(T);
  await alice.locator("#presence li", { hasText: "bob" }).waitFor(gone);
  await seen(bob, "alice left random", "system");
  await bob.locator("#presence li", { hasText: "alice" }).waitFor(gone);
  await seen(carol, "alice entered lobby", "system");
  await count(alice, 3);
  await count(carol, 3);
  await count(bob, 1);
  await none(alice, ["random last", topic]);
  check("a page that switches rooms sees the new room's presence and history");
  await shot(alice, "chat-1280");

  const dash = await desktop.newPage();
  await dash.goto(`${url}/dashboard.html`);
  const drawn = (page, id, n) => page.waitForFunction(([id, n]) =>
    Number(document.getElementById(id).dataset.points || 0) >= n, [id, n], T);
  await drawn(dash, "c-connections", 6);
  await drawn(dash, "c-messages", 6);
  await drawn(dash, "c-rooms", 3);
  await drawn(dash, "c-latency", 2);
  result.dashboard = await dash.evaluate(() => Object.fromEntries(
    ["v-connections", "v-messages", "v-rooms", "v-latency"].map((id) => [id, document.getElementById(id).textContent])));
  const wsNow = Number(result.dashboard["v-connections"].split(" ")[0]);
  if (!(wsNow >= 4)) throw new Error("the dashboard shows " + result.dashboard["v-connections"] + " (4 WebSocket pages at least are open)");
  await shot(dash, "dashboard-1280");
  const dashPhone = await phone.newPage();
  await dashPhone.goto(`${url}/dashboard.html`);
  await drawn(dashPhone, "c-connections", 4);
  if (!await noSideScroll(dashPhone)) throw new Error("the dashboard scrolls sideways at 390 px");
  await shot(dashPhone, "dashboard-390");
  check("dashboard draws its charts");

  if (process.env.RESTART === "1") {
    await told("stop");
    await alice.locator("#banner.shown").waitFor(T);
    await bob.locator("#banner.shown").waitFor(T);
    await dash.locator("#banner.shown").waitFor(T);
    await shot(alice, "chat-banner");
    await told("start");
    await alice.locator("#banner.shown").waitFor({ state: "hidden", timeout: 30000 });
    await connected(alice, "alice");
    await connected(bob, "bob");
    // each page is back in its own room (the room rides in the CONNECT's auth), its log kept
    await seen(alice, "back in #lobby", "system");
    await seen(bob, "back in #random", "system");
    for (const who of ["carol", "dave"]) await alice.locator("#presence li", { hasText: who }).waitFor({ timeout: 30000 });
    await say(alice, "after the restart");
    await seen(dave, "alice: after the restart");
    await seen(carol, "alice: after the restart");
    await say(bob, "bob still in random");
    await seen(bob, "bob: bob still in random");
    await seen(bob, "alice: random last");   // what the log showed before the restart
    await dash.locator("#status", { hasText: "live" }).waitFor({ timeout: 30000 });
    check("banner on restart, then chats on");
  }
  result.ok = true;
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  await browser.close();
  out(result);
  process.exit(result.ok ? 0 : 1);
}
