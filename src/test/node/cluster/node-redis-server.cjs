// A Node Socket.IO 4.8 cluster node with the official @socket.io/redis-adapter, serving the contract of
// `parley-standalone.jar --bench` (standalone/BenchApp.java): every socket joins room "bench" on connect,
// an event "bench" is broadcast to the room (sender included, every node of the cluster) with its
// argument, "echo" is acknowledged with its argument. Used by dev.parley.testing.ClusterNodes and by
// the cross-node fan-out benchmark (src/bench).
//   node node-redis-server.cjs --port P --redis-url redis://127.0.0.1:6379 [--host 127.0.0.1] [--key socket.io] [--detached]
// Prints "PORT <n>" and "listening on <host>:<n>" once it serves; exits when its stdin ends (the JVM that
// started it is gone; not with --detached, for a shell's background job) or on SIGTERM. Redis going away never ends it: node-redis
// reconnects by itself and the node keeps serving its own clients meanwhile.
const http = require("node:http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

const flag = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const port = Number(flag("port", process.env.PORT || 0));
const host = flag("host", "127.0.0.1");
const redisUrl = flag("redis-url", process.env.REDIS_URL || "redis://127.0.0.1:6379");
const key = flag("key", "socket.io");

// One line per kind of Redis error (an outage repeats the same one every reconnection attempt).
const seen = new Set();
const logOnce = (who) => (err) => {
  const kind = `${who}:${err && (err.code || err.name)}`;
  if (!seen.has(kind)) {
    seen.add(kind);
    console.log(`redis ${who} error (logged once per kind): ${err && err.message}`);
  }
};
const reconnect = { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) };
const pub = createClient({ url: redisUrl, socket: reconnect });
const sub = pub.duplicate();
pub.on("error", logOnce("pub"));
sub.on("error", logOnce("sub"));
pub.on("ready", () => console.log("redis pub ready"));
sub.on("ready", () => console.log("redis sub ready"));

Promise.all([pub.connect(), sub.connect()]).then(() => {
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    serveClient: false,
    adapter: createAdapter(pub, sub, { key, requestsTimeout: 3000 }),
  });
  io.on("connection", (socket) => {
    socket.join("bench");
    socket.on("bench", (...args) => {
      if (typeof args[args.length - 1] === "function") args.pop();
      io.to("bench").emit("bench", ...args);
    });
    socket.on("echo", (arg, ack) => typeof ack === "function" && ack(arg));
  });
  httpServer.listen(port, host, () => {
    const p = httpServer.address().port;
    console.log(`PORT ${p}`);
    console.log(`node socket.io redis node listening on ${host}:${p}`);
  });
  const stop = () => {
    io.close();
    Promise.allSettled([pub.quit(), sub.quit()]).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  if (!process.argv.includes("--detached")) { // a background job of a script has stdin at /dev/null
    process.stdin.on("end", stop);
    process.stdin.on("close", stop);
    process.stdin.resume();
  }
  process.on("SIGTERM", stop);
}, (err) => {
  console.log(`cannot reach Redis at ${redisUrl}: ${err.message}`);
  process.exit(2);
});
