// The client side of the soak (standalone.SoakIT, src/bench/soak.sh): SOAK_CLIENTS raw Socket.IO v5 / Engine.IO v4
// WebSocket clients in this one process against the soak server (dev.parley.standalone.SoakApp), with steady traffic
// for SOAK_SECONDS once all are connected:
//   - every client acts every SOAK_ACTION_MS on average (jittered), one action in flight at a time: joins a room,
//     leaves one, says something to a room (`say` {room, id}: the server broadcasts `said` {room, id} to the room
//     and then acknowledges), or asks (`ask` n: the server asks the client back, `question` n with an ack, and
//     acknowledges the ask with the client's answer n + 1): acks both ways;
//   - every 5 s, SOAK_RECONNECT_PERCENT of the clients close (cleanly, nothing in flight) and connect again as new
//     sessions, with no rooms;
//   - every SOAK_HOSTILE_MS one hostile client connects and, in turn, sends a packet that is no JSON, a frame larger
//     than SOAK_MAX_PAYLOAD, or a flood of events (beyond the server's event-rate limit); each must be closed by the
//     server within 10 s.
// Every delivery is checked against room membership at send time: a `say` is expected at every client that was a
// member (its join acknowledged) before the say was sent and still is (no leave sent, not closed) when its ack
// arrives; each of those must get it exactly once (15 s to arrive), unless it closed its session (to reconnect) before
// the message reached it: a message in flight at a close is legitimately lost with that session (no recovery here),
// counted apart as `missedByClosing`. A client that was joining or leaving meanwhile
// may or may not get it; a client that never asked for the room must not. Every ack must arrive within 10 s.
// Output lines: "SOAK READY <n>" once connected, "SOAK PROGRESS {json}" every 10 s, "SOAK RESULT {json}" at the
// end; then the clients close and the process exits 0 once stdin has a line or ends (so the driver can read the
// server's state before they leave). It exits 1 if it could not run at all.
import { WebSocket } from "ws";
import { createInterface } from "node:readline";

const url = process.env.SOAK_URL;
if (!url) throw new Error("SOAK_URL is not set: this script is run by SoakIT or src/bench/soak.sh");
const N = Number(process.env.SOAK_CLIENTS || 2000);
const SECONDS = Number(process.env.SOAK_SECONDS || 60);
const ACTION_MS = Number(process.env.SOAK_ACTION_MS || 5000);
const ROOMS = Number(process.env.SOAK_ROOMS || Math.max(4, Math.round(N / 25)));
const RECONNECT_PERCENT = Number(process.env.SOAK_RECONNECT_PERCENT || 1);
const HOSTILE_MS = Number(process.env.SOAK_HOSTILE_MS || 3000);
const MAX_PAYLOAD = Number(process.env.SOAK_MAX_PAYLOAD || 65536);
const ACK_TIMEOUT_MS = 10000;
const DELIVERY_GRACE_MS = 15000;
const wsUrl = `${url.replace(/^http/, "ws").replace(/\/$/, "")}/socket.io/?EIO=4&transport=websocket`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
const rnd = (n) => Math.floor(Math.random() * n);

const stats = {
  connects: 0, connectFailures: 0, reconnects: 0, dropped: 0, ackTimeouts: 0, badAcks: 0,
  joins: 0, leaves: 0, says: 0, asks: 0, asksAnswered: 0, questions: 0,
  deliveries: 0, expected: 0, expectedDelivered: 0, lost: 0, missedByClosing: 0, duplicates: 0, stray: 0, late: 0,
  extra: 0, lostExamples: [],
  hostileStarted: 0, hostileClosed: 0, hostileSurvived: 0, hostileByKind: {},
};
const roomMembers = Array.from({ length: ROOMS }, () => new Map()); // room -> Map(incarnation -> joinedAt)
const says = new Map(); // say id -> { room, sentAt, ackAt, expected: [incarnations], got: Set }
let saySeq = 0;
let incarnationSeq = 0;
const closedIncarnations = new Set(); // sessions closed by their client (reconnects) or lost
let stopping = false;

class Client {
  constructor(slot) {
    this.slot = slot;
    this.ws = null;
    this.busy = false;
    this.closing = false;
  }

