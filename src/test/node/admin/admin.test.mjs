// The official Socket.IO Admin UI's protocol, spoken by the real socket.io-client as the UI
// (@socket.io/admin-ui 0.5.1, ui/dist) speaks it, against Parley's /admin namespace. Run by
// AdminUiClientTest: PARLEY_URL is a server with basic auth (admin / changeit, a bcryptjs hash) in
// development mode; PARLEY_READONLY_URL one with auth none, read-only; PARLEY_RECOVERY_URL one like the first
// with connection state recovery on (its packets carry their offset, so the others keep it off).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const URL = process.env.PARLEY_URL;
const READONLY_URL = process.env.PARLEY_READONLY_URL;
const RECOVERY_URL = process.env.PARLEY_RECOVERY_URL; // like URL, with connection state recovery on
if (!URL || !READONLY_URL || !RECOVERY_URL) throw new Error("PARLEY_URL is not set: this test is run by AdminUiClientTest");
const open = new Set();
after(() => open.forEach((s) => s.disconnect()));

/** An admin socket as the UI opens it (ui/dist: withCredentials, polling then websocket, auth). */
function admin(auth, url = URL) {
  const s = io(url + "/admin", { forceNew: true, reconnection: false, withCredentials: true,
    transports: ["polling", "websocket"], path: "/socket.io", auth });
  open.add(s);
  return s;
}

function client() {
  const s = io(URL, { forceNew: true, reconnection: false });
  open.add(s);
  return s;
}

const once = (socket, event) => new Promise((resolve) => socket.once(event, (...args) => resolve(args)));

