import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, connect, waitFor, EXPECTED_TRANSPORT, MODE } from "./helpers.mjs";

after(closeAll);

test("connects to the main namespace on the expected transport", async () => {
  const { socket, welcome } = await connect("/");
  assert.equal(welcome.id, socket.id);
  assert.equal(welcome.nsp, "/");
  assert.equal(socket.io.engine.transport.name, EXPECTED_TRANSPORT);
  assert.match(socket.id, /^[A-Za-z0-9_-]{20}$/);
});

test("the server sees the auth payload and the query", async () => {
  const { socket, welcome } = await connect("/", { auth: { token: "abc", n: 1 }, query: { room: "r1" } });
  assert.deepEqual(welcome.auth, { token: "abc", n: 1 });
  assert.equal(welcome.query.room, "r1");
  assert.equal(welcome.query.EIO, "4");
  const hs = await socket.emitWithAck("handshake");
  assert.match(hs.url, /^\/socket\.io\/\?/);
  assert.ok(hs.issued > 0);
  assert.equal(hs.address, "127.0.0.1");
  assert.deepEqual(hs.auth, { token: "abc", n: 1 });
});

test("connects to a custom namespace", async () => {
  const { welcome } = await connect("/custom");
  assert.equal(welcome.nsp, "/custom");
});

test("multiplexes two namespaces over one connection", async () => {
  const { socket: main } = await connect("/");
  const custom = main.io.socket("/custom");
  const welcome = waitFor(custom, "welcome");
  custom.connect();
  await waitFor(custom, "connect");
  assert.equal((await welcome).nsp, "/custom");
  assert.equal(main.io.engine.id, custom.io.engine.id);
  assert.deepEqual(await custom.emitWithAck("ack", "via custom"), "via custom");
  assert.deepEqual(await main.emitWithAck("ack", "via main"), "via main");
  custom.disconnect();
});

test("connect() on a socket that connected by itself is answered and keeps the connection up", async () => {
  // With autoConnect (the default), io.socket() sends CONNECT at once and connect() sends a second
  // one: both are answered, as the reference server does, and nothing is cut.
  const main = client("/", { autoConnect: true });
  await waitFor(main, "connect");
  const engineId = main.io.engine.id;
  const drops = [];
  main.on("disconnect", (reason) => drops.push(reason));
  const custom = main.io.socket("/custom");
  custom.connect();
  await waitFor(custom, "connect");
  assert.deepEqual(await custom.emitWithAck("ack", "via custom"), "via custom");
  assert.deepEqual(await main.emitWithAck("ack", "via main"), "via main");
  assert.equal(main.io.engine.id, engineId);
  assert.deepEqual(drops, []);
  custom.disconnect();
});

test("refuses an unknown namespace", async () => {
  const socket = client("/nowhere");
  socket.connect();
  const err = await waitFor(socket, "connect_error");
  assert.equal(err.message, "Invalid namespace");
});

test("namespace middleware refuses a missing token with message and data", async () => {
  const socket = client("/admin", { auth: { token: "wrong" } });
  socket.connect();
  const err = await waitFor(socket, "connect_error");
  assert.equal(err.message, "not authorized");
  assert.deepEqual(err.data, { code: 401 });
  assert.equal(socket.connected, false);
});

test("namespace middleware lets the right token in and can set socket data", async () => {
  const { welcome } = await connect("/admin", { auth: { token: "secret" } });
  assert.equal(welcome.nsp, "/admin");
  assert.equal(welcome.user, "admin");
});

test("dynamic namespaces are created by pattern, others refused", async () => {
  const socket = client("/dyn-42");
  const hello = waitFor(socket, "hello");
  socket.connect();
  assert.equal(await hello, "/dyn-42");
  const refused = client("/dyn-x");
  refused.connect();
  assert.equal((await waitFor(refused, "connect_error")).message, "Invalid namespace");
});

test("a refused handshake is a prompt connect_error on every transport", async () => {
  // A foreign Origin is refused with 403 before any session, on a WebSocket upgrade too (before the
  // 101): the client fails on the answer, not on its 20 s connect timeout.
  const started = Date.now();
  const socket = client("/", { extraHeaders: { Origin: "https://evil.example" }, timeout: 20000 });
  socket.connect();
  const err = await waitFor(socket, "connect_error", 10000);
  const elapsed = Date.now() - started;
  assert.equal(err.message, MODE.startsWith("websocket") ? "websocket error" : "xhr poll error");
  assert.ok(elapsed < 5000, `connect_error after ${elapsed} ms`);
});
