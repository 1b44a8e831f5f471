// Shared helpers for the socket.io-client integration tests (see README.md).
import { io } from "socket.io-client";

export const URL = process.env.PARLEY_URL;
if (!URL) throw new Error("PARLEY_URL is not set: these tests are run by the Java tests (NodeClientSuiteTest, RecoveryClientTest, ...)");

/** "websocket", "polling", or "polling,websocket" (polling first, then the upgrade). */
export const MODE = process.env.PARLEY_TRANSPORTS || "polling,websocket";
const transports = MODE.split(",");
export const UPGRADES = transports.length > 1;
export const EXPECTED_TRANSPORT = UPGRADES ? "websocket" : transports[0];

/** The Engine.IO path, for servers deployed under a context root (e.g. /example/socket.io). */
export const PATH = process.env.PARLEY_PATH || "/socket.io";

const open = new Set();

/** Resolves with the next `event` on `emitter`, or rejects after `ms` naming what was awaited. */
export function waitFor(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, handler);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    const handler = (...args) => {
      clearTimeout(timer);
      resolve(args.length <= 1 ? args[0] : args);
    };
    emitter.once(event, handler);
  });
}

/** A client socket in the given mode, not connected yet. */
export function client(nsp = "/", opts = {}) {
  const socket = io(URL + nsp, {
    path: PATH,
    transports,
    upgrade: UPGRADES,
    forceNew: true,
    reconnection: false,
    autoConnect: false,
    ...opts,
  });
  open.add(socket);
  return socket;
}

/**
 * Connects and resolves with { socket, welcome } once both "connect" and the fixture's "welcome"
 * arrived; in upgrade mode, also waits until the client runs on WebSocket.
 */
export async function connect(nsp = "/", opts = {}) {
  const socket = client(nsp, opts);
  const welcome = waitFor(socket, "welcome");
  const connected = new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  socket.connect();
  await connected;
  const payload = await welcome;
  if (UPGRADES && socket.io.engine.transport.name !== "websocket") {
    await waitFor(socket.io.engine, "upgrade");
  }
  return { socket, welcome: payload };
}

/** Closes every client opened by this file (call from `after`). */
export function closeAll() {
  for (const s of open) {
    s.io.engine?.close();
    s.close();
  }
  open.clear();
}

/** Collects every `event` a socket receives, in order. */
export function record(socket, event) {
  const seen = [];
  socket.on(event, (...args) => seen.push(args));
  return seen;
}

/**
 * A client socket in the given mode that connects at once and reconnects by itself quickly (50–100 ms, no
 * jitter), as the connection state recovery tests want.
 */
export function recoveringClient(nsp = "/") {
  return client(nsp, {
    reconnection: true, autoConnect: true,
    reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0,
  });
}

/** Resolves when `check()` holds, polling every 5 ms; rejects after `ms` naming `what`. */
export function until(check, what, ms = 10000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`not within ${ms} ms: ${what}`));
      }
    }, 5);
  });
}

/** In upgrade mode, resolves once the connection runs on WebSocket (a cut then closes that). */
export async function upgraded(socket) {
  if (UPGRADES && socket.io.engine.transport.name !== "websocket") {
    await waitFor(socket.io.engine, "upgrade");
  }
}
