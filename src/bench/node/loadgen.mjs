// A lean Socket.IO v5 / Engine.IO v4 load generator over raw WebSocket frames (ws), one process,
// thousands of connections. Scenarios print one summary line and one JSON line.
//   node loadgen.mjs fanout  --url ws://127.0.0.1:3000 --pid PID --clients 1000 --rate 20 --messages 200
//   node loadgen.mjs fanout  ... --window 16 --messages 2000      (as fast as possible, 16 in flight)
//   node loadgen.mjs echo    --url ... --pid PID --clients 100 --seconds 10
import { WebSocket } from "ws";
import { readFileSync } from "node:fs";

const args = Object.fromEntries(process.argv.slice(3).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const scenario = process.argv[2];
const url = (args.url || "ws://127.0.0.1:3000") + "/socket.io/?EIO=4&transport=websocket";
const pid = args.pid ? Number(args.pid) : null;
const label = args.label || "server";
const TICK = 100; // clock ticks per second, as /proc reports them (getconf CLK_TCK)

function cpuMicros() {
  if (!pid) return 0;
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * (1e6 / TICK); // utime + stime
}
function rssKiB() {
  if (!pid) return 0;
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/);
  return m ? Number(m[1]) : 0;
}
function pct(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

/**
 * Opens one Socket.IO connection to the main namespace. Resolves after one echo round trip: the
 * server handles a connection's packets in order, so by then its connection handler (which joins
 * room "bench") has run, and no broadcast can miss this socket.
 */
function open(onEvent) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let ready = false;
    ws.on("error", reject);
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const s = data.toString();
      if (s === "2") { ws.send("3"); return; }
      if (s[0] === "0") { ws.send("40"); return; }
      if (s.startsWith("40")) { ws.send('42999999999["echo",0]'); return; }
      if (!ready && s.startsWith("43999999999")) { ready = true; resolve(ws); return; }
      if (s.startsWith("42") || s.startsWith("43")) onEvent(s);
    });
  });
}

async function openMany(n, onEvent, inFlight = 256) {
  const sockets = [];
  let next = 0;
  const started = Date.now();
  const handshakeMs = [];
  async function worker() {
    while (next < n) {
      next++;
      const t0 = performance.now();
      sockets.push(await open(onEvent));
      handshakeMs.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker));
  handshakeMs.sort((a, b) => a - b);
  return { sockets, seconds: (Date.now() - started) / 1000, handshakeP99: pct(handshakeMs, 0.99) };
}

async function fanout() {
  const n = Number(args.clients || 1000);
  const total = Number(args.messages || 200);
  const rate = args.rate ? Number(args.rate) : null;
  const window = Number(args.window || 16);
  const payload = "x".repeat(100);
  const seen = new Map(); // message id -> deliveries
  const latencies = [];
  let deliveries = 0, duplicates = 0, lastAck = -1;
  const waiters = [];
  const onEvent = (s) => {
    // 42["bench",{"i":N,"t":T,"p":"..."}]
    const i0 = s.indexOf('"i":') + 4;
    const i = Number(s.slice(i0, s.indexOf(",", i0)));
    const t0 = s.indexOf('"t":') + 4;
    const t = Number(s.slice(t0, s.indexOf(",", t0)));
    latencies.push(Date.now() - t);
    deliveries++;
    const c = (seen.get(i) || 0) + 1;
    seen.set(i, c);
    if (c > n) duplicates++;
    if (c === n) { lastAck = i; while (waiters.length && waiters[0].i <= i) waiters.shift().resolve(); }
  };
  const { sockets } = await openMany(n, onEvent);
  const publisher = sockets[0];
  const cpu0 = cpuMicros();
  const started = performance.now();
  let sent = 0;
  const complete = (i) => new Promise((resolve) => (lastAck >= i ? resolve() : waiters.push({ i, resolve })));
  if (rate) {
    for (; sent < total; sent++) {
      publisher.send(`42["bench",{"i":${sent},"t":${Date.now()},"p":"${payload}"}]`);
      await new Promise((r) => setTimeout(r, 1000 / rate));
    }
  } else {
    for (; sent < total; sent++) {
      if (sent >= window) await complete(sent - window);
      publisher.send(`42["bench",{"i":${sent},"t":${Date.now()},"p":"${payload}"}]`);
    }
  }
  const drained = await Promise.race([complete(total - 1).then(() => true),
    new Promise((r) => setTimeout(() => r(false), 10000))]);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuMicros() - cpu0;
  latencies.sort((a, b) => a - b);
  const expected = total * n;
  const result = { scenario: "fanout", label, clients: n, messages: total, mode: rate ? `${rate}/s` : `window ${window}`,
    deliveries, expected, lost: expected - deliveries + duplicates, duplicates, drained,
    deliveriesPerSecond: Math.round(deliveries / seconds), p50: pct(latencies, 0.5), p99: pct(latencies, 0.99),
    max: latencies[latencies.length - 1], cpuMicrosPerDelivery: +(cpu / Math.max(1, deliveries)).toFixed(2),
    rssKiB: rssKiB() };
  console.log(`fanout ${label} N=${n} ${result.mode}: ${result.deliveriesPerSecond}/s p50=${result.p50}ms `
    + `p99=${result.p99}ms lost=${result.lost} cpu=${result.cpuMicrosPerDelivery}µs/delivery rss=${result.rssKiB}KiB`);
  console.log(JSON.stringify(result));
  sockets.forEach((s) => s.terminate());
}

