// The official Socket.IO Admin UI (@socket.io/admin-ui 0.5.1), served by Parley, in Debian's Chromium
// (playwright-core, never a downloaded browser). Run by AdminUiBrowserIT (standalone jar) and
// PayaraMicroIT#theAdminUiServedByTheWarLogsInAndDisconnectsASocket (a WAR). Not a node:test file: its last
// stdout line is the result, {"ok":true,...} or {"ok":false,"error":...}; the exit code says the same.
//
// Three socket.io-client sockets are opened here in Node on the application's "/" namespace, the first one
// put into ROOM by the application's own event (JOIN_EVENT, answered with an ack). The page opens the UI,
// fills its connection form (server URL, username, password; the Socket.IO path under "Advanced options"
// when it is not /socket.io), logs in, and must list the three sockets and the room; the disconnect button
// of the second socket must disconnect that client with "io server disconnect" while the other two stay
// connected (each answers an ack afterwards). Selectors are the UI's labels, table rows and its tooltips'
// texts (the English locale), as a user sees them.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error("missing environment variable " + name);
  return v;
};
const serverUrl = env("PARLEY_URL").replace(/\/$/, "");   // http://host:port, as typed into the UI's form
const path = env("PARLEY_PATH", "/socket.io");             // the Socket.IO path (a WAR: /<context>/socket.io)
const uiUrl = env("ADMIN_UI_URL");                          // the page Parley serves the UI at
const username = env("ADMIN_USERNAME");
const password = env("ADMIN_PASSWORD");
const joinEvent = env("JOIN_EVENT");                        // the application's event that puts a socket in a room
const room = env("ROOM", "admin-ui-room");
const shots = env("SCREENSHOTS");
const executablePath = env("CHROMIUM", "/usr/bin/chromium");
// socket.io-client 4.8 from the Node tests' node_modules (src/test/node), as the other Node scripts use it
const { io } = createRequire(new URL("../node/package.json", import.meta.url))("socket.io-client");

const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const T = { timeout: 20000 };
const result = { ok: false, checks: [], screenshots: [], sockets: [] };
const check = (name) => result.checks.push(name);
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
mkdirSync(shots, { recursive: true });
const shot = async (page, name) => {
  // the UI fades views in and out: wait for its transitions to end, not for a fixed time
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)) /* a cancelled one rejects */));
  const file = `${shots}/${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
};
const within = (ms, promise, what) => Promise.race([promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error("timed out: " + what)), ms))]);

const clients = [];
let browser;
let page;
try {
  for (let i = 0; i < 3; i++) {
    const socket = io(serverUrl, { path, transports: ["websocket"], reconnection: false, forceNew: true,
      auth: { name: "admin-ui-test-" + i } });
    const client = { socket, reasons: [] };
    socket.on("disconnect", (reason) => client.reasons.push(reason));
    await within(15000, new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    }), "socket " + i + " connecting");
    clients.push(client);
  }
  await within(15000, clients[0].socket.emitWithAck(joinEvent, room), "joining " + room);
  result.sockets = clients.map((c) => c.socket.id);
  check("three sockets connected, one in the room");

  browser = await chromium.launch({ executablePath, args });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const failures = [];
  page.on("pageerror", (e) => failures.push(String(e)));
  await page.goto(uiUrl);
  // No server URL saved in this fresh profile: the UI opens with its connection form.
  await page.getByLabel("Server URL").fill(serverUrl, T);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  if (path !== "/socket.io") {
    await page.getByText("Advanced options").click();
    await page.getByLabel("Path").fill(path, T);
  }
  await shot(page, "login");
  await page.getByRole("button", { name: "Connect" }).click();
  // Logged in: the dialog closes and the app bar's status says connected.
  await page.getByLabel("Server URL").waitFor({ state: "hidden", ...T });
  await page.getByText("connected", { exact: true }).first().waitFor(T);
  check("logged in");

  await page.goto(uiUrl.replace(/#.*$/, "") + "#/sockets/");
  const row = (text) => page.locator("tbody tr", { hasText: text }).first();
  for (const id of result.sockets) await row(id).waitFor(T);
  await shot(page, "sockets");
  check("lists the sockets");

  await page.goto(uiUrl.replace(/#.*$/, "") + "#/rooms/");
  await row(room).waitFor(T);
  const count = (await row(room).locator("td").nth(2).innerText()).trim();
  if (count !== "1") throw new Error("the room's row counts " + count + " sockets, not 1");
  await shot(page, "rooms");
  check("lists the room");

  await page.goto(uiUrl.replace(/#.*$/, "") + "#/sockets/");
  const victim = clients[1];
  const victimId = victim.socket.id; // socket.io-client forgets it on disconnect
  await row(victimId).waitFor(T);
  const gone = new Promise((resolve) => victim.socket.once("disconnect", resolve));
  await row(victimId).locator("button").last().click();
  const reason = await within(15000, gone, "the disconnect the button asks for");
  if (reason !== "io server disconnect") throw new Error("disconnected with " + reason);
  // The button's click also reaches its row, which opens the socket's details (as for a user): they say
  // "disconnected" once the UI is told. Then the list holds the two others only.
  await page.locator("tr", { hasText: "Status" }).filter({ hasText: "disconnected" }).first().waitFor(T);
  await shot(page, "socket-disconnected");
  await page.goto(uiUrl.replace(/#.*$/, "") + "#/sockets/");
  await row(clients[0].socket.id).waitFor(T);
  await row(victimId).waitFor({ state: "detached", ...T });
  await row(clients[2].socket.id).waitFor(T);
  for (const c of [clients[0], clients[2]]) {
    if (!c.socket.connected) throw new Error(c.socket.id + " was disconnected too: " + c.reasons);
    await within(10000, c.socket.timeout(10000).emitWithAck(joinEvent, room), c.socket.id + " answering");
  }
  await shot(page, "after-disconnect");
  check("disconnect button: io server disconnect, others connected");
  result.disconnected = { id: victimId, reason };
  if (failures.length) throw new Error("errors in the page: " + failures.join("; "));
  result.ok = true;
} catch (e) {
  result.error = String(e && e.stack || e);
  if (page) await shot(page, "failure").catch(() => {});
} finally {
  for (const c of clients) c.socket.disconnect();
  if (browser) await browser.close();
}
out(result);
process.exit(result.ok ? 0 : 1);
