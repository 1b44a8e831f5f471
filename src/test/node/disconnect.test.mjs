import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeAll, connect, waitFor } from "./helpers.mjs";

after(closeAll);

/** The reason of the next "disconnect" (socket.io-client also passes a description). */
const disconnectReason = (socket) => new Promise((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

test("a server-side disconnect leaves the connection open for other namespaces", async () => {
  const { socket: main } = await connect("/");
  const custom = main.io.socket("/custom");
  custom.connect();
  await waitFor(custom, "connect");
  const reason = disconnectReason(custom);
  custom.emit("disconnect-me", false);
  assert.equal(await reason, "io server disconnect");
  assert.equal(main.connected, true);
  assert.equal(await main.emitWithAck("ack", "alive"), "alive");
});

test("a server-side disconnect with close ends the whole connection", async () => {
  const { socket } = await connect("/");
  const reason = disconnectReason(socket);
  socket.emit("disconnect-me", true);
  assert.equal(await reason, "io server disconnect");
  assert.equal(socket.connected, false);
});

test("others learn of a client-side disconnect with the reference reason", async () => {
  const { socket: watcher } = await connect("/");
  const { socket: leaver } = await connect("/");
  const id = leaver.id;
  const left = new Promise((resolve) => watcher.on("left", (nsp, sid, reason) => { if (sid === id) resolve([nsp, reason]); }));
  leaver.disconnect();
  assert.deepEqual(await left, ["/", "client namespace disconnect"]);
});

test("closing the connection is seen as a transport close", async () => {
  const { socket: watcher } = await connect("/");
  const { socket: leaver } = await connect("/");
  const id = leaver.id;
  const left = new Promise((resolve) => watcher.on("left", (nsp, sid, reason) => { if (sid === id) resolve(reason); }));
  leaver.io.engine.close();
  assert.equal(await left, "transport close");
});

test("the namespace count drops when a client leaves", async () => {
  const { socket: a } = await connect("/custom");
  const { socket: b } = await connect("/custom");
  const before = await a.emitWithAck("count");
  const id = b.id;
  const { socket: watcher } = await connect("/");
  const left = new Promise((resolve) => watcher.on("left", (nsp, sid) => { if (sid === id) resolve(); }));
  b.disconnect();
  await left;
  assert.equal(await a.emitWithAck("count"), before - 1);
});
