// What every Node cluster node of the Java tests serves (streams-server.cjs, sharded-server.cjs):
// the official Node Socket.IO 4.8 server on 127.0.0.1 at PORT (default: a free port), with the
// adapter given, printing "PORT <n>" and exiting when its stdin closes. A client joins the rooms of
// its auth ("a,b") and may ask this node to: "broadcast" (room or "", event, value, binary?) →
// io.to(room).emit(event, value | Buffer); "ask" → every socket of the cluster answers "question"
// (emitWithAck), the answers sorted and joined; "fetch" → the ids of io.fetchSockets(); "serverCount";
// "serverSideEmit" (value) → the other nodes' answers to "ping". This node answers "ping" itself.
const http = require("node:http");
const { Server } = require("socket.io");

function serve(adapter, options, onExit) {
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    adapter,
    ...options,
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
    onExit().finally(() => process.exit(0));
  });
  process.stdin.resume();
}

module.exports = { serve };
