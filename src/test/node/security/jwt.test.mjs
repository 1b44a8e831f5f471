// socket.io-client against a server that checks bearer JWTs at every namespace CONNECT (run by
// SecurityClientTest, which signs the tokens and passes them in PARLEY_TOKENS).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const URL = process.env.PARLEY_URL;
if (!URL) throw new Error("PARLEY_URL is not set: this test is run by SecurityClientTest");
const TOKENS = JSON.parse(process.env.PARLEY_TOKENS);
const transports = (process.env.PARLEY_TRANSPORTS || "polling,websocket").split(",");
const open = new Set();
after(() => open.forEach((s) => s.disconnect()));

function socketWith(opts, nsp = "/") {
  const s = io(URL + nsp, { transports, upgrade: transports.length > 1, forceNew: true, reconnection: false, ...opts });
  open.add(s);
  return s;
}

/** Resolves with "connected" or the connect_error (message and data). */
function outcome(socket) {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ connected: true }));
    socket.once("connect_error", (err) => resolve({ connected: false, message: err.message, data: err.data }));
  });
}

async function refusedWith(token, message) {
  const result = await outcome(socketWith({ auth: { token } }));
  assert.deepEqual(result, { connected: false, message, data: { status: 401 } });
}

test("a valid token in the auth payload connects, and the server knows the user", async () => {
  const socket = socketWith({ auth: { token: TOKENS.valid } });
  assert.deepEqual(await outcome(socket), { connected: true });
  assert.deepEqual(await socket.emitWithAck("whoami"), { name: "alice", roles: ["admin"] });
});

test("the token may come as an Authorization header or a query parameter", async () => {
  const header = socketWith({ extraHeaders: { Authorization: "Bearer " + TOKENS.valid } });
  assert.deepEqual(await outcome(header), { connected: true });
  const query = socketWith({ query: { token: TOKENS.valid } });
  assert.deepEqual(await outcome(query), { connected: true });
  assert.equal((await query.emitWithAck("whoami")).name, "alice");
});

test("an expired token is refused", () => refusedWith(TOKENS.expired, "token expired"));
test("a token not valid yet is refused", () => refusedWith(TOKENS.notYetValid, "token not yet valid"));
test("a token signed with another key is refused", () => refusedWith(TOKENS.wrongSignature, "invalid signature"));
test("a token for another audience is refused", () => refusedWith(TOKENS.wrongAudience, "wrong audience"));
test("a token from another issuer is refused", () => refusedWith(TOKENS.wrongIssuer, "wrong issuer"));
test("garbage is refused", () => refusedWith("not.a.jwt", "malformed token"));

test("no token at all is refused", async () => {
  const result = await outcome(socketWith({}));
  assert.deepEqual(result, { connected: false, message: "missing token", data: { status: 401 } });
});

test("a role-restricted namespace refuses a user without the role", async () => {
  const bob = await outcome(socketWith({ auth: { token: TOKENS.userBob } }, "/admin"));
  assert.deepEqual(bob, { connected: false, message: "missing role", data: { status: 403 } });
  const alice = await outcome(socketWith({ auth: { token: TOKENS.valid } }, "/admin"));
  assert.deepEqual(alice, { connected: true });
});

test("an event restricted to a role answers others with an error event", async () => {
  const socket = socketWith({ auth: { token: TOKENS.userBob } });
  await outcome(socket);
  const error = new Promise((resolve) => socket.once("error", resolve));
  socket.emit("admin-only");
  assert.deepEqual(await error, { message: "not allowed: admin-only", data: { event: "admin-only", status: 403 } });
});

test("the server disconnects a socket when its token expires", async () => {
  const socket = socketWith({ auth: { token: TOKENS.shortLived } });
  // Listening from the start: the token's 1.5 s may be over by the time Node runs this test, and
  // the server then disconnects right after the connect.
  const reason = new Promise((resolve) => socket.once("disconnect", resolve));
  assert.deepEqual(await outcome(socket), { connected: true });
  assert.equal(await reason, "io server disconnect");
});

test("a page from a foreign origin cannot connect, and is told at once", async () => {
  const started = Date.now();
  const result = await outcome(socketWith({ auth: { token: TOKENS.valid }, extraHeaders: { Origin: "https://evil.example" }, timeout: 20000 }));
  const elapsed = Date.now() - started;
  assert.equal(result.connected, false);
  // Both transports get the 403 as an HTTP answer (the WebSocket upgrade is refused before any 101),
  // so the client fails on it rather than on its 20 s connect timeout.
  assert.equal(result.message, transports[0] === "websocket" ? "websocket error" : "xhr poll error");
  assert.ok(elapsed < 5000, `connect_error after ${elapsed} ms`);
});
