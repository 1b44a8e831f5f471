// The Node Socket.IO 4.8 peer, serving the same contract as `parley-standalone.jar --bench`.
import { Server } from "socket.io";

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "127.0.0.1";
const io = new Server({ serveClient: false, cors: { origin: "*" } });
io.on("connection", (socket) => {
  socket.join("bench");
  socket.on("bench", (...args) => io.to("bench").emit("bench", ...args));
  socket.on("echo", (arg, ack) => typeof ack === "function" && ack(arg));
});
io.listen(port, { host });
console.log(`node socket.io peer listening on ${host}:${port}`);
