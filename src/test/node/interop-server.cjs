// The official Node Socket.IO 4.8 server as a scenario server for Parley's Java client
// (ParleyClientNodeServerTest; not a node --test file). Binds 127.0.0.1 on a free port, prints "PORT <n>",
// exits when its stdin closes (the JVM that started it ended).
//
// "/": an auth middleware refusing the token "bad" (message "refused", data {code: 401, reason: "bad token"});
// "/second": no auth. Both answer the events below; "/second" also reports on "/".
const http = require("node:http");
const { Server } = require("socket.io");

const httpServer = http.createServer();
const io = new Server(httpServer, { pingInterval: 300, pingTimeout: 600 });

// per socket id: the reason the server saw for its disconnection
const reasons = new Map();
// per key: how many times an event was delivered (for the retries)
const deliveries = new Map();
let rootConnects = 0;

function describe(v) {
  if (Buffer.isBuffer(v)) return "buffer:" + [...v].join(",");
  if (v === null) return "null";
  if (Array.isArray(v)) return "[" + v.map(describe).join(",") + "]";
  if (typeof v === "object") {
    return "{" + Object.keys(v).sort().map((k) => k + ":" + describe(v[k])).join(",") + "}";
  }
  return typeof v + ":" + v;
}

function withAck(args) {
  const ack = typeof args[args.length - 1] === "function" ? args.pop() : () => {};
  return ack;
}

function handlers(socket) {
  socket.on("disconnect", (reason) => reasons.set(socket.id, reason));
  // echoes the arguments back as an event "echo"
  socket.on("echo", (...args) => {
    withAck(args);
    socket.emit("echo", ...args);
  });
  // acks with the arguments as received
  socket.on("ack", (...args) => {
    const ack = withAck(args);
    ack(...args);
  });
  // acks with how the server sees each argument's type and value
  socket.on("describe", (...args) => {
    const ack = withAck(args);
    ack(args.map(describe));
  });
  // acks with what the server knows of this socket
  socket.on("whoami", (ack) => {
    ack({
      id: socket.id,
      nsp: socket.nsp.name,
      engine: socket.conn.id,
      transport: socket.conn.transport.name,
      auth: socket.handshake.auth,
    });
  });
  // emits binary to the client: a Buffer alone and one inside an object
  socket.on("binary", () => {
    socket.emit("binary", Buffer.from([1, 2, 3]), { name: "nested", data: Buffer.from([4, 5]) });
  });
  // asks the client a question with an ack, and acks with the client's answer
  socket.on("ask", (value, ack) => {
    socket.timeout(5000).emitWithAck("question", value, Buffer.from([9]))
      .then((answer) => ack(answer))
      .catch((err) => ack("no answer: " + err.message));
  });
  // several events in a row
  socket.on("several", () => {
    socket.emit("a", 1);
    socket.emit("b", "two", { three: 3 });
    socket.emit("c");
  });
  socket.on("kick", () => socket.disconnect());
  socket.on("reasonOf", (id, ack) => ack(reasons.get(id) ?? null));
  socket.on("rootConnects", (ack) => ack(rootConnects, io.of("/").sockets.size));
  // ignores the first delivery of each key, acks the later ones with the count
  socket.on("flaky", (key, ack) => {
    const n = (deliveries.get(key) ?? 0) + 1;
    deliveries.set(key, n);
    if (n > 1) {
      ack("got " + key, n);
    }
  });
}

io.use((socket, next) => {
  const token = socket.handshake.auth && socket.handshake.auth.token;
  if (token === "bad") {
    const err = new Error("refused");
    err.data = { code: 401, reason: "bad token" };
    return next(err);
  }
  next();
});
io.on("connection", (socket) => {
  rootConnects++;
  handlers(socket);
});
io.of("/second").on("connection", (socket) => {
  socket.emit("welcome", socket.nsp.name);
  handlers(socket);
});

httpServer.listen(0, "127.0.0.1", () => {
  console.log("PORT " + httpServer.address().port);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