  /** Opens a new session; resolves once the main namespace is connected. */
  connect() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
      this.ws = ws;
      this.inc = ++incarnationSeq;
      this.rooms = new Map(); // room -> "joining" | "member" | "leaving"
      this.everRooms = new Set(); // rooms this session asked to join: deliveries from others are strays
      this.pending = new Map(); // ack id -> { at, done }
      this.ackSeq = 0;
      this.closing = false;
      this.ready = false;
      const timer = setTimeout(() => { ws.terminate(); reject(new Error("handshake timed out")); }, 20000);
      ws.on("error", (e) => { if (!this.ready) { clearTimeout(timer); reject(e); } });
      ws.on("close", () => {
        clearTimeout(timer);
        if (this.ws !== ws) return; // an earlier session's late close
        this.forgetRooms();
        if (!this.ready) { reject(new Error("closed during handshake")); return; }
        if (!this.closing) stats.dropped++;
        this.ready = false;
      });
      ws.on("message", (data, binary) => {
        if (binary || this.ws !== ws) return;
        const s = data.toString();
        if (s === "2") { ws.send("3"); return; }
        if (s[0] === "0") { ws.send("40"); return; }
        if (s.startsWith("40")) { clearTimeout(timer); this.ready = true; stats.connects++; resolve(this); return; }
        if (s.startsWith("42")) { this.onEvent(s); return; }
        if (s.startsWith("43")) { this.onAck(s); return; }
      });
    });
  }

  forgetRooms() {
    if (!this.rooms) return;
    closedIncarnations.add(this.inc);
    for (const room of this.rooms.keys()) roomMembers[room].delete(this.inc);
  }

  onEvent(s) {
    const bracket = s.indexOf("[");
    const ackId = bracket > 2 ? Number(s.slice(2, bracket)) : null;
    const [event, arg] = JSON.parse(s.slice(bracket));
    if (event === "said") {
      stats.deliveries++;
      const rec = says.get(arg.id);
      if (!this.everRooms.has(arg.room)) stats.stray++;
      if (!rec) { stats.late++; return; }
      if (rec.got.has(this.inc)) { stats.duplicates++; return; }
      rec.got.add(this.inc);
    } else if (event === "question" && ackId != null) {
      stats.questions++;
      this.ws.send(`43${ackId}[${arg + 1}]`);
    }
  }

  onAck(s) {
    const bracket = s.indexOf("[");
    const id = Number(s.slice(2, bracket));
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.done(JSON.parse(s.slice(bracket)));
  }

  /** Sends an event with an ack; `done` gets the ack's arguments. */
  request(event, arg, done) {
    const id = this.ackSeq++;
    const timer = setTimeout(() => {
      if (this.pending.delete(id)) { stats.ackTimeouts++; this.busy = false; }
    }, ACK_TIMEOUT_MS);
    this.pending.set(id, { timer, done: (args) => { this.busy = false; done(args); } });
    this.busy = true;
    this.ws.send(`42${id}${JSON.stringify([event, arg])}`);
  }

  /** One random action, if connected and nothing is in flight. */
  act() {
    if (stopping || !this.ready || this.busy || this.closing) return;
    const members = [...this.rooms].filter(([, st]) => st === "member").map(([r]) => r);
    const r = Math.random();
    if (members.length === 0 || (r < 0.25 && this.rooms.size < 3)) {
      const room = rnd(ROOMS);
      if (this.rooms.has(room)) return;
      this.rooms.set(room, "joining");
      this.everRooms.add(room);
      stats.joins++;
      const inc = this.inc;
      this.request("join", room, () => {
        if (this.inc !== inc || this.rooms.get(room) !== "joining") return;
        this.rooms.set(room, "member");
        roomMembers[room].set(inc, now());
      });
    } else if (r < 0.45 && members.length > 1) {
      const room = members[rnd(members.length)];
      this.rooms.set(room, "leaving");
      roomMembers[room].delete(this.inc); // from now on it may miss the room's messages
      stats.leaves++;
      const inc = this.inc;
      this.request("leave", room, () => { if (this.inc === inc) this.rooms.delete(room); });
    } else if (r < 0.8) {
      const room = rnd(ROOMS);
      const id = ++saySeq;
      const rec = { room, sentAt: now(), ackAt: null, expected: null, got: new Set() };
      says.set(id, rec);
      stats.says++;
      this.request("say", { room, id }, () => {
        rec.ackAt = now();
        rec.expected = [];
        for (const [inc, joinedAt] of roomMembers[room]) if (joinedAt < rec.sentAt) rec.expected.push(inc);
      });
    } else {
      const n = rnd(1000000);
      stats.asks++;
      this.request("ask", n, (args) => { if (args[0] === n + 1) stats.asksAnswered++; else stats.badAcks++; });
    }
  }

  /** Closes this session cleanly (nothing in flight) and opens a new one. */
  async reconnect() {
    if (!this.ready || this.busy || this.closing || stopping) return;
    this.closing = true;
    this.forgetRooms();
    const closed = new Promise((r) => this.ws.once("close", r));
    this.ws.close();
    await closed;
    await sleep(100 + rnd(400));
    try {
      await this.connect();
      stats.reconnects++;
    } catch {
      stats.connectFailures++;
    }
  }
}

