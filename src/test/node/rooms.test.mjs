import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeAll, connect, waitFor, record } from "./helpers.mjs";

after(closeAll);

let counter = 0;
const room = () => `room-${process.pid}-${++counter}`;

/** Proves `socket` got nothing of `event` before a marker sent to it afterwards arrives. */
async function assertNothingBefore(socket, seen, marker) {
  const got = waitFor(socket, "marker");
  await marker();
  await got;
  assert.deepEqual(seen, [], "received an event it should not have");
}

test("join and leave change the rooms, which include the socket's own id", async () => {
  const { socket } = await connect();
  const r = room();
  assert.deepEqual(await socket.emitWithAck("join", r), [r, socket.id].sort());
  assert.deepEqual(await socket.emitWithAck("leave", r), [socket.id]);
});

test("to(room) reaches everyone in the room and nobody outside", async () => {
  const r = room();
  const { socket: a } = await connect();
  const { socket: b } = await connect();
  const { socket: outsider } = await connect();
  await a.emitWithAck("join", r);
  await b.emitWithAck("join", r);
  const outside = record(outsider, "news");
  const gotA = waitFor(a, "news");
  const gotB = waitFor(b, "news");
  await a.emitWithAck("to-room", r, "news", { n: 1 });
  assert.deepEqual(await gotA, { n: 1 });
  assert.deepEqual(await gotB, { n: 1 });
  await assertNothingBefore(outsider, outside, () => outsider.emitWithAck("to-room", outsider.id, "marker"));
});

test("a Java record broadcast to a room arrives as a plain object", async () => {
  const r = room();
  const { socket: a } = await connect();
  const { socket: b } = await connect();
  await a.emitWithAck("join", r);
  await b.emitWithAck("join", r);
  const gotA = waitFor(a, "order");
  const gotB = waitFor(b, "order");
  await a.emitWithAck("record-to-room", r, "order", "A1");
  const expected = { id: "A1", items: [{ quantity: 2, sku: "pen" }, { quantity: 1, sku: "ink" }], paid: true };
  assert.deepEqual(await gotA, expected);
  assert.deepEqual(await gotB, expected);
});

test("socket.to(room) excludes the sender", async () => {
  const r = room();
  const { socket: sender } = await connect();
  const { socket: peer } = await connect();
  await sender.emitWithAck("join", r);
  await peer.emitWithAck("join", r);
  const senderSaw = record(sender, "news");
  const got = waitFor(peer, "news");
  await sender.emitWithAck("socket-to-room", r, "news", "hi");
  assert.equal(await got, "hi");
  await assertNothingBefore(sender, senderSaw, () => sender.emitWithAck("to-room", sender.id, "marker"));
});

test("except(room) skips the room's members", async () => {
  const r = room();
  const { socket: member } = await connect();
  const { socket: other } = await connect();
  await member.emitWithAck("join", r);
  const memberSaw = record(member, "news");
  const got = waitFor(other, "news");
  await member.emitWithAck("except-room", r, "news", 42);
  assert.equal(await got, 42);
  await assertNothingBefore(member, memberSaw, () => member.emitWithAck("to-room", member.id, "marker"));
});

test("broadcast reaches others but not the sender", async () => {
  const { socket: sender } = await connect();
  const { socket: other } = await connect();
  const tag = `b-${Date.now()}-${Math.random()}`;
  const senderSaw = [];
  sender.on("bcast", (t) => { if (t === tag) senderSaw.push(t); });
  const got = new Promise((resolve) => other.on("bcast", (t) => { if (t === tag) resolve(t); }));
  await sender.emitWithAck("broadcast", "bcast", tag);
  assert.equal(await got, tag);
  await assertNothingBefore(sender, senderSaw, () => sender.emitWithAck("to-room", sender.id, "marker"));
});

test("volatile and local broadcasts reach connected clients", async () => {
  const { socket: a } = await connect();
  const tag = `v-${Math.random()}`;
  const volatileGot = new Promise((resolve) => a.on("vol", (t) => { if (t === tag) resolve(t); }));
  await a.emitWithAck("volatile", "vol", tag);
  // a polling client may miss a volatile packet when no poll is waiting; it is retried until one lands
  const retry = setInterval(() => a.emit("volatile", "vol", tag), 200);
  try {
    assert.equal(await volatileGot, tag);
  } finally {
    clearInterval(retry);
  }
  const localGot = new Promise((resolve) => a.on("loc", (t) => { if (t === tag) resolve(t); }));
  await a.emitWithAck("local", "loc", tag);
  assert.equal(await localGot, tag);
});

test("acknowledgements from every socket of a room are collected", async () => {
  const r = room();
  const { socket: a } = await connect();
  const { socket: b } = await connect();
  await a.emitWithAck("join", r);
  await b.emitWithAck("join", r);
  a.on("vote", (callback) => callback("a-yes"));
  b.on("vote", (callback) => callback("b-yes"));
  const replies = await a.emitWithAck("room-ack", r, "vote", 3000);
  assert.deepEqual([...replies].sort(), ["a-yes", "b-yes"]);
});

test("a room acknowledgement times out when one socket stays silent", async () => {
  const r = room();
  const { socket: a } = await connect();
  const { socket: silent } = await connect();
  await a.emitWithAck("join", r);
  await silent.emitWithAck("join", r);
  a.on("vote", (callback) => callback("a-yes"));
  silent.on("vote", () => {});
  assert.equal(await a.emitWithAck("room-ack", r, "vote", 300), "timeout");
});
