// A user of the demo chat, for DemoMetricsIT: the real socket.io-client connects to the URL given
// (polling, then the upgrade, as by default), joins under a name and sends COUNT chat messages of
// SIZE characters, each acknowledged; prints "SENT <n>" and stays connected until its standard input
// ends, then disconnects and exits 0. Any failure exits 1 with the reason.
import { io } from "socket.io-client";

const [url, count = "5", size = "1000"] = process.argv.slice(2);
const socket = io(url, { reconnection: false, forceNew: true });
const fail = (why) => {
  console.error("FAILED " + why);
  process.exit(1);
};
setTimeout(() => fail("not done within 20 s"), 20000).unref();
socket.on("connect_error", (e) => fail("connect_error: " + e.message));
socket.on("connect", async () => {
  try {
    const joined = await socket.timeout(5000).emitWithAck("join", "metrics-user");
    if (!joined.ok) fail("join answered " + JSON.stringify(joined));
    for (let i = 0; i < Number(count); i++) {
      const sent = await socket.timeout(5000).emitWithAck("chat", String(i % 10).repeat(Number(size)));
      if (!sent.ok) fail("chat answered " + JSON.stringify(sent));
    }
    console.log("SENT " + count);
  } catch (e) {
    fail(e.message);
  }
});
process.stdin.on("end", () => {
  socket.disconnect();
  console.log("DISCONNECTED");
  process.exit(0);
});
process.stdin.resume();
