// socket.io-client's connection state recovery against a Parley with recovery on (run by
// RecoveryClientTest: recovery-max-disconnection 60 s; "stream n ms" makes the server emit
// "tick" 0..n-1 to this socket's id room, one every ms, from a thread of its own).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeAll, recoveringClient, until, upgraded } from "../helpers.mjs";

after(closeAll);

const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));

test("every event exactly once and in order across three cuts of the connection, recovered each time", async () => {
  const socket = recoveringClient();
  const ticks = [];
  const recovered = [];
  const offsets = new Set();
  socket.on("tick", (i, offset) => {
    ticks.push(i);
    offsets.add(offset);
  });
  socket.on("connect", () => recovered.push(socket.recovered));
  await once(socket, "connect");
  await upgraded(socket);
  const firstId = socket.id;

  const N = 400;
  assert.equal(await socket.timeout(5000).emitWithAck("stream", N, 5), "started");
  for (const at of [40, 130, 220]) {
    await until(() => ticks.length >= at, `${at} ticks (got ${ticks.length})`);
    const back = once(socket, "connect");
    socket.io.engine.close(); // the engine connection only: the Manager reconnects and recovers
    await back;
    assert.equal(socket.id, firstId);
    await upgraded(socket);
  }
  await until(() => ticks.length >= N, `${N} ticks (got ${ticks.length})`, 20000);

  assert.deepEqual(recovered, [false, true, true, true]);
  assert.deepEqual(ticks, [...Array(N).keys()]); // none lost, none twice, in order
  assert.equal(offsets.size, N); // each carried an offset of its own
  assert.equal(typeof [...offsets][0], "string");
});

/**
 * The client gives up on its connection as on a heartbeat timeout, but tells the server nothing (no close frame, no
 * close packet, the socket left open): to the server, whose ping timeout is the default 20 s, the connection is
 * frozen, still open. Parley closes it as lost when the recovery arrives on the new connection.
 */
function freeze(socket) {
  const transport = socket.io.engine.transport;
  transport.doClose = () => {};
  socket.io.engine._onClose("ping timeout");
}

test("a recovery that arrives before the server noticed the frozen connection is granted, every event once", async () => {
  const socket = recoveringClient();
  const ticks = [];
  const recovered = [];
  const reasons = [];
  socket.on("tick", (i) => ticks.push(i));
  socket.on("connect", () => recovered.push(socket.recovered));
  socket.on("disconnect", (reason) => reasons.push(reason));
  await once(socket, "connect");
  await upgraded(socket);
  const firstId = socket.id;

  const N = 300;
  assert.equal(await socket.timeout(5000).emitWithAck("stream", N, 5), "started");
  await until(() => ticks.length >= 60, `60 ticks (got ${ticks.length})`);
  const back = once(socket, "connect");
  freeze(socket);
  await back;
  assert.equal(socket.id, firstId);
  await until(() => ticks.length >= N, `${N} ticks (got ${ticks.length})`, 20000);

  assert.deepEqual(reasons, ["ping timeout"]);
  assert.deepEqual(recovered, [false, true]);
  assert.deepEqual(ticks, [...Array(N).keys()]); // none lost, none twice, in order
});

test("a socket that left on purpose is not recovered", async () => {
  const socket = recoveringClient();
  await once(socket, "connect");
  const tick = once(socket, "tick"); // may come before the ack
  assert.equal(await socket.timeout(5000).emitWithAck("stream", 1, 1), "started");
  await tick;
  const firstId = socket.id;
  socket.disconnect();
  socket.connect();
  await once(socket, "connect");
  assert.equal(socket.recovered, false);
  assert.notEqual(socket.id, firstId);
});
