// The official Node Socket.IO 4.8 server with the sharded adapter of @socket.io/redis-adapter 8.3
// (createShardedAdapter, dynamic subscriptions), one node of a cluster with Parley nodes on the Redis 7
// at REDIS_URL (ShardedPubSubAdapterNodeInteropTest). Not a node --test file; what it serves:
// node-cluster.cjs.
const { createClient } = require("redis");
const { createShardedAdapter } = require("@socket.io/redis-adapter");
const { serve } = require("./node-cluster.cjs");

async function main() {
  const pubClient = createClient({ url: process.env.REDIS_URL });
  pubClient.on("error", (err) => console.log("redis error " + err.message));
  const subClient = pubClient.duplicate();
  subClient.on("error", (err) => console.log("redis error " + err.message));
  await Promise.all([pubClient.connect(), subClient.connect()]);
  serve(createShardedAdapter(pubClient, subClient), {},
    () => Promise.all([pubClient.quit(), subClient.quit()]));
}

main().catch((err) => {
  console.log("failed: " + err.stack);
  process.exit(1);
});
