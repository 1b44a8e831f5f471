// The team's WAR (src/it/orders-app, the README's example, built by Maven against the installed
// dev.parley:parley) on a real container; run by the container integration tests with PARLEY_URL,
// PARLEY_PATH (<context>/socket.io), PARLEY_TRANSPORTS and PARLEY_APP (the application's base URL).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, waitFor, EXPECTED_TRANSPORT, UPGRADES } from "../helpers.mjs";

after(closeAll);

const APP = process.env.PARLEY_APP;

/** Connects to `nsp` and waits until it runs on the expected transport. */
async function open(nsp, opts = {}) {
  const socket = client(nsp, opts);
  const connected = new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  socket.connect();
  await connected;
  if (UPGRADES && socket.io.engine.transport.name !== "websocket") await waitFor(socket.io.engine, "upgrade");
  assert.equal(socket.io.engine.transport.name, EXPECTED_TRANSPORT);
  return socket;
}

const orders = () => open("/orders", { auth: { token: "t-" + process.pid } });

/** Resolves with the first `created` event whose item is `item` (other tests place orders too). */
function created(socket, item) {
  return new Promise((resolve) => socket.on("created", (r) => { if (r.item === item) resolve(r); }));
}

// --- "/orders": the README's example ---

test("a client without auth.token is refused by @OnConnecting", async () => {
  const socket = client("/orders");
  socket.connect();
  const err = await waitFor(socket, "connect_error");
  assert.equal(err.message, "not authorized");
  assert.deepEqual(err.data, { code: 401 });
});

test("place: the POJO argument is bound, the POJO return value is the ack, the others get it pushed", async () => {
  const alice = await orders();
  const bob = await orders();
  const item = `tea-${Math.random()}`;
  const atBob = created(bob, item);
  let atAlice = false;
  alice.on("created", (r) => { if (r.item === item) atAlice = true; });
  const receipt = await alice.timeout(5000).emitWithAck("place", { item, quantity: 2 });
  assert.match(receipt.id, /^order-\d+$/);
  assert.deepEqual(receipt, { id: receipt.id, item, quantity: 2 });
  assert.deepEqual(await atBob, receipt);
  // socket.to(room) leaves the sender out: by the time bob got it, alice's copy would have been sent too
  assert.equal(await alice.timeout(5000).emitWithAck("place", { item: "flush", quantity: 1 }).then(() => atAlice), false);
});

test("an argument that is not an Order is answered in the ack, and the socket lives on", async () => {
  const socket = await orders();
  const answer = await socket.timeout(5000).emitWithAck("place", "two teas");
  assert.match(answer.message, /^argument 1 of event "place" is not a com\.example\.orders\.Order: /);
  assert.deepEqual(answer.data, { event: "place", status: 400, argument: 1 });
  const receipt = await socket.timeout(5000).emitWithAck("place", { item: "tea", quantity: 1 });
  assert.equal(receipt.item, "tea");
});

test("a JAX-RS resource pushes a POJO through the injected ParleyServer", async () => {
  assert.ok(APP, "PARLEY_APP must be the application's base URL");
  const a = await orders();
  const b = await orders();
  const item = `coffee-${Math.random()}`;
  const atA = created(a, item);
  const atB = created(b, item);
  const response = await fetch(`${APP}/api/orders`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ item, quantity: 3 }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const receipt = await response.json();
  assert.deepEqual(receipt, { id: receipt.id, item, quantity: 3 });
  assert.deepEqual(await atA, receipt);
  assert.deepEqual(await atB, receipt);
});

// --- "/": the lobby, every JSON type, binary, rooms ---

async function lobby() {
  const socket = client("/");
  const welcome = waitFor(socket, "welcome");
  socket.connect();
  await waitFor(socket, "connect");
  const [id] = await welcome;
  assert.equal(id, socket.id);
  if (UPGRADES && socket.io.engine.transport.name !== "websocket") await waitFor(socket.io.engine, "upgrade");
  assert.equal(socket.io.engine.transport.name, EXPECTED_TRANSPORT);
  return socket;
}

test("acknowledgements carry every JSON type back", async () => {
  const socket = await lobby();
  assert.deepEqual(await socket.emitWithAck("echo", 1, 1.5, "two", null, true, { a: [1] }), [1, 1.5, "two", null, true, { a: [1] }]);
});

test("binary goes both ways", async () => {
  const socket = await lobby();
  const reversed = await socket.emitWithAck("reverse", Buffer.from([1, 2, 3, 4]));
  assert.deepEqual([...new Uint8Array(reversed)], [4, 3, 2, 1]);
});

test("a room broadcast reaches two clients", async () => {
  const room = `r-${process.pid}-${Math.random()}`;
  const a = await lobby();
  const b = await lobby();
  assert.ok((await a.emitWithAck("join", room)).includes(room));
  await b.emitWithAck("join", room);
  const gotA = waitFor(a, "news");
  const gotB = waitFor(b, "news");
  assert.equal(await a.emitWithAck("to-room", room, "news", { n: 1 }), "sent");
  assert.deepEqual(await gotA, { n: 1 });
  assert.deepEqual(await gotB, { n: 1 });
});
