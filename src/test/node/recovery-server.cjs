// The official Node Socket.IO 4.8 server with connection state recovery on, for the Java client's
// ParleyClientRecoveryTest (not a node --test file; socket.io is a dependency of this Node test
// project). Binds 127.0.0.1 on a free port and prints
// "PORT <n>"; exits when its stdin closes (the JVM that started it ended).
const http = require("node:http");
const { Server } = require("socket.io");

const httpServer = http.createServer();
const io = new Server(httpServer, {
  pingInterval: 300,
  pingTimeout: 600,
  connectionStateRecovery: { maxDisconnectionDuration: 60000 },
});

// sockets the server saw disconnected (a polling client's loss may show only at its ping timeout)
let losses = 0;

io.on("connection", (socket) => {
  socket.on("disconnect", () => losses++);
  socket.on("losses", (ack) => ack(losses));
  // a direct emit carries no offset: only broadcasts are kept for recovery
  socket.emit("welcome", socket.recovered);
  // streams `count` broadcasts "tick" 0..count-1, one every `everyMs`
  socket.on("stream", (count, everyMs, ack) => {
    let n = 0;
    const timer = setInterval(() => {
      io.emit("tick", n++);
      if (n === count) {
        clearInterval(timer);
      }
    }, everyMs);
    ack("started");
  });
  socket.on("ack", (value, ack) => ack(value, socket.recovered));
});

httpServer.listen(0, "127.0.0.1", () => {
  console.log("PORT " + httpServer.address().port);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
