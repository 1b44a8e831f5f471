import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeAll, connect, waitFor } from "./helpers.mjs";

after(closeAll);

test("events keep every JSON type exact", async () => {
  const { socket } = await connect();
  const values = [1, 1.5, -0.25, 12345678901234, "two", "", "ünïcødé 😀", null, true, false,
    { a: [1, { b: null }], c: "d" }, [], {}];
  const echoed = waitFor(socket, "echo");
  socket.emit("echo", ...values);
  assert.deepEqual(await echoed, values);
});

test("client to server acknowledgements", async () => {
  const { socket } = await connect();
  assert.deepEqual(await socket.emitWithAck("ack", { x: 1 }), { x: 1 });
  const many = await new Promise((resolve) => socket.emit("ack", 1, "2", [3], (...args) => resolve(args)));
  assert.deepEqual(many, [1, "2", [3]]);
});

test("server to client acknowledgements", async () => {
  const { socket } = await connect();
  socket.on("question", (a, b, callback) => callback(`${a}+${b}`, "done"));
  const reply = await new Promise((resolve) => socket.emit("server-ack", "question", 1, 2, (...r) => resolve(r)));
  assert.deepEqual(reply, ["1+2", "done"]);
});

test("a server acknowledgement times out when the client never answers", async () => {
  const { socket } = await connect();
  socket.on("silence", () => { /* never calls back */ });
  assert.equal(await socket.emitWithAck("server-ack-timeout", "silence", 300), "timeout");
});

test("twenty messages arrive in order", async () => {
  const { socket } = await connect();
  const got = [];
  const done = new Promise((resolve) => socket.on("echo", (n) => { got.push(n); if (got.length === 20) resolve(); }));
  for (let i = 0; i < 20; i++) socket.emit("echo", i);
  await done;
  assert.deepEqual(got, [...Array(20).keys()]);
});

test("a large payload round trips", async () => {
  const { socket } = await connect();
  const big = "x".repeat(500_000);
  assert.equal(await socket.emitWithAck("ack", big), big);
});

test("onAny sees every event", async () => {
  const { socket } = await connect();
  await socket.emitWithAck("ack", 1);
  await socket.emitWithAck("rooms");
  const seen = await socket.emitWithAck("seen");
  assert.deepEqual(seen, ["ack", "rooms", "seen"]);
});

test("packet middleware refuses an event and the socket keeps working", async () => {
  const { socket } = await connect();
  const reported = waitFor(socket, "error-reported");
  socket.emit("forbidden", 1);
  assert.equal(await reported, "forbidden event");
  assert.equal(await socket.emitWithAck("ack", "still fine"), "still fine");
  assert.deepEqual(await socket.emitWithAck("seen"), ["ack", "seen"]);
});

test("socket.data keeps values between events", async () => {
  const { socket } = await connect();
  await socket.emitWithAck("data-set", "color", { name: "blue" });
  assert.deepEqual(await socket.emitWithAck("data-get", "color"), { name: "blue" });
});
