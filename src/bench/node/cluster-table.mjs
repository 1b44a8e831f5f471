// The cross-node fan-out table (../cluster.sh): one row per run (scenario, N, kind × nodes), its figures.
//   node cluster-table.mjs target/bench-cluster/lines.txt
import { readFileSync } from "node:fs";

const lines = readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
const cell = (v) => (v == null ? "" : typeof v === "number" ? v.toLocaleString("en-US") : String(v));
const rows = [
  "| scenario | N | nodes | deliveries/s ↑ | p50 ms | p99 ms ↓ | max ms | nodes' CPU µs/delivery ↓ | redis CPU µs/delivery | lost | dup | nodes' RSS MiB |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|",
];
for (const r of lines) {
  if (r.error) {
    rows.push(`| ${r.scenario} ${r.mode || ""} | ${cell(r.clients)} | ${r.label} | error: ${r.error} |||||||||`);
    continue;
  }
  rows.push(`| ${r.scenario} ${r.mode} | ${cell(r.clients)} | ${r.label} | ${cell(r.deliveriesPerSecond)} | ${cell(r.p50)} | `
    + `${cell(r.p99)} | ${cell(r.max)} | ${cell(r.cpuMicrosPerDelivery)} | ${cell(r.extraCpuMicrosPerDelivery)} | `
    + `${cell(r.lost)}${r.drained === false ? " (not drained)" : ""} | ${cell(r.duplicates)} | ${Math.round(r.rssKiB / 1024)} |`);
}
console.log(rows.join("\n"));

// Ratios against the first kind measured (the peer: Node Socket.IO) with the same scenario, N and node count.
const kindOf = (r) => r.label.split("×")[0];
const countOf = (r) => r.label.split("×")[1];
const peerKind = lines.find((r) => !r.error) && kindOf(lines.find((r) => !r.error));
const ratios = [];
for (const r of lines) {
  if (r.error || kindOf(r) === peerKind) continue;
  const peer = lines.find((p) => !p.error && kindOf(p) === peerKind && p.scenario === r.scenario && p.mode === r.mode
    && p.clients === r.clients && countOf(p) === countOf(r));
  if (!peer) continue;
  const x = (a, b) => (a && b ? (a / b).toFixed(2) + "×" : "");
  ratios.push(`| ${r.scenario} ${r.mode} | ${cell(r.clients)} | ${countOf(r)} | ${kindOf(r)} / ${peerKind} | `
    + `${x(r.deliveriesPerSecond, peer.deliveriesPerSecond)} | ${x(peer.p99, r.p99)} | `
    + `${x(peer.cpuMicrosPerDelivery, r.cpuMicrosPerDelivery)} |`);
}
if (ratios.length > 0) {
  console.log("\n| scenario | N | nodes | kinds | deliveries/s | p99 (peer / this) | CPU per delivery (peer / this) |");
  console.log("|---|---|---|---|---|---|---|");
  console.log(ratios.join("\n"));
}
