// The real socket.io-client 4.8 against a Parley with per-message-deflate on and http-compression at
// its default (on): run by CompressionClientTest in each transport mode, and by the container tests
// (PayaraMicroIT, WildFlyIT) against a WAR of jakarta.it.compression. The server's "compressed"
// handler emits a `n`-character text back, with Socket.IO's compress flag as asked.
// PARLEY_DEFLATE=off: the server is expected NOT to negotiate permessage-deflate although the setting is
// on (WildFly: Undertow negotiates only its own subsystem's extension, off by default); every message
// then arrives whole and uncompressed on WebSocket.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Fetch } from "socket.io-client";
import { client, closeAll, connect, waitFor, EXPECTED_TRANSPORT } from "../helpers.mjs";

after(closeAll);

function text(n) {
  let s = "";
  for (let i = 0; s.length < n; i++) s += `word${i % 50} `;
  return s.slice(0, n);
}

const DEFLATE = process.env.PARLEY_DEFLATE !== "off";

function onWebSocket(socket) {
  return socket.io.engine.transport.name === "websocket";
}

/** The ws socket's bytes read so far, on WebSocket. */
function bytesRead(socket) {
  return socket.io.engine.transport.ws._socket.bytesRead;
}

/** Asks the server for `n` characters with the compress flag, resolves with them and the bytes it took. */
async function fetchText(socket, n, compress) {
  const ws = onWebSocket(socket);
  const before = ws ? bytesRead(socket) : 0;
  const received = waitFor(socket, "compressed");
  socket.emit("compressed", n, compress);
  const value = await received;
  const wire = ws ? bytesRead(socket) - before : undefined;
  return { value, wire };
}

test(`permessage-deflate is ${DEFLATE ? "" : "not "}negotiated on WebSocket and large messages arrive ${DEFLATE ? "compressed" : "whole"}`, async () => {
  const { socket } = await connect();
  assert.equal(socket.io.engine.transport.name, EXPECTED_TRANSPORT);
  const big = await fetchText(socket, 200_000, true);
  assert.equal(big.value, text(200_000));
  if (EXPECTED_TRANSPORT === "websocket") {
    if (DEFLATE) {
      assert.match(socket.io.engine.transport.ws.extensions, /permessage-deflate/);
      assert.ok(big.wire < 20_000, `200,000 characters took ${big.wire} bytes on the wire`);
    } else {
      assert.equal(socket.io.engine.transport.ws.extensions, "");
      assert.ok(big.wire >= 200_000, `no extension: ${big.wire} bytes on the wire`);
    }
  }
});

test("compress(false) and messages below the threshold are sent as they are", async () => {
  const { socket } = await connect();
  const plain = await fetchText(socket, 200_000, false);
  assert.equal(plain.value, text(200_000));
  const small = await fetchText(socket, 900, true);
  assert.equal(small.value, text(900));
  if (EXPECTED_TRANSPORT === "websocket") {
    assert.ok(plain.wire >= 200_000, `compress(false): ${plain.wire} bytes on the wire`);
    assert.ok(small.wire >= 900, `below the threshold: ${small.wire} bytes on the wire`);
  }
});

test("the client's own compressed messages and binary both ways survive", async () => {
  const { socket } = await connect();
  const big = text(100_000);
  const bin = Buffer.from(text(50_000));
  // engine.io-client compresses what it sends from 1024 bytes when the extension was negotiated.
  const reply = await new Promise((resolve) => socket.emit("binary-ack", big, bin, { nested: bin }, (...r) => resolve(r)));
  assert.equal(reply[0], big);
  assert.equal(Buffer.compare(Buffer.from(reply[1]), bin), 0);
  assert.equal(Buffer.compare(Buffer.from(reply[2].nested), bin), 0);
});

// Polling alone, whatever the mode: Node's XMLHttpRequest sends no Accept-Encoding, fetch does.
test("polling with fetch (which accepts gzip) receives gzipped responses and decodes them", async () => {
  const encodings = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (...args) => {
    const res = await original(...args);
    if ((args[1]?.method ?? "GET") === "GET") encodings.push(res.headers.get("content-encoding"));
    return res;
  };
  try {
    const socket = client("/", { transports: [Fetch], upgrade: false });
    const welcome = waitFor(socket, "welcome");
    socket.connect();
    await welcome;
    assert.equal(socket.io.engine.transport.name, "polling");
    const big = await fetchText(socket, 200_000, true);
    assert.equal(big.value, text(200_000));
    assert.ok(encodings.includes("gzip"), `content encodings seen: ${JSON.stringify(encodings)}`);
    const before = encodings.length;
    const plain = await fetchText(socket, 200_000, false);
    assert.equal(plain.value, text(200_000));
    assert.ok(!encodings.slice(before).includes("gzip"), `after compress(false): ${JSON.stringify(encodings.slice(before))}`);
  } finally {
    globalThis.fetch = original;
  }
});
