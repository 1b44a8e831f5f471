// Two standalone jars in benchmark mode on one Redis (run by BenchModeRedisIT:
// `java -jar parley-standalone.jar --bench --adapter redis --redis-url redis://127.0.0.1:P --port N`
// twice): room "bench" spans both, so a "bench" event sent to one node reaches the clients of both,
// each once. PARLEY_URL_A and PARLEY_URL_B are the two nodes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const sockets = [];
after(() => sockets.forEach((s) => s.close()));

function connect(url) {
  const s = io(url, { forceNew: true, reconnection: false, transports: ["websocket"] });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}

async function until(check, what, ms = 10000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("a bench event sent to one node reaches the clients of both nodes, once", async () => {
  const a = await connect(process.env.PARLEY_URL_A);
  const a2 = await connect(process.env.PARLEY_URL_A);
  const b = await connect(process.env.PARLEY_URL_B);
  const got = new Map([[a, []], [a2, []], [b, []]]);
  for (const [s, list] of got) s.on("bench", (m) => list.push(m));
  // the contract: after an acknowledged echo, the socket's join of room "bench" has run
  for (const s of got.keys()) assert.equal(await s.timeout(5000).emitWithAck("echo", "ready"), "ready");

  a.emit("bench", { from: "A", i: 1 });
  b.emit("bench", { from: "B", i: 2 });
  // a last one from each node: each node's publishes reach Redis in order, so when both are in, all are
  a.emit("bench", { from: "A", i: 3 });
  b.emit("bench", { from: "B", i: 4 });
  await until(() => [...got.values()].every((l) => l.some((m) => m.i === 3) && l.some((m) => m.i === 4)),
    "the last events on every client");
  for (const [, list] of got) {
    assert.deepEqual(list.map((m) => m.i).sort(), [1, 2, 3, 4]);
  }
});
