// The demo WAR (target/parley.war) deployed as is: two clients chat.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, waitFor } from "../helpers.mjs";

after(closeAll);

test("two clients chat through the demo WAR", async () => {
  const alice = client("/");
  const bob = client("/");
  alice.connect();
  bob.connect();
  await Promise.all([waitFor(alice, "connect"), waitFor(bob, "connect")]);
  assert.deepEqual(await alice.emitWithAck("join", "alice"), { ok: true, name: "alice" });
  await bob.emitWithAck("join", "bob");
  const text = `hi-${Math.random()}`;
  const got = new Promise((resolve) => bob.on("chat", (m) => { if (m.text === text) resolve(m); }));
  assert.deepEqual(await alice.emitWithAck("chat", text), { ok: true });
  assert.equal((await got).from, "alice");
});
