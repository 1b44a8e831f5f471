// The example application (one annotated class, a CDI service, a JAX-RS resource) on a real
// container; run by the container integration tests with PARLEY_URL, PARLEY_PATH, PARLEY_TRANSPORTS
// and PARLEY_APP (the application's base URL).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, waitFor, EXPECTED_TRANSPORT, UPGRADES } from "../helpers.mjs";

after(closeAll);

const APP = process.env.PARLEY_APP;

async function connect() {
  const socket = client("/");
  const welcome = waitFor(socket, "welcome");
  socket.connect();
  await waitFor(socket, "connect");
  const [id, transport] = await welcome;
  assert.equal(id, socket.id);
  if (UPGRADES && socket.io.engine.transport.name !== "websocket") await waitFor(socket.io.engine, "upgrade");
  assert.equal(socket.io.engine.transport.name, EXPECTED_TRANSPORT);
  return socket;
}

test("a handler calls the application's CDI service", async () => {
  const socket = await connect();
  assert.equal(await socket.emitWithAck("greet", "Ada"), "Hello, Ada (from a CDI service)");
});

test("acknowledgements carry every JSON type back", async () => {
  const socket = await connect();
  assert.deepEqual(await socket.emitWithAck("echo", 1, 1.5, "two", null, true, { a: [1] }), [1, 1.5, "two", null, true, { a: [1] }]);
});

test("binary goes both ways", async () => {
  const socket = await connect();
  const reversed = await socket.emitWithAck("reverse", Buffer.from([1, 2, 3, 4]));
  assert.deepEqual([...new Uint8Array(reversed)], [4, 3, 2, 1]);
});

test("a room broadcast reaches two clients", async () => {
  const room = `r-${process.pid}-${Math.random()}`;
  const a = await connect();
  const b = await connect();
  assert.ok((await a.emitWithAck("join", room)).includes(room));
  await b.emitWithAck("join", room);
  const gotA = waitFor(a, "news");
  const gotB = waitFor(b, "news");
  assert.equal(await a.emitWithAck("to-room", room, "news", { n: 1 }), "sent");
  assert.deepEqual(await gotA, { n: 1 });
  assert.deepEqual(await gotB, { n: 1 });
});

test("a JAX-RS endpoint pushes through the injected ParleyServer", async () => {
  assert.ok(APP, "PARLEY_APP must be the application's base URL");
  const socket = await connect();
  const item = `tea-${Math.random()}`;
  const created = new Promise((resolve) => socket.on("created", (o) => { if (o.item === item) resolve(o); }));
  const response = await fetch(`${APP}/api/orders`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: item });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), `pushed ${item}`);
  assert.deepEqual(await created, { item });
});
