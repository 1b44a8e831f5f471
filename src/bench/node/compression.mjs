// Bytes on the wire and server CPU of a fan-out of ~1 KB JSON events, with or without
// permessage-deflate: N raw WebSocket clients (ws, offering the extension or not) in room "bench"
// of a server speaking the bench contract (java -jar target/parley-standalone.jar --bench
// [--per-message-deflate true]); client 0 publishes MESSAGES events, 16 in flight. Prints one JSON
// line: deliveries, the extension the 101 answered, bytes read by all clients during the stream
// (frames included) per delivery, and the server's CPU (utime+stime of SERVER_PID) per delivery.
//   SERVER_PID=<pid> node compression.mjs [--url http://127.0.0.1:3400] [--clients 500] [--messages 400] [--deflate 1]
import { WebSocket } from "ws";
import { readFileSync } from "node:fs";

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (i % 2 ? a : [...a, [v.replace(/^--/, ""), all[i + 1]]]), []));
const url = (args.url || "http://127.0.0.1:3400").replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket";
const clients = Number(args.clients || 500);
const messages = Number(args.messages || 400);
const deflate = (args.deflate ?? "1") === "1";
const pid = process.env.SERVER_PID;

function cpuMicros() {
  if (!pid) return NaN;
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1e6) / 100; // utime + stime, at 100 ticks/s
}

// ~1.1 KB of JSON (above the default threshold of 1024), varied per message as application data would be.
function event(i) {
  const items = [];
  for (let k = 0; k < 15; k++) items.push({ id: i * 10 + k, name: `item-${(i * 7 + k) % 97}`, price: ((i + k) % 50) + 0.99, tags: ["red", "large", `batch-${k}`] });
  return `42["bench",${JSON.stringify({ i, items })}]`;
}

let received = new Uint32Array(messages);
let delivered = 0;
let onDelivery = () => {};

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: deflate });
    ws.on("error", reject);
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const s = data.toString();
      if (s === "2") return void ws.send("3");
      if (s[0] === "0") return void ws.send("40");
      if (s.startsWith("40")) return void ws.send('42999999999["echo",0]');
      if (s.startsWith("43999999999")) return resolve(ws);
      if (s.startsWith('42["bench"')) {
        const i = Number(s.slice(s.indexOf('"i":') + 4, s.indexOf(",", s.indexOf('"i":'))));
        received[i]++;
        delivered++;
        onDelivery(i);
      }
    });
  });
}

const sockets = [];
for (let i = 0; i < clients; i += 64) {
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(64, clients - i) }, open))));
}
const extension = sockets[0].extensions || "(none)";
const bytes = () => sockets.reduce((sum, ws) => sum + ws._socket.bytesRead, 0);
const bytes0 = bytes();
const cpu0 = cpuMicros();
const t0 = performance.now();
await new Promise((resolve) => {
  let sent = 0;
  const send = () => { sockets[0].send(event(sent)); sent++; };
  onDelivery = (i) => {
    if (received[i] === clients) {
      if (sent < messages) send();
      if (delivered === clients * messages) resolve();
    }
  };
  while (sent < Math.min(16, messages)) send();
});
const seconds = (performance.now() - t0) / 1000;
const wire = bytes() - bytes0;
const cpu = cpuMicros() - cpu0;
const deliveries = clients * messages;
console.log(JSON.stringify({ clients, messages, deliveries, offer: deflate, extension, eventBytes: event(1).length,
  wireBytesPerDelivery: +(wire / deliveries).toFixed(1), serverCpuMicrosPerDelivery: +(cpu / deliveries).toFixed(2),
  deliveriesPerSecond: Math.round(deliveries / seconds) }));
for (const ws of sockets) ws.terminate();
