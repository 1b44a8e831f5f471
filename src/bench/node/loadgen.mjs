// A lean Socket.IO v5 / Engine.IO v4 load generator: raw protocol frames over `ws` (WebSocket) and
// node:http (long-polling), one process, thousands of connections, pings answered. Each scenario
// prints one human summary line and one JSON line (see ../README.md).
//   node loadgen.mjs fanout  --url ws://127.0.0.1:3000 --pid PID --clients 1000 --window 16 --messages 2000
//   node loadgen.mjs fanout  ... --clients 1000 --rate 20 --seconds 10      (fixed rate)
//   node loadgen.mjs echo    ... --clients 100 --seconds 10
//   node loadgen.mjs idle    ... --clients 10000 --heap jcmd | --heap http://127.0.0.1:P/__bench/heap [--settle 5]
//                                [--while "CMD"]  (a shell command run while the N connections are held, e.g. a class histogram)
//   node loadgen.mjs connect ... --clients 10000 [--inflight 256]
//   node loadgen.mjs polling ... --clients 1000 --window 16 --messages 300   (polling-only subscribers)
//   node loadgen.mjs hold    ... --clients 9500 --ready-file F --stop-file G   (idle connections held until G
//                                exists; every ping's gap to the previous one recorded; see ../fd-ceiling.sh)
// Several nodes of one cluster (the cross-node fan-out, ../cluster.sh): --url ws://A,ws://B spreads the
// WebSocket clients over the URLs in turn (client 0, the publisher, on the first), --pid P1,P2 sums the
// nodes' CPU and RSS, --extra-pid PID (e.g. redis-server) is measured apart (extraCpuMicrosPerDelivery).
// Common options: --label NAME (written into the JSON), --path /socket.io/, --inflight 256 (handshakes
// in flight while opening), --stall 10 (seconds without a delivery before a run is given up),
// --timeout 900 (seconds for the whole scenario).
import { WebSocket } from "ws";
import http from "node:http";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";

const args = Object.fromEntries(process.argv.slice(3).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const scenario = process.argv[2];
const bases = (args.url || "ws://127.0.0.1:3000").split(",").map((u) => u.replace(/\/$/, ""));
const base = bases[0];
const enginePath = args.path || "/socket.io/";
const wsUrls = bases.map((b) => `${b}${enginePath}?EIO=4&transport=websocket`);
const serverUrl = new URL(base.replace(/^ws/, "http"));
const serverPort = Number(serverUrl.port || 80);
const serverPorts = bases.map((b) => Number(new URL(b.replace(/^ws/, "http")).port || 80));
const pollingPath = `${enginePath}?EIO=4&transport=polling`;
const pids = args.pid ? String(args.pid).split(",").map(Number) : [];
const pid = pids.length ? pids[0] : null;
const extraPid = args["extra-pid"] ? Number(args["extra-pid"]) : null;
const label = args.label || "server";
const inflight = Number(args.inflight || 256);
const stallMs = Number(args.stall || 10) * 1000;
const TICK = 100; // clock ticks per second, as /proc reports them (getconf CLK_TCK)
const READY_ID = 999999999; // ack id of the readiness echo every client sends after CONNECT

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x == null || Number.isNaN(x) ? null : +x.toFixed(d));

function cpuMicrosOf(p) {
  const f = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * (1e6 / TICK); // utime + stime
}
/** The server's CPU: with several nodes (--pid P1,P2), their sum. */
function cpuMicros() {
  return pids.reduce((sum, p) => sum + cpuMicrosOf(p), 0);
}
function extraCpuMicros() {
  return extraPid ? cpuMicrosOf(extraPid) : 0;
}
function rssKiB() {
  let sum = 0;
  for (const p of pids) {
    const m = readFileSync(`/proc/${p}/status`, "utf8").match(/VmRSS:\s+(\d+)/);
    sum += m ? Number(m[1]) : 0;
  }
  return sum;
}

