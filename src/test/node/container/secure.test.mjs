// socket.io-client against the secured test WAR on a real container (run by SecureContainerProbeIT):
// the container's Basic login (Jakarta Security in the WAR) becomes the socket's principal
// (parley.auth=container); @RolesAllowed guards a namespace and an event.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const URL = process.env.PARLEY_URL;
const PATH = process.env.PARLEY_PATH;
if (!URL || !PATH) throw new Error("PARLEY_URL/PARLEY_PATH not set: run by SecureContainerProbeIT");
const transports = (process.env.PARLEY_TRANSPORTS || "polling,websocket").split(",");
const open = new Set();
// Closing each socket's manager too: one with a namespace left open would keep Node running.
after(() => open.forEach((s) => { s.disconnect(); s.io.engine?.close(); }));

function as(credentials, nsp = "/") {
  const extraHeaders = credentials ? { Authorization: "Basic " + Buffer.from(credentials).toString("base64") } : {};
  const s = io(URL + nsp, { path: PATH, transports, upgrade: transports.length > 1, forceNew: true,
    reconnection: false, timeout: 3000, extraHeaders });
  open.add(s);
  return s;
}

function outcome(socket) {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ connected: true }));
    socket.once("connect_error", (err) => resolve({ connected: false, message: err.message, data: err.data }));
  });
}

test("a logged-in admin connects as herself and may purge", async () => {
  const alice = as("alice:alice-pw");
  assert.deepEqual(await outcome(alice), { connected: true });
  const who = await alice.emitWithAck("whoami");
  assert.equal(who.name, "alice");
  assert.ok(who.roles.includes("admin"), JSON.stringify(who));
  assert.equal(await alice.emitWithAck("purge"), "purged");
});

test("a logged-in user without the role is refused the event", async () => {
  const bob = as("bob:bob-pw");
  assert.deepEqual(await outcome(bob), { connected: true });
  const who = await bob.emitWithAck("whoami");
  assert.equal(who.name, "bob");
  assert.ok(!who.roles.includes("admin"), JSON.stringify(who));
  const error = new Promise((resolve) => bob.once("error", resolve));
  bob.emit("purge");
  assert.deepEqual(await error, { message: "not allowed: purge", data: { event: "purge", status: 403 } });
});

test("an admins-only namespace refuses a user and admits an admin", async () => {
  assert.deepEqual(await outcome(as("bob:bob-pw", "/ops")),
    { connected: false, message: "missing role", data: { status: 403 } });
  const alice = as("alice:alice-pw", "/ops");
  assert.deepEqual(await outcome(alice), { connected: true });
  assert.equal(await alice.emitWithAck("status"), "green");
});

test("nobody gets a session without logging in", async () => {
  for (const credentials of [null, "alice:wrong"]) {
    const result = await outcome(as(credentials));
    assert.equal(result.connected, false, JSON.stringify(result));
  }
});

test("a page from another site cannot connect, even logged in", async () => {
  const s = io(URL, { path: PATH, transports, upgrade: transports.length > 1, forceNew: true, reconnection: false,
    timeout: 3000, extraHeaders: { Authorization: "Basic " + Buffer.from("alice:alice-pw").toString("base64"),
      Origin: "https://evil.example" } });
  open.add(s);
  const result = await outcome(s);
  assert.equal(result.connected, false, JSON.stringify(result));
});

test("an event flood is dropped with an error event (parley.event-rate)", async () => {
  const alice = as("alice:alice-pw");
  assert.deepEqual(await outcome(alice), { connected: true });
  const error = new Promise((resolve) => alice.once("error", resolve));
  for (let i = 0; i < 100; i++) alice.emit("status-of-nothing", i);
  assert.deepEqual(await error, { message: "rate limit exceeded", data: { event: "status-of-nothing", status: 429 } });
});

test("a connection may join at most parley.max-namespaces namespaces", async () => {
  const alice = as("alice:alice-pw");
  assert.deepEqual(await outcome(alice), { connected: true });
  const ops = alice.io.socket("/ops");
  open.add(ops);
  ops.connect();
  assert.deepEqual(await outcome(ops), { connected: true });
  const third = alice.io.socket("/third");
  open.add(third);
  third.connect();
  assert.deepEqual(await outcome(third), { connected: false, message: "too many namespaces on this connection",
    data: undefined });
});
