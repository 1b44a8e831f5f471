// The official socket.io-client 4.8 side of FaultIT: FAULT_CLIENTS clients in this one process, client i connecting
// through proxy port FAULT_PORTS[i % n] with transports by i % 3 (websocket / polling / polling then upgraded, or
// FAULT_TRANSPORTS for all), reconnection with a short backoff. Every client tracks the `bench` events it receives:
// `{seq}` from the publisher (checked in order as they come: duplicates, gaps) and `{from, n}` buffered emits (counted
// per sender and number). On every disconnect it emits a buffered `{from: "js-<i>", n}` (socket.io-client buffers an
// emit while disconnected and sends it on the next connect). Driven by lines on stdin, answered by one JSON line on
// stdout each: "ready" (once every client connected), "phase <name>" (reconnects are counted under that phase),
// "report", "close".
import { io } from "socket.io-client";
import { createInterface } from "node:readline";
import { monitorEventLoopDelay } from "node:perf_hooks";

const ports = (process.env.FAULT_PORTS || "").split(",").filter(Boolean).map(Number);
const count = Number(process.env.FAULT_CLIENTS || "50");
const fixed = process.env.FAULT_TRANSPORTS;
const firstSeq = Number(process.env.FAULT_FIRST_SEQ || "0"); // the first seq these clients will see
if (ports.length === 0) throw new Error("FAULT_PORTS is not set: this script is run by FaultIT");
const MODES = [["websocket"], ["polling"], ["polling", "websocket"]];
let phase = "stream";
const started = Number(process.env.FAULT_EPOCH || Date.now()); // FaultIT's clock, for its fault log
const elapsed = () => ((Date.now() - started) / 1000).toFixed(3);

// How late this process's event loop runs (all 50 clients share it): a loop late by about the ping
// timeout answers pings too late, and the server ends sessions nobody cut.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const clients = [];
for (let i = 0; i < count; i++) {
  const transports = fixed ? fixed.split(",") : MODES[i % 3];
  const socket = io(`http://127.0.0.1:${ports[i % ports.length]}`, {
    transports, upgrade: transports.length > 1, forceNew: true,
    reconnectionDelay: 100, reconnectionDelayMax: 500, randomizationFactor: 0.5, timeout: 5000,
  });
  const c = {
    id: `js-${i}`, mode: transports.join("+"), socket,
    next: firstSeq, received: 0, duplicates: 0, gaps: 0, lastSeq: -1,
    buffered: {}, sent: [], connects: 0, reconnects: {}, recovered: {}, notRecovered: {},
    lostAt: null, reconnectMillis: {}, reasons: {}, log: [],
  };
  socket.on("bench", (payload) => {
    if (payload && typeof payload.seq === "number") {
      const seq = payload.seq;
      if (seq === c.next) {
        c.received++;
        c.next++;
      } else if (seq < c.next) {
        c.duplicates++;
      } else {
        c.gaps += seq - c.next; // missing in between (never filled later: later ones would count as duplicates)
        c.received++;
        c.next = seq + 1;
      }
      c.lastSeq = seq;
    } else if (payload && payload.from !== undefined) {
      const key = `${payload.from}:${payload.n}`;
      c.buffered[key] = (c.buffered[key] || 0) + 1;
    }
  });
  socket.on("connect", () => {
    c.connects++;
    if (c.connects > 1) {
      c.reconnects[phase] = (c.reconnects[phase] || 0) + 1;
      const kept = socket.recovered ? c.recovered : c.notRecovered;
      kept[phase] = (kept[phase] || 0) + 1;
      if (c.lostAt !== null) (c.reconnectMillis[phase] ??= []).push(Date.now() - c.lostAt);
    }
    c.lostAt = null;
    c.log.push(`${elapsed()} connect recovered=${socket.recovered} ${socket.io.engine?.transport?.name} sid=${socket.io.engine?.id}`);
  });
  socket.on("disconnect", (reason, details) => {
    c.lostAt = Date.now();
    c.reasons[reason] = (c.reasons[reason] || 0) + 1;
    const why = details ? ` (${details.message ?? ""} ${details.description?.message ?? details.description ?? ""} ${details.context?.status ?? ""} ${details.context?.responseText ?? ""})` : "";
    c.log.push(`${elapsed()} disconnect ${reason}${why} ${socket.io.engine?.transport?.name}`);
    const n = c.sent.length;
    c.sent.push(n);
    socket.emit("bench", { from: c.id, n }); // buffered until the next connect
  });
  clients.push(c);
}

function report() {
  return {
    type: "report",
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    clients: clients.map((c) => ({
      id: c.id, mode: c.mode, connected: c.socket.connected, received: c.received, next: c.next,
      duplicates: c.duplicates, gaps: c.gaps, buffered: c.buffered, sent: c.sent.length,
      reconnects: c.reconnects, recovered: c.recovered, notRecovered: c.notRecovered,
      reconnectMillis: c.reconnectMillis, reasons: c.reasons, log: c.log, transport: c.socket.io.engine?.transport?.name ?? null,
    })),
  };
}

const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");

function whenAllConnected(then) {
  if (clients.every((c) => c.socket.connected)) then();
  else setTimeout(() => whenAllConnected(then), 20);
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === "ready") whenAllConnected(() => say({ type: "ready" }));
  else if (cmd === "phase") { phase = arg; say({ type: "phase", phase }); }
  else if (cmd === "report") say(report());
  else if (cmd === "close") {
    clients.forEach((c) => c.socket.disconnect());
    say({ type: "closed" });
    setTimeout(() => process.exit(0), 50);
  }
});
process.stdin.on("end", () => process.exit(0));