/** Established TCP connections whose local end is the server's port (i.e. the server's sockets). */
function serverConnections() {
  const hexes = serverPorts.map((p) => ":" + p.toString(16).toUpperCase().padStart(4, "0"));
  let count = 0;
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text;
    try { text = readFileSync(f, "utf8"); } catch { continue; }
    for (const line of text.split("\n")) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 3 && hexes.some((h) => cols[1].endsWith(h)) && cols[3] === "01") count++;
    }
  }
  return count;
}
/** Waits (up to 30 s) until the server holds no connection, e.g. those of a previous run. */
async function waitServerQuiet() {
  const until = performance.now() + 30000;
  let c;
  while ((c = serverConnections()) > 0 && performance.now() < until) await sleep(200);
  if (c > 0) console.error(`warning: the server still holds ${c} connections`);
}

/** Latencies in 0.1 ms buckets up to 120 s (the exact maximum is kept aside). */
class Histogram {
  constructor() { this.counts = new Uint32Array(1_200_001); this.n = 0; this.max = 0; }
  add(ms) {
    if (ms < 0) ms = 0;
    this.counts[Math.min(this.counts.length - 1, Math.round(ms * 10))]++;
    this.n++;
    if (ms > this.max) this.max = ms;
  }
  pct(p) {
    if (!this.n) return null;
    const target = Math.max(1, Math.ceil(this.n * p));
    for (let i = 0, acc = 0; i < this.counts.length; i++) if ((acc += this.counts[i]) >= target) return i / 10;
    return this.max;
  }
}

let closing = false; // set once a scenario terminates its own connections
let onPing = null; // (idx) => void, called on every Engine.IO ping a WebSocket client answers (the hold scenario)
let dropped = 0; // connections the server closed (or lost) during a run

/**
 * Opens one Socket.IO connection to the main namespace over WebSocket. Resolves after one echo
 * round trip: the server handles a connection's packets in order, so by then its connection
 * handler (which joins room "bench") has run, and no broadcast can miss this socket.
 */
function open(idx, onEvent, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrls[idx % wsUrls.length], { perMessageDeflate: false });
    let ready = false;
    const timer = setTimeout(() => { ws.terminate(); reject(new Error("handshake timed out")); }, timeoutMs);
    ws.on("error", (e) => { clearTimeout(timer); if (!ready) reject(e); });
    ws.on("close", () => { clearTimeout(timer); if (ready && !closing) dropped++; if (!ready) reject(new Error("closed during handshake")); });
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const s = data.toString();
      if (s === "2") { ws.send("3"); if (onPing) onPing(idx); return; }
      if (ready) { if (s.charCodeAt(0) === 52 /* 4 */) onEvent(s, idx); return; }
      if (s[0] === "0") { ws.send("40"); return; }
      if (s.startsWith("40")) { ws.send(`42${READY_ID}["echo",0]`); return; }
      if (s.startsWith("44")) { clearTimeout(timer); ws.terminate(); reject(new Error("connect refused: " + s)); return; }
      if (s.startsWith(`43${READY_ID}`)) { clearTimeout(timer); ready = true; resolve(ws); }
    });
  });
}

