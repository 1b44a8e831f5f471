// The official Node Socket.IO 4.8 server with @socket.io/redis-streams-adapter 0.3.1, one node of a
// cluster with Parley nodes on the same Redis (StreamsAdapterNodeInteropTest). Not a node --test file.
// REDIS_URL names the Redis. Binds 127.0.0.1 on PORT (default: a free port), prints "PORT <n>", exits when its stdin
// closes. A client joins the rooms of its auth ("a,b") and may ask this node to broadcast:
// "broadcast" (room or "", event, value, binary?) → io.to(room).emit(event, value | Buffer); "ask" → every
// socket of the cluster answers "question" (emitWithAck), the answers sorted and joined.
const http = require("node:http");
const { Server } = require("socket.io");
const { createClient } = require("redis");
const { createAdapter } = require("@socket.io/redis-streams-adapter");

async function main() {
  const redisClient = createClient({ url: process.env.REDIS_URL });
  redisClient.on("error", (err) => console.log("redis error " + err.message));
  await redisClient.connect();

  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    adapter: createAdapter(redisClient),
    connectionStateRecovery: { maxDisconnectionDuration: 60000 },
  });

  io.on("connection", (socket) => {
    const rooms = socket.handshake.auth && socket.handshake.auth.rooms;
    if (rooms) {
      socket.join(rooms.split(","));
    }
    socket.on("broadcast", (room, event, value, binary, ack) => {
      const target = room ? io.to(room) : io;
      target.emit(event, binary ? Buffer.from(value, "utf8") : value);
      ack("sent");
    });
    socket.on("fetch", async (ack) => {
      const sockets = await io.fetchSockets();
      ack(sockets.map((s) => s.id).sort().join(","));
    });
    socket.on("serverCount", async (ack) => {
      ack(await io.of("/").adapter.serverCount());
    });
    socket.on("ask", async (ack) => {
      try {
        const answers = await io.timeout(5000).emitWithAck("question");
        ack(answers.sort().join(","));
      } catch (err) {
        ack("error " + err.message);
      }
    });
    socket.on("serverSideEmit", (value, ack) => {
      io.serverSideEmit("ping", value, (err, answers) => {
        ack(err ? "error " + err.message : answers.join(","));
      });
    });
  });
  io.on("ping", (value, callback) => {
    callback("pong from node " + value);
  });

  httpServer.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
    console.log("PORT " + httpServer.address().port);
  });
  process.stdin.on("end", () => {
    io.close();
    redisClient.quit().finally(() => process.exit(0));
  });
  process.stdin.resume();
}

main().catch((err) => {
  console.log("failed: " + err.stack);
  process.exit(1);
});
