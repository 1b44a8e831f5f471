// A Node Socket.IO 4.8 server in a cluster over Redis with the official @socket.io/redis-adapter 8.3
// (classic pub/sub) and an @socket.io/redis-emitter, for the Java MixedRedisClusterTest: Parley
// nodes and this one share the Redis given as the first argument (redis://127.0.0.1:<port>).
// Binds 127.0.0.1 on a free port and prints "PORT <n>"; exits when its stdin closes.
//
// "/" is the cluster's namespace: a socket joins the rooms of its auth.rooms ("a,b") and keeps
// auth.name in socket.data. "/admin" (this node only) lets the test make this node act: each event
// answers its ack with the outcome.
const http = require("node:http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { Emitter } = require("@socket.io/redis-emitter");
const { createClient } = require("redis");

const url = process.argv[2];
const serverSideEvents = [];

function select(op, rooms, except) {
  if (rooms && rooms.length) op = op.to(rooms);
  if (except && except.length) op = op.except(except);
  return op;
}

(async () => {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  const emitterClient = pub.duplicate();
  for (const c of [pub, sub, emitterClient]) c.on("error", (e) => console.log("redis error " + e.message));
  await Promise.all([pub.connect(), sub.connect(), emitterClient.connect()]);
  const emitter = new Emitter(emitterClient);

  const httpServer = http.createServer();
  const io = new Server(httpServer, { adapter: createAdapter(pub, sub, { requestsTimeout: 3000 }) });

  io.on("connection", (socket) => {
    const auth = socket.handshake.auth || {};
    if (auth.rooms) socket.join(String(auth.rooms).split(",").filter((r) => r));
    socket.data.name = auth.name;
    socket.data.node = "node";
  });
  // server-side events from the other nodes
  io.on("hello", (arg, ack) => {
    serverSideEvents.push(arg);
    if (typeof ack === "function") ack("hi from node");
  });

  io.of("/admin").on("connection", (admin) => {
    admin.on("broadcast", ({ rooms, except, event, arg, bytes }, ack) => {
      select(io, rooms, except).emit(event, bytes ? Buffer.from(bytes) : arg);
      ack("ok");
    });
    admin.on("fetch", async ({ rooms }, ack) => {
      const sockets = await select(io, rooms).fetchSockets();
      ack(sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data, auth: s.handshake.auth })));
    });
    admin.on("remote", async ({ id, action, arg }, ack) => {
      const sockets = await io.fetchSockets();
      const s = sockets.find((x) => x.id === id);
      if (!s) return ack("not found");
      if (action === "emit") s.emit("direct", arg);
      if (action === "join") s.join(arg);
      if (action === "disconnect") s.disconnect();
      ack("ok");
    });
    admin.on("sse", (arg, ack) => {
      io.serverSideEmit("hello", arg);
      ack("ok");
    });
    admin.on("sseAck", async (arg, ack) => {
      try {
        ack(await io.serverSideEmitWithAck("hello", arg));
      } catch (e) {
        ack("error " + e.message);
      }
    });
    admin.on("emitWithAck", async ({ rooms }, ack) => {
      try {
        ack(await select(io, rooms).timeout(3000).emitWithAck("question"));
      } catch (e) {
        ack("error " + e.message);
      }
    });
    admin.on("emitter", ({ room, event, arg }, ack) => {
      emitter.to(room).emit(event, arg);
      ack("ok");
    });
    admin.on("events", (ack) => ack(serverSideEvents));
    admin.on("count", async (ack) => ack(await io.of("/").adapter.serverCount()));
  });

  httpServer.listen(0, "127.0.0.1", () => console.log("PORT " + httpServer.address().port));
})().catch((e) => {
  console.log("failed: " + e.stack);
  process.exit(1);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume(); // "end" comes only to a flowing stream