/** Opens n connections with `inFlight` handshakes at a time; each is retried up to twice. */
async function openMany(n, onEvent, inFlight = inflight, opener = open) {
  const sockets = new Array(n);
  const handshakes = new Histogram();
  let next = 0, failures = 0;
  const started = performance.now();
  async function worker() {
    while (next < n) {
      const i = next++;
      for (let attempt = 0; ; attempt++) {
        const t0 = performance.now();
        try {
          sockets[i] = await opener(i, onEvent);
          handshakes.add(performance.now() - t0);
          break;
        } catch (e) {
          failures++;
          if (attempt >= 2) throw new Error(`connection ${i} failed 3 times (${e.code || e.message}) after ${i} opened`);
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker));
  return { sockets, seconds: (performance.now() - started) / 1000, handshakes, failures };
}

/**
 * Tracks a broadcast stream: message i (0..total-1) to each of n clients, exactly once. Latency is
 * the time from the send (or, at a fixed rate, the scheduled send) to the delivery.
 */
class Stream {
  constructor(n, total) {
    this.n = n; this.total = total;
    this.seen = new Uint8Array(Math.ceil((n * total) / 8));
    this.perMessage = new Uint32Array(total);
    this.latency = new Histogram();
    this.unique = 0; this.duplicates = 0; this.stray = 0;
    this.watermark = -1; // every message <= watermark reached every client
    this.lastDelivery = performance.now();
    this.waiter = null;
    this.onEvent = (s, c) => this.deliver(s, c);
  }
  deliver(s, c) {
    // 42["bench",{"i":N,"t":T,"p":"..."}]
    if (!s.startsWith('42["bench",')) return;
    const now = performance.now();
    const i0 = s.indexOf('"i":') + 4;
    const i = Number(s.slice(i0, s.indexOf(",", i0)));
    const t0 = s.indexOf('"t":') + 4;
    const t = Number(s.slice(t0, s.indexOf(",", t0)));
    if (!(i >= 0 && i < this.total) || c < 0) { this.stray++; return; }
    const bit = c * this.total + i;
    if (this.seen[bit >> 3] & (1 << (bit & 7))) { this.duplicates++; return; }
    this.seen[bit >> 3] |= 1 << (bit & 7);
    this.unique++;
    this.lastDelivery = now;
    this.latency.add(now - t);
    if (++this.perMessage[i] === this.n && i === this.watermark + 1) {
      while (this.watermark + 1 < this.total && this.perMessage[this.watermark + 1] === this.n) this.watermark++;
      if (this.waiter && this.watermark >= this.waiter.target) this.waiter.done(true);
    }
  }
  /** Resolves true once every message <= target reached everyone, false after stallMs without a delivery. */
  until(target) {
    if (this.watermark >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = setInterval(() => { if (performance.now() - this.lastDelivery > stallMs) this.waiter.done(false); }, 250);
      this.waiter = { target, done: (ok) => { clearInterval(check); this.waiter = null; resolve(ok); } };
    });
  }
  /** Publishes the stream through `publisher` (a WebSocket): `window` in flight, or at `rate` per second. */
  async publish(publisher, { window, rate }) {
    const payload = "x".repeat(100);
    const send = (i, t) => publisher.send(`42["bench",{"i":${i},"t":${t.toFixed(2)},"p":"${payload}"}]`);
    this.started = performance.now();
    this.lastDelivery = this.started;
    this.sent = 0;
    if (rate) {
      for (; this.sent < this.total; this.sent++) {
        const due = this.started + (this.sent * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        send(this.sent, due); // the scheduled time: a late sender does not hide the server's delay
      }
    } else {
      for (; this.sent < this.total; this.sent++) {
        if (this.sent >= window && !(await this.until(this.sent - window))) break;
        send(this.sent, performance.now());
      }
    }
    this.drained = this.sent === this.total && (await this.until(this.total - 1));
    this.seconds = (this.lastDelivery - this.started) / 1000;
  }
  summary() {
    const expected = this.sent * this.n;
    return { sent: this.sent, deliveries: this.unique, expected, lost: expected - this.unique, duplicates: this.duplicates,
      drained: this.drained, deliveriesPerSecond: Math.round(this.unique / Math.max(this.seconds, 1e-3)),
      p50: round(this.latency.pct(0.5)), p99: round(this.latency.pct(0.99)), max: round(this.latency.max) };
  }
}

function streamOptions(defaultMessages) {
  const rate = args.rate ? Number(args.rate) : null;
  const window = Number(args.window || 16);
  const total = args.messages ? Number(args.messages) : rate ? Math.round(rate * Number(args.seconds || 10)) : defaultMessages;
  return { rate, window, total, mode: rate ? `${rate}/s` : `window ${window}` };
}

function streamLine(r) {
  return `${r.scenario} ${label} N=${r.clients} ${r.mode}: ${r.deliveriesPerSecond}/s p50=${r.p50}ms p99=${r.p99}ms `
    + `max=${r.max}ms lost=${r.lost} dup=${r.duplicates}${r.drained ? "" : " (not drained)"}${r.dropped ? ` dropped=${r.dropped}` : ""} `
    + `cpu=${r.cpuMicrosPerDelivery}µs/delivery rss=${Math.round(r.rssKiB / 1024)}MiB`;
}

async function fanout() {
  const n = Number(args.clients || 1000);
  const opts = streamOptions(1000);
  const stream = new Stream(n, opts.total);
  const { sockets, seconds: connectSeconds } = await openMany(n, stream.onEvent);
  const cpu0 = cpuMicros(), extra0 = extraCpuMicros();
  await stream.publish(sockets[0], opts);
  const cpu = cpuMicros() - cpu0, extra = extraCpuMicros() - extra0;
  const s = stream.summary();
  const result = { scenario: "fanout", label, clients: n, messages: opts.total, mode: opts.mode, ...s, dropped,
    cpuMicrosPerDelivery: round(cpu / Math.max(1, s.deliveries), 2), rssKiB: rssKiB(), connectSeconds: round(connectSeconds),
    ...(bases.length > 1 || extraPid ? { nodes: bases.length } : {}),
    ...(extraPid ? { extraCpuMicrosPerDelivery: round(extra / Math.max(1, s.deliveries), 2) } : {}) };
  closing = true;
  sockets.forEach((ws) => ws.terminate());
  return [streamLine(result), result];
}

async function echo() {
  const n = Number(args.clients || 100);
  const seconds = Number(args.seconds || 10);
  const rtts = new Histogram();
  let done = 0;
  const pending = new Map();
  const onEvent = (s) => {
    if (s[1] !== "3") return;
    const id = Number(s.slice(2, s.indexOf("[")));
    const t = pending.get(id);
    if (t !== undefined) { pending.delete(id); rtts.add(performance.now() - t.at); done++; t.next(); }
  };
  const { sockets } = await openMany(n, onEvent);
  let ids = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const cpu0 = cpuMicros();
  const finished = await Promise.race([
    Promise.all(sockets.map((ws) => new Promise((resolve) => {
      const fire = () => {
        if (performance.now() > deadline) return resolve();
        const id = ids++;
        pending.set(id, { at: performance.now(), next: fire });
        ws.send(`42${id}["echo","ping"]`);
      };
      fire();
    }))).then(() => true),
    sleep(seconds * 1000 + stallMs).then(() => false)]);
  const cpu = cpuMicros() - cpu0;
  const elapsed = (performance.now() - started) / 1000;
  const result = { scenario: "echo", label, clients: n, roundTrips: done, unanswered: pending.size, finished, dropped,
    roundTripsPerSecond: Math.round(done / elapsed), p50: round(rtts.pct(0.5), 2), p99: round(rtts.pct(0.99), 2),
    max: round(rtts.max, 2), cpuMicrosPerRoundTrip: round(cpu / Math.max(1, done), 2) };
  closing = true;
  sockets.forEach((ws) => ws.terminate());
  return [`echo ${label} clients=${n}: ${result.roundTripsPerSecond} rt/s p50=${result.p50}ms p99=${result.p99}ms `
    + `max=${result.max}ms cpu=${result.cpuMicrosPerRoundTrip}µs/rt${result.unanswered ? ` unanswered=${result.unanswered}` : ""}`, result];
}

async function connect() {
  const n = Number(args.clients || 10000);
  const cpu0 = cpuMicros();
  const { sockets, seconds, handshakes, failures } = await openMany(n, () => {});
  const cpu = cpuMicros() - cpu0;
  const result = { scenario: "connect", label, clients: n, inflight, connectionsPerSecond: Math.round(n / seconds),
    handshakeP50: round(handshakes.pct(0.5)), handshakeP99: round(handshakes.pct(0.99)), handshakeMax: round(handshakes.max),
    failures, cpuMicrosPerConnection: round(cpu / n), rssKiB: rssKiB() };
  closing = true;
  sockets.forEach((ws) => ws.terminate());
  return [`connect ${label} N=${n} (${inflight} in flight): ${result.connectionsPerSecond} conn/s `
    + `handshake p50=${result.handshakeP50}ms p99=${result.handshakeP99}ms cpu=${result.cpuMicrosPerConnection}µs/conn `
    + `rss=${Math.round(result.rssKiB / 1024)}MiB${failures ? ` failures=${failures}` : ""}`, result];
}

/**
 * The server's heap after a forced full GC, in KiB: `--heap jcmd` (JVM: jcmd PID GC.run, then
 * GC.heap_info) or `--heap URL` (the Node peer's /__bench/heap: global.gc(), process.memoryUsage()).
 */
async function heapAfterGc() {
  const how = args.heap;
  if (!how) throw new Error("idle needs --heap jcmd or --heap http://HOST:PORT/__bench/heap");
  if (how === "jcmd") {
    execFileSync("jcmd", [String(pid), "GC.run"], { stdio: "pipe" });
    const out = execFileSync("jcmd", [String(pid), "GC.heap_info"], { encoding: "utf8" });
    // G1: " garbage-first heap   total 262144K, used 12345K [...]"; Serial/Parallel: one such line per generation
    const used = [...out.matchAll(/total \d+K, used (\d+)K/g)].map((m) => Number(m[1]));
    if (used.length) return { heapKiB: used.reduce((a, b) => a + b, 0) };
    const z = out.match(/used (\d+)M, capacity/); // ZGC: " ZHeap  used 8M, capacity 16M, max capacity 1024M"
    if (z) return { heapKiB: Number(z[1]) * 1024 };
    throw new Error("cannot read the heap from jcmd GC.heap_info:\n" + out);
  }
  const res = await fetch(how);
  const m = await res.json();
  if (!m.gc) throw new Error("the node peer has no global.gc(): start it with node --expose-gc");
  return { heapKiB: Math.round(m.heapUsed / 1024), externalKiB: Math.round(m.external / 1024) };
}

async function idle() {
  const n = Number(args.clients || 10000);
  const settle = Number(args.settle || 5);
  const before = await heapAfterGc();
  const rssBefore = rssKiB();
  const { sockets, seconds } = await openMany(n, () => {});
  await sleep(settle * 1000); // idle: nothing but the heartbeat
  const after = await heapAfterGc();
  const rssAfter = rssKiB();
  if (args.while) execFileSync("sh", ["-c", args.while], { stdio: ["ignore", "inherit", "inherit"] });
  const result = { scenario: "idle", label, clients: n, settleSeconds: settle, dropped,
    heapPerConnectionKiB: round((after.heapKiB - before.heapKiB) / n, 2), rssPerConnectionKiB: round((rssAfter - rssBefore) / n, 2),
    heapBaselineKiB: before.heapKiB, heapKiB: after.heapKiB, rssBaselineKiB: rssBefore, rssKiB: rssAfter,
    connectSeconds: round(seconds) };
  if (after.externalKiB != null) {
    result.externalPerConnectionKiB = round((after.externalKiB - before.externalKiB) / n, 2);
  }
  closing = true;
  sockets.forEach((ws) => ws.terminate());
  return [`idle ${label} N=${n}: heap ${result.heapPerConnectionKiB} KiB/conn (${Math.round(before.heapKiB / 1024)} -> `
    + `${Math.round(after.heapKiB / 1024)} MiB after GC), RSS ${result.rssPerConnectionKiB} KiB/conn `
    + `(${Math.round(rssBefore / 1024)} -> ${Math.round(rssAfter / 1024)} MiB)`, result];
}

// ---- Engine.IO long-polling clients (no upgrade) ----

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 65536 });