/** Settles the says acknowledged more than `graceMs` ago (all, with 0): lost = expected recipients without it. */
function settle(graceMs) {
  const t = now();
  for (const [id, rec] of says) {
    if (rec.ackAt == null) {
      if (t - rec.sentAt > DELIVERY_GRACE_MS + ACK_TIMEOUT_MS || graceMs === 0) says.delete(id); // counted as ack timeout
      continue;
    }
    if (t - rec.ackAt < graceMs) continue;
    let hit = 0;
    for (const inc of rec.expected) {
      if (rec.got.has(inc)) hit++;
      else if (closedIncarnations.has(inc)) stats.missedByClosing++;
      else {
        stats.lost++;
        if (stats.lostExamples.length < 5) {
          stats.lostExamples.push({ say: id, room: rec.room, to: inc, sentAt: Math.round(rec.sentAt), ackAt: Math.round(rec.ackAt) });
        }
      }
    }
    stats.expected += rec.expected.length;
    stats.expectedDelivered += hit;
    stats.extra += rec.got.size - hit;
    says.delete(id);
  }
}

/** One hostile client of the given kind; resolves true if the server closed it within 10 s. */
function hostile(kind) {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    let misbehaved = false;
    const timer = setTimeout(() => { ws.terminate(); resolve(false); }, 10000);
    ws.on("error", () => {});
    ws.on("close", () => { clearTimeout(timer); resolve(misbehaved); });
    ws.on("message", (data) => {
      const s = data.toString();
      if (s === "2") { ws.send("3"); return; }
      if (s[0] === "0") { ws.send("40"); return; }
      if (!s.startsWith("40") || misbehaved) return;
      misbehaved = true;
      if (kind === "garbage") ws.send('42["say",{"room":1,"id":');
      else if (kind === "oversized") ws.send(`42["say","${"x".repeat(MAX_PAYLOAD * 2)}"]`);
      else for (let i = 0; i < 5000; i++) ws.send('42["noise",1]');
    });
  });
}

const clients = Array.from({ length: N }, (_, i) => new Client(i));
const started = now();
{
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const c = clients[next++];
      for (let attempt = 0; ; attempt++) {
        try { await c.connect(); break; } catch (e) {
          stats.connectFailures++;
          if (attempt >= 2) { console.log(`SOAK FAILED connecting client ${c.slot}: ${e.message}`); process.exit(1); }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 128 }, worker));
}
const connectSeconds = (now() - started) / 1000;
console.log(`SOAK READY ${N} ${connectSeconds.toFixed(1)}`);

const soakStart = now();
const timers = [];
for (const c of clients) {
  const tick = () => { c.act(); if (!stopping) c.timer = setTimeout(tick, ACTION_MS * (0.5 + Math.random())); };
  c.timer = setTimeout(tick, rnd(ACTION_MS));
}
timers.push(setInterval(() => {
  const k = Math.max(1, Math.round((N * RECONNECT_PERCENT) / 100));
  for (let i = 0; i < k; i++) clients[rnd(N)].reconnect();
}, 5000));
const kinds = ["garbage", "oversized", "flood"];
let hostileIdx = 0;
const hostiles = [];
timers.push(setInterval(() => {
  const kind = kinds[hostileIdx++ % kinds.length];
  stats.hostileStarted++;
  stats.hostileByKind[kind] = stats.hostileByKind[kind] || { started: 0, closed: 0 };
  stats.hostileByKind[kind].started++;
  hostiles.push(hostile(kind).then((closed) => {
    if (closed) { stats.hostileClosed++; stats.hostileByKind[kind].closed++; } else stats.hostileSurvived++;
  }));
}, HOSTILE_MS));
timers.push(setInterval(() => settle(DELIVERY_GRACE_MS), 1000));
timers.push(setInterval(() => {
  const connected = clients.filter((c) => c.ready).length;
  console.log(`SOAK PROGRESS ${JSON.stringify({ t: Math.round((now() - soakStart) / 1000), connected, ...stats })}`);
}, 10000));

await sleep(SECONDS * 1000);
stopping = true;
timers.forEach(clearInterval);
// drain: every action in flight answered (or timed out), every reconnect done, every hostile client settled
const drainUntil = now() + ACK_TIMEOUT_MS + 5000;
while (clients.some((c) => c.busy || c.closing && !c.ready) && now() < drainUntil) await sleep(100);
await Promise.all(hostiles);
let last = -1;
while (stats.deliveries !== last) { last = stats.deliveries; await sleep(2000); } // until deliveries stop
settle(0);
const connected = clients.filter((c) => c.ready).length;
const result = { clients: N, rooms: ROOMS, seconds: SECONDS, connectSeconds: +connectSeconds.toFixed(1), connected, ...stats };
console.log(`SOAK RESULT ${JSON.stringify(result)}`);
await new Promise((resolve) => { const rl = createInterface({ input: process.stdin }); rl.once("line", resolve); rl.once("close", resolve); });
for (const c of clients) { c.closing = true; c.ws.close(); }
await sleep(500);
process.exit(0);