/** Resolves with the first `event` whose arguments pass `match`, or rejects after `ms`. */
function until(socket, event, match, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no matching ${event} within ${ms} ms`));
    }, ms);
    const listener = (...args) => {
      if (match(...args)) {
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(args);
      }
    };
    socket.on(event, listener);
  });
}

function outcome(socket) {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ connected: true }));
    socket.once("connect_error", (err) => resolve({ connected: false, message: err.message }));
  });
}

const GOOD = { username: "admin", password: "changeit" };
const ALL_FEATURES = ["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT",
  "AGGREGATED_EVENTS", "ALL_EVENTS"];

test("config, session, all_sockets with a client's rooms, then server_stats within 3 s with matching counts", async () => {
  const c = client();
  await once(c, "connect");
  await c.emitWithAck("join", "lobby");
  const a = admin(GOOD);
  const session = once(a, "session");
  const config = once(a, "config");
  const all = once(a, "all_sockets");
  const firstStats = until(a, "server_stats", () => true, 3000);
  assert.deepEqual(await outcome(a), { connected: true });
  const [sessionId] = await session;
  assert.match(sessionId, /^[0-9a-f]{16}$/);
  assert.deepEqual(await config, [{ supportedFeatures: ALL_FEATURES }]);
  const [sockets] = await all;
  const mine = sockets.find((s) => s.id === c.id);
  assert.ok(mine, "the test client is listed");
  assert.equal(mine.nsp, "/");
  assert.equal(mine.clientId, c.io.engine.id.slice(0, 12));
  assert.equal(mine.transport, c.io.engine.transport.name);
  assert.deepEqual([...mine.rooms].sort(), [c.id, "lobby"].sort());
  assert.deepEqual(mine.data, {});
  assert.equal(typeof mine.handshake.headers, "object");
  assert.equal(mine.handshake.address, "127.0.0.1");
  assert.equal(mine.handshake.auth, undefined, "the auth payload is never shown");
  assert.ok(sockets.some((s) => s.nsp === "/admin"), "admin sockets are listed too");

  const [stats] = await firstStats;
  for (const key of ["serverId", "hostname"]) assert.equal(typeof stats[key], "string");
  for (const key of ["pid", "uptime", "clientsCount", "pollingClientsCount"]) assert.equal(typeof stats[key], "number");
  assert.ok(Array.isArray(stats.aggregatedEvents));
  // Every connection of this file is open: the client and the admin socket, nothing else.
  const [settled] = await until(a, "server_stats", (s) =>
    s.namespaces.find((n) => n.name === "/")?.socketsCount === 1, 5000);
  assert.equal(settled.clientsCount, 2);
  assert.equal(settled.namespaces.find((n) => n.name === "/admin").socketsCount, 1);
  c.disconnect();
  a.disconnect();
});

test("aggregated events count connections and packets per second", async () => {
  const a = admin(GOOD);
  await once(a, "connect");
  const c = client();
  await once(c, "connect");
  await c.emitWithAck("join", "x");
  const seen = new Map();
  await until(a, "server_stats", (s) => {
    for (const e of s.aggregatedEvents) {
      assert.equal(e.timestamp % 1000, 0);
      seen.set(e.type, (seen.get(e.type) || 0) + e.count);
    }
    return seen.get("rawConnection") >= 1 && seen.get("packetsIn") >= 2 && seen.get("packetsOut") >= 2;
  }, 5000);
  assert.ok(seen.get("bytesIn") > 0 && seen.get("bytesOut") > 0);
  c.disconnect();
  a.disconnect();
});

test("a wrong password or username is refused with the reference's error; a session id logs in again", async () => {
  assert.deepEqual(await outcome(admin({ username: "admin", password: "wrong" })),
    { connected: false, message: "invalid credentials" });
  assert.deepEqual(await outcome(admin({ username: "root", password: "changeit" })),
    { connected: false, message: "invalid credentials" });
  assert.deepEqual(await outcome(admin({})), { connected: false, message: "invalid credentials" });
  assert.deepEqual(await outcome(admin({ sessionId: "0123456789abcdef" })),
    { connected: false, message: "invalid credentials" });
  const first = admin(GOOD);
  const [sessionId] = await once(first, "session");
  first.disconnect();
  assert.deepEqual(await outcome(admin({ sessionId })), { connected: true });
});

test("live events: socket_connected, room_joined, event_received, event_sent, room_left, socket_disconnected", async () => {
  const a = admin(GOOD);
  await once(a, "connect");
  const c = io(URL, { forceNew: true, reconnection: false, autoConnect: false });
  open.add(c);
  const connected = until(a, "socket_connected", (s) => s.nsp === "/");
  const welcomeSent = until(a, "event_sent", (nsp, id, args) => args[0] === "welcome");
  c.connect();
  await once(c, "connect");
  const [desc, when] = await connected;
  assert.equal(desc.id, c.id);
  assert.ok(desc.rooms.includes(c.id));
  assert.ok(!Number.isNaN(Date.parse(when)));
  const [, sentTo, sentArgs] = await welcomeSent;
  assert.equal(sentTo, c.id);
  assert.deepEqual(sentArgs, ["welcome", "hi"]);

  const joined = until(a, "room_joined", (nsp, room, id) => room === "r1" && id === c.id);
  const received = until(a, "event_received", (nsp, id, args) => id === c.id && args[0] === "join");
  await c.emitWithAck("join", "r1");
  assert.equal((await joined)[0], "/");
  assert.deepEqual((await received).slice(0, 3), ["/", c.id, ["join", "r1"]]);

  const left = until(a, "room_left", (nsp, room, id) => room === "r1" && id === c.id);
  await c.emitWithAck("leave", "r1");
  await left;

  const id = c.id; // socket.io-client forgets it on disconnect
  const ownRoomLeft = until(a, "room_left", (nsp, room, sid) => room === id && sid === id);
  const gone = until(a, "socket_disconnected", (nsp, sid) => sid === id);
  c.disconnect();
  assert.deepEqual((await gone).slice(0, 3), ["/", id, "client namespace disconnect"]);
  await ownRoomLeft;
  a.disconnect();
});

test("socket_updated: a client's upgrade from polling to websocket, as the reference reports it", async () => {
  const a = admin(GOOD);
  await once(a, "connect");
  const c = io(URL, { forceNew: true, reconnection: false, transports: ["polling", "websocket"] });
  open.add(c);
  await once(c, "connect");
  const id = c.id;
  const [update] = await until(a, "socket_updated", (u) => u.id === id);
  assert.deepEqual(update, { id, nsp: "/", transport: "websocket" });
  assert.equal(c.io.engine.transport.name, "websocket");
  c.disconnect();
  a.disconnect();
});

test("a recovered socket's rooms come as room_joined, then socket_connected lists them", async () => {
  const a = admin(GOOD, RECOVERY_URL);
  await once(a, "connect");
  const c = io(RECOVERY_URL, { forceNew: true, transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 50 });
  open.add(c);
  await once(c, "connect");
  await c.emitWithAck("join", "kept");
  const id = c.id;
  const left = until(a, "room_left", (nsp, room, sid) => sid === id && room === "kept");
  c.io.engine.close(); // the connection is lost; the client comes back and asks to recover
  await left;
  // registered once the loss is reported, so the join above cannot be taken for the rejoin
  const rejoined = until(a, "room_joined", (nsp, room, sid) => sid === id && room === "kept", 10000);
  const back = until(a, "socket_connected", (s) => s.id === id, 10000);
  const [nsp, room] = await rejoined;
  assert.deepEqual([nsp, room], ["/", "kept"]);
  const [described] = await back;
  assert.equal(c.recovered, true);
  assert.deepEqual([...described.rooms].sort(), [id, "kept"].sort());
  c.disconnect();
  a.disconnect();
});

test("the UI's commands act on the client they filter by id: emit, join, leave, _disconnect", async () => {
  const a = admin(GOOD);
  await once(a, "connect");
  const c = client();
  await once(c, "connect");

  const poked = once(c, "poke");
  a.emit("emit", "/", c.id, "poke", 1, "two");
  assert.deepEqual(await poked, [1, "two"]);

  const joined = until(a, "room_joined", (nsp, room, id) => room === "vip" && id === c.id);
  a.emit("join", "/", "vip", c.id);
  await joined;
  assert.ok((await c.emitWithAck("rooms")).includes("vip"));

  const left = until(a, "room_left", (nsp, room, id) => room === "vip" && id === c.id);
  a.emit("leave", "/", "vip", c.id);
  await left;
  assert.ok(!(await c.emitWithAck("rooms")).includes("vip"));

  a.emit("emit", "/nowhere", null, "poke"); // an unknown namespace is ignored, never created
  const disconnected = once(c, "disconnect");
  a.emit("_disconnect", "/", false, c.id);
  assert.deepEqual(await disconnected, ["io server disconnect", undefined]);
  a.disconnect();
});

test("read-only, auth none: config without commands, and the commands are ignored", async () => {
  const a = admin(undefined, READONLY_URL);
  const config = once(a, "config");
  assert.deepEqual(await outcome(a), { connected: true });
  assert.deepEqual(await config, [{ supportedFeatures: ["AGGREGATED_EVENTS", "ALL_EVENTS"] }]);
  const watcher = admin(undefined, READONLY_URL);
  await once(watcher, "connect");
  const c = io(READONLY_URL, { forceNew: true, reconnection: false });
  open.add(c);
  await once(c, "connect");
  let poked = false;
  c.on("poke", () => { poked = true; });
  let disconnectedTold = false;
  watcher.on("socket_disconnected", (nsp, id) => { if (id === c.id) disconnectedTold = true; });

  a.emit("emit", "/", c.id, "poke");
  a.emit("join", "/", "vip", c.id);
  a.emit("_disconnect", "/", true, c.id);
  // The server reads a's packets in order: once it has handled a's DISCONNECT, the commands before
  // it were handled (ignored) too.
  const aId = a.id;
  const aGone = until(watcher, "socket_disconnected", (nsp, id) => id === aId);
  a.disconnect();
  await aGone;
  assert.equal(c.connected, true);
  assert.deepEqual(await c.emitWithAck("rooms"), [c.id]);
  assert.equal(poked, false);
  assert.equal(disconnectedTold, false);
  c.disconnect();
  watcher.disconnect();
});