/** One HTTP request on the keep-alive agent; a request that lost the race with the server closing an idle socket is retried. */
function httpRequest(method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = body == null ? {} : { "content-type": "text/plain;charset=UTF-8", "content-length": Buffer.byteLength(body) };
    const req = http.request({ agent, host: serverUrl.hostname, port: serverPort, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { text += c; });
      res.on("end", () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${method} ${res.statusCode} ${text.slice(0, 200)}`))));
      res.on("error", reject);
    });
    req.on("error", (e) => {
      if (req.reusedSocket && (e.code === "ECONNRESET" || e.code === "EPIPE")) httpRequest(method, path, body).then(resolve, reject);
      else reject(e);
    });
    req.end(body);
  });
}

/** A Socket.IO client over Engine.IO long-polling: one GET held at a time, POSTs one at a time (packets queued meanwhile). */
class PollingClient {
  constructor(idx, onEvent) {
    this.idx = idx; this.onEvent = onEvent;
    this.queue = []; this.posting = false; this.closed = false; this.error = null;
  }
  async open(timeoutMs = 30000) {
    const body = await httpRequest("GET", pollingPath);
    const open = body.split("\x1e")[0];
    if (open[0] !== "0") throw new Error("no open packet: " + body.slice(0, 100));
    this.path = `${pollingPath}&sid=${encodeURIComponent(JSON.parse(open.slice(1)).sid)}`;
    const ready = new Promise((resolve, reject) => { this.ready = resolve; this.fail = reject; });
    this.send("40");
    this.loop();
    let timer;
    await Promise.race([ready, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("polling handshake timed out")), timeoutMs); })])
      .finally(() => clearTimeout(timer));
    this.isReady = true;
    return this;
  }
  send(packet) {
    this.queue.push(packet);
    if (!this.posting) this.flush();
  }
  async flush() {
    this.posting = true;
    while (this.queue.length && !this.closed) {
      const body = this.queue.join("\x1e");
      this.queue = [];
      try { await httpRequest("POST", this.path, body); } catch (e) { this.lost(e); break; }
    }
    this.posting = false;
    if (this.onFlushed && !this.queue.length) this.onFlushed();
  }
  async loop() {
    while (!this.closed) {
      let body;
      try { body = await httpRequest("GET", this.path); } catch (e) { this.lost(e); return; }
      for (const p of body.split("\x1e")) this.handle(p);
    }
  }
  handle(p) {
    if (p === "2") this.send("3");
    else if (p.charCodeAt(0) === 52 /* 4 */) {
      if (this.isReady) this.onEvent(p, this.idx);
      else if (p.startsWith("40")) this.send(`42${READY_ID}["echo",0]`);
      else if (p.startsWith(`43${READY_ID}`)) this.ready();
      else if (p.startsWith("44")) this.fail(new Error("connect refused: " + p));
    } else if (p === "1") this.lost(new Error("closed by the server"));
  }
  lost(e) {
    if (this.closed) return;
    this.closed = true;
    if (this.isReady) { if (!closing) dropped++; } else this.fail(e);
  }
  /** Sends the Engine.IO close packet; resolves once it is posted. */
  close() {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.onFlushed = () => { this.closed = true; resolve(); };
      this.send("1");
    });
  }
}

async function polling() {
  const n = Number(args.clients || 1000);
  const opts = streamOptions(300);
  const stream = new Stream(n, opts.total);
  const { sockets: clients, seconds: connectSeconds } = await openMany(n, stream.onEvent, Math.min(inflight, 100),
    (i, onEvent) => new PollingClient(i, onEvent).open());
  const publisher = await open(-1, () => {}); // a WebSocket client in the room too; its copies are not counted
  const cpu0 = cpuMicros();
  await stream.publish(publisher, opts);
  const cpu = cpuMicros() - cpu0;
  const s = stream.summary();
  const result = { scenario: "polling", label, clients: n, messages: opts.total, mode: opts.mode, ...s, dropped,
    cpuMicrosPerDelivery: round(cpu / Math.max(1, s.deliveries), 2), rssKiB: rssKiB(), connectSeconds: round(connectSeconds) };
  closing = true;
  publisher.terminate();
  // close the sessions (or the server would keep them, and their queues, until the ping timeout)
  await Promise.race([Promise.all(clients.map((c) => c.close())), sleep(5000)]);
  agent.destroy();
  return [streamLine(result), result];
}

/**
 * Holds N idle WebSocket connections until --stop-file exists (polled every 250 ms), answering pings
 * and recording, per connection, the gap between consecutive pings (gaps ending after every
 * connection was open count; the connect phase keeps this process's event loop busy). Writes
 * --ready-file (the number of connections) once all are open, so a driver can measure the server
 * meanwhile (../fd-ceiling.sh runs two of these). --hold S instead of --stop-file holds S seconds.
 */
async function hold() {
  const n = Number(args.clients || 9500);
  const lastPing = new Float64Array(n + 1).fill(-1);
  const gaps = new Histogram();
  let holdStart = Infinity, pings = 0;
  onPing = (idx) => {
    const now = performance.now();
    const i = idx < 0 ? n : idx;
    if (lastPing[i] >= 0 && now >= holdStart) gaps.add(now - lastPing[i]);
    lastPing[i] = now;
    pings++;
  };
  const { sockets, seconds, failures } = await openMany(n, () => {});
  holdStart = performance.now();
  const open = () => sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  if (args["ready-file"]) writeFileSync(args["ready-file"], String(open()));
  console.error(`hold ${label}: ${n} connections open in ${round(seconds)} s, holding`);
  if (args["stop-file"]) {
    while (!existsSync(args["stop-file"])) await sleep(250);
  } else {
    await sleep(Number(args.hold || 60) * 1000);
  }
  const held = open();
  const heldSeconds = (performance.now() - holdStart) / 1000;
  const result = { scenario: "hold", label, clients: n, held, dropped, failures, connectSeconds: round(seconds),
    heldSeconds: round(heldSeconds), pings, gapsMeasured: gaps.n, maxPingGapMs: round(gaps.max),
    p99PingGapMs: round(gaps.pct(0.99)), p50PingGapMs: round(gaps.pct(0.5)) };
  closing = true;
  sockets.forEach((ws) => ws.terminate());
  return [`hold ${label} N=${n}: held ${held} for ${result.heldSeconds} s, ping gap p50=${result.p50PingGapMs}ms `
    + `p99=${result.p99PingGapMs}ms max=${result.maxPingGapMs}ms (${gaps.n} gaps)${dropped ? ` dropped=${dropped}` : ""}`, result];
}

const scenarios = { fanout, echo, connect, idle, polling, hold };
if (!scenarios[scenario]) {
  console.error("usage: node loadgen.mjs fanout|echo|idle|connect|polling|hold --url ws://HOST:PORT --pid SERVER_PID [options]");
  process.exit(2);
}
const timeout = setTimeout(() => fail(new Error(`no result after ${args.timeout || 900} s`)), Number(args.timeout || 900) * 1000);
function fail(e) {
  console.log(`${scenario} ${label} N=${args.clients || "-"}: FAILED: ${e.message}`);
  console.log(JSON.stringify({ scenario, label, clients: args.clients ? Number(args.clients) : undefined,
    mode: args.rate ? `${args.rate}/s` : scenario === "fanout" || scenario === "polling" ? `window ${args.window || 16}` : undefined,
    error: e.message }));
  process.exit(1);
}
try {
  if (scenario !== "hold") await waitServerQuiet(); // several hold processes share one server: their driver waits
  const [line, result] = await scenarios[scenario]();
  clearTimeout(timeout);
  console.log(line);
  console.log(JSON.stringify(result));
  process.exit(0);
} catch (e) {
  fail(e);
}
