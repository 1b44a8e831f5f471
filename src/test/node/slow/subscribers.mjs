// The healthy subscribers of SlowConsumerTest: CLIENTS raw Engine.IO v4 / Socket.IO v5 WebSocket
// clients (`ws`), pings answered, that record every "tick" event's delivery latency, per phase.
// A tick is 42["tick",phase,seq,sentEpochMicros]; the latency is the wall clock here minus the
// server's at emit (same machine, same clock).
// stdout: "READY n" once every client is connected; then, for each stdin line "await PHASE N",
// one JSON line with that phase's figures once every client has N ticks of it (or after 20 s).
// The process ends when stdin closes.
import { WebSocket } from "ws";
import { createInterface } from "node:readline";

const url = process.env.PARLEY_URL; // ws://127.0.0.1:PORT/socket.io/?EIO=4&transport=websocket
const total = Number(process.env.CLIENTS || 990);
const inflight = 64;
const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;

const clients = [];
let connected = 0;
let unexpectedCloses = 0;
let closing = false;

function open(i) {
  return new Promise((resolve, reject) => {
    const c = { i, counts: new Map(), lastSeq: new Map(), gaps: 0, latencies: new Map() };
    const ws = new WebSocket(url, { perMessageDeflate: false });
    c.ws = ws;
    ws.on("message", (data) => {
      const s = data.toString();
      if (s === "2") { ws.send("3"); return; }
      if (s.startsWith("0{")) { ws.send("40"); return; }
      if (s.startsWith("40{")) { connected++; resolve(c); return; }
      if (s.startsWith('42["tick"')) {
        const [, phase, seq, sent] = JSON.parse(s.slice(2));
        const lat = (nowMicros() - sent) / 1000;
        if (!c.latencies.has(phase)) { c.latencies.set(phase, []); c.counts.set(phase, 0); c.lastSeq.set(phase, -1); }
        c.latencies.get(phase).push(lat);
        c.counts.set(phase, c.counts.get(phase) + 1);
        if (seq !== c.lastSeq.get(phase) + 1) c.gaps++;
        c.lastSeq.set(phase, seq);
      }
    });
    ws.on("error", (e) => reject(e));
    ws.on("close", () => { if (!closing) unexpectedCloses++; });
    clients.push(c);
  });
}

async function openAll() {
  let next = 0;
  async function worker() {
    while (next < total) {
      await open(next++);
    }
  }
  await Promise.all(Array.from({ length: inflight }, worker));
}

function stats(phase) {
  const all = [];
  let minCount = Infinity, maxCount = 0;
  for (const c of clients) {
    const n = c.counts.get(phase) || 0;
    minCount = Math.min(minCount, n);
    maxCount = Math.max(maxCount, n);
    for (const l of c.latencies.get(phase) || []) all.push(l);
  }
  all.sort((a, b) => a - b);
  const at = (q) => (all.length ? all[Math.min(all.length - 1, Math.floor(q * all.length))] : null);
  return {
    phase, clients: clients.length, samples: all.length, minCount, maxCount,
    gaps: clients.reduce((s, c) => s + c.gaps, 0), unexpectedCloses,
    p50: at(0.5), p99: at(0.99), max: all.length ? all[all.length - 1] : null,
  };
}

await openAll();
console.log(`READY ${connected}`);

const rl = createInterface({ input: process.stdin });
rl.on("line", async (line) => {
  const [cmd, phase, n] = line.trim().split(/\s+/);
  if (cmd !== "await") return;
  const want = Number(n);
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && clients.some((c) => (c.counts.get(phase) || 0) < want)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(JSON.stringify(stats(phase)));
});
rl.on("close", () => {
  closing = true;
  for (const c of clients) c.ws.terminate();
  process.exit(0);
});
