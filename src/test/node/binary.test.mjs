import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeAll, connect, waitFor } from "./helpers.mjs";

after(closeAll);

test("the server sends binary, top level and nested", async () => {
  const { socket } = await connect();
  const received = waitFor(socket, "binary");
  socket.emit("binary");
  const [top, obj] = await received;
  assert.deepEqual([...new Uint8Array(top)], [1, 2, 3]);
  assert.deepEqual([...new Uint8Array(obj.nested)], [4, 5]);
  assert.equal(obj.text, "t");
});

test("the client sends binary, top level and nested, and gets it back in an ack", async () => {
  const { socket } = await connect();
  const reply = await new Promise((resolve) => socket.emit("binary-ack", Buffer.from([1, 2, 3]),
    { deep: { data: Uint8Array.from([9, 8]) }, n: 1 }, "text", (...r) => resolve(r)));
  assert.deepEqual([...new Uint8Array(reply[0])], [1, 2, 3]);
  assert.deepEqual([...new Uint8Array(reply[1].deep.data)], [9, 8]);
  assert.equal(reply[1].n, 1);
  assert.equal(reply[2], "text");
});

test("a large binary attachment round trips", async () => {
  const { socket } = await connect();
  const big = Buffer.alloc(300_000, 7);
  const [echoed] = await new Promise((resolve) => socket.emit("binary-ack", big, (...r) => resolve(r)));
  assert.equal(Buffer.compare(Buffer.from(echoed), big), 0);
});
