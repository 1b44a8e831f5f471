// The Node Socket.IO 4.8 peer, serving the same contract as `parley-standalone.jar --bench`.
//   node --expose-gc node-peer.mjs --host 127.0.0.1 --port 3401      (or HOST / PORT in the environment)
// Bench-only route: GET /__bench/heap runs a full GC (global.gc(), needs --expose-gc) and answers
// process.memoryUsage() as JSON, for the idle scenario's heap-after-GC figure.
import http from "node:http";
import { Server } from "socket.io";

const flag = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const port = Number(flag("port") || process.env.PORT || 3000);
const host = flag("host") || process.env.HOST || "127.0.0.1";

const httpServer = http.createServer((req, res) => {
  // socket.io answers its own path first; everything else comes here
  if (req.method === "GET" && req.url === "/__bench/heap") {
    const gc = typeof global.gc === "function";
    if (gc) global.gc();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ gc, ...process.memoryUsage() }));
    return;
  }
  res.writeHead(404);
  res.end();
});
const io = new Server(httpServer, { serveClient: false, cors: { origin: "*" } });
io.on("connection", (socket) => {
  socket.join("bench");
  socket.on("bench", (...args) => io.to("bench").emit("bench", ...args));
  socket.on("echo", (arg, ack) => typeof ack === "function" && ack(arg));
});
httpServer.listen(port, host, () => console.log(`node socket.io peer listening on ${host}:${port}`));
