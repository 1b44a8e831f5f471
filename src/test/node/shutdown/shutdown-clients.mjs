// The official socket.io-client 4.8 side of the graceful-shutdown tests (GracefulShutdownTest, ShutdownIT): CLIENTS
// clients on one transport (`--transport websocket|polling`, no upgrade; `--path` for a WAR's) with a short reconnection backoff. Each
// reports, one line on stdout per event: "CONNECTED i <id> <transport> <recovered>", "GOT i <event> <arg>" for
// `last`, "ASKED i <event>" for `needs-ack` (deliberately never acknowledged: the server's ack must fail on its
// own), "DISCONNECTED i <reason> <active>" (`active`: whether socket.io-client will reconnect by itself; it is false
// after "io server disconnect"), "CONNECT_ERROR i <message>". Ends, disconnecting every client, when stdin closes.
import { io } from "socket.io-client";
import { createInterface } from "node:readline";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const url = arg("url");
const count = Number(arg("clients", "2"));
const transport = arg("transport", "websocket");
const path = arg("path", "/socket.io/"); // a WAR's is under its context root
if (!url) throw new Error("--url is required");
const out = (line) => process.stdout.write(line + "\n");

const sockets = [];
for (let i = 0; i < count; i++) {
  const socket = io(url, {
    path, transports: [transport], upgrade: false, forceNew: true,
    reconnectionDelay: 100, reconnectionDelayMax: 300, randomizationFactor: 0, timeout: 5000,
  });
  socket.on("connect", () => out(`CONNECTED ${i} ${socket.id} ${socket.io.engine.transport.name} ${socket.recovered}`));
  socket.on("disconnect", (reason) => out(`DISCONNECTED ${i} ${reason.replaceAll(" ", "_")} ${socket.active}`));
  socket.on("connect_error", (e) => out(`CONNECT_ERROR ${i} ${e.message}`));
  socket.on("last", (v) => out(`GOT ${i} last ${v}`));
  socket.on("needs-ack", () => out(`ASKED ${i} needs-ack`));
  sockets.push(socket);
}

createInterface({ input: process.stdin }).on("close", () => {
  for (const s of sockets) s.disconnect();
  process.exit(0);
});
