// A fleet of official socket.io-client 4.8 clients for the cluster tests (dev.parley.testing.ClusterClients),
// driven line by line over stdin/stdout. Client i connects from its own loopback address 127.0.0.(2+i), for
// both transports (an http.Agent bound to that address for long-polling, localAddress for WebSocket), so a
// load balancer hashing the client address spreads them; --same-address keeps them all on 127.0.0.1 (a
// cookie-sticky balancer; --credentials keeps the cookie jar engine.io-client has in Node).
//   node cluster-clients.mjs --url http://127.0.0.1:P --clients 6 [--transports polling,websocket]
//        [--same-address] [--credentials]
// Prints: "CONNECTED i <address> <transport> <recovered>" on every (re)connection (recovered: true when
//         connection state recovery brought back its session), "UPGRADED i websocket",
//         "DISCONNECTED i <reason>", "GOT i <payload>" for every "bench" event, "ACK i <payload>".
// Reads:  "SEND i <payload>" (client i emits "bench"), "ECHO i <payload>" (emits "echo", prints its ack),
//         "QUIT". Exits when stdin ends.
import http from "node:http";
import readline from "node:readline";
import { io } from "socket.io-client";

const flag = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const url = flag("url");
const count = Number(flag("clients", 3));
const transports = flag("transports", "polling,websocket").split(",");
const sameAddress = process.argv.includes("--same-address");
const credentials = process.argv.includes("--credentials");
const out = (line) => process.stdout.write(line + "\n");

const sockets = [];
for (let i = 0; i < count; i++) {
  const localAddress = sameAddress ? "127.0.0.1" : `127.0.0.${2 + i}`;
  const agent = new http.Agent({ localAddress, keepAlive: true });
  const socket = io(url, {
    transports,
    agent,
    localAddress,
    withCredentials: credentials,
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    randomizationFactor: 0,
    timeout: 5000,
  });
  socket.on("connect", () => {
    const engine = socket.io.engine;
    out(`CONNECTED ${i} ${localAddress} ${engine.transport.name} ${socket.recovered === true}`);
    engine.once("upgrade", (t) => out(`UPGRADED ${i} ${t.name}`));
  });
  socket.on("disconnect", (reason) => out(`DISCONNECTED ${i} ${reason.replace(/ /g, "_")}`));
  socket.on("connect_error", (err) => out(`CONNECT_ERROR ${i} ${String(err.message).replace(/ /g, "_")}`));
  socket.on("bench", (payload) => out(`GOT ${i} ${payload}`));
  sockets.push(socket);
}

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const [cmd, index, ...rest] = line.trim().split(" ");
  const payload = rest.join(" ");
  if (cmd === "SEND") sockets[Number(index)].emit("bench", payload);
  else if (cmd === "ECHO") sockets[Number(index)].emit("echo", payload, (arg) => out(`ACK ${index} ${arg}`));
  else if (cmd === "QUIT") rl.close();
});
rl.on("close", () => {
  sockets.forEach((s) => s.disconnect());
  setTimeout(() => process.exit(0), 200).unref();
});
