// The official Node Socket.IO 4.8 server with @socket.io/redis-streams-adapter 0.3.1 (connection state
// recovery on, 60 s), one node of a cluster with Parley nodes on the Redis at REDIS_URL
// (StreamsAdapterNodeInteropTest, StreamsAdapterCrossRecoveryTest). Not a node --test file; what it
// serves: node-cluster.cjs.
const { createClient } = require("redis");
const { createAdapter } = require("@socket.io/redis-streams-adapter");
const { serve } = require("./node-cluster.cjs");

async function main() {
  const redisClient = createClient({ url: process.env.REDIS_URL });
  redisClient.on("error", (err) => console.log("redis error " + err.message));
  await redisClient.connect();
  serve(createAdapter(redisClient), { connectionStateRecovery: { maxDisconnectionDuration: 60000 } },
    () => redisClient.quit());
}

main().catch((err) => {
  console.log("failed: " + err.stack);
  process.exit(1);
});