async function echo() {
  const n = Number(args.clients || 100);
  const seconds = Number(args.seconds || 10);
  const rtts = [];
  let done = 0;
  const pending = new Map();
  const onEvent = (s) => {
    const id = Number(s.slice(2, s.indexOf("[")));
    const t = pending.get(id);
    if (t !== undefined) { pending.delete(id); rtts.push(performance.now() - t.at); done++; t.next(); }
  };
  const { sockets } = await openMany(n, onEvent);
  let ids = 0;
  const deadline = performance.now() + seconds * 1000;
  const cpu0 = cpuMicros();
  await Promise.all(sockets.map((ws) => new Promise((resolve) => {
    const fire = () => {
      if (performance.now() > deadline) return resolve();
      const id = ids++;
      pending.set(id, { at: performance.now(), next: fire });
      ws.send(`42${id}["echo","ping"]`);
    };
    fire();
  })));
  const cpu = cpuMicros() - cpu0;
  rtts.sort((a, b) => a - b);
  const result = { scenario: "echo", label, clients: n, roundTripsPerSecond: Math.round(done / seconds),
    p50: +pct(rtts, 0.5).toFixed(2), p99: +pct(rtts, 0.99).toFixed(2), cpuMicrosPerRoundTrip: +(cpu / done).toFixed(2) };
  console.log(`echo ${label} clients=${n}: ${result.roundTripsPerSecond} rt/s p50=${result.p50}ms p99=${result.p99}ms`);
  console.log(JSON.stringify(result));
  sockets.forEach((s) => s.terminate());
}

async function connect() {
  const n = Number(args.clients || 10000);
  const { sockets, seconds, handshakeP99 } = await openMany(n, () => {}, Number(args.inflight || 256));
  const result = { scenario: "connect", label, clients: n, connectionsPerSecond: Math.round(n / seconds),
    handshakeP99: +handshakeP99.toFixed(1), rssKiB: rssKiB(), rssPerConnectionKiB: +(rssKiB() / n).toFixed(2) };
  console.log(`connect ${label} N=${n}: ${result.connectionsPerSecond} conn/s p99=${result.handshakeP99}ms `
    + `rss=${result.rssKiB}KiB`);
  console.log(JSON.stringify(result));
  sockets.forEach((s) => s.terminate());
}

const scenarios = { fanout, echo, connect };
if (!scenarios[scenario]) {
  console.error("usage: node loadgen.mjs fanout|echo|connect --url ws://HOST:PORT --pid SERVER_PID [options]");
  process.exit(2);
}
await scenarios[scenario]();
process.exit(0);
