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
