// The standalone jar's benchmark mode with recovery on (run by BenchModeRecoveryIT:
// `java -jar parley-standalone.jar --bench --recovery-max-disconnection 120000`): the benchmark
// contract unchanged (every client joins room "bench"; "bench" is broadcast to the room; "echo" is
// acknowledged), and socket.io-client recovers across cuts of its connection: a subscriber whose
// engine connection is cut three times while a publisher streams "bench" events gets every one
// once, in order, recovered each time, its room membership kept.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeAll, recoveringClient, until, upgraded } from "../helpers.mjs";

after(closeAll);

const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));

test("the benchmark contract, and a subscriber cut three times misses none of the room's broadcasts", async () => {
  const subscriber = recoveringClient();
  const publisher = recoveringClient();
  const got = [];
  const recovered = [];
  subscriber.on("bench", (m) => got.push(m.i));
  subscriber.on("connect", () => recovered.push(subscriber.recovered));
  await Promise.all([once(subscriber, "connect"), once(publisher, "connect")]);
  await upgraded(subscriber);
  // the contract: echo is acknowledged with its argument; after it, the join of room bench has run
  assert.deepEqual(await subscriber.timeout(5000).emitWithAck("echo", { x: 1 }), { x: 1 });
  assert.deepEqual(await publisher.timeout(5000).emitWithAck("echo", "ready"), "ready");
  const firstId = subscriber.id;

  const N = 300;
  let sent = 0;
  const pump = setInterval(() => {
    if (sent < N) publisher.emit("bench", { i: sent++ });
    else clearInterval(pump);
  }, 3);
  for (const at of [30, 110, 190]) {
    await until(() => got.length >= at, `${at} events (got ${got.length})`);
    const back = once(subscriber, "connect");
    subscriber.io.engine.close(); // the engine connection only: the Manager reconnects and recovers
    await back;
    assert.equal(subscriber.id, firstId);
    await upgraded(subscriber);
  }
  await until(() => got.length >= N, `${N} events (got ${got.length})`, 20000);

  assert.deepEqual(recovered, [false, true, true, true]);
  assert.deepEqual(got, [...Array(N).keys()]); // none lost, none twice, in order
});
