// The benchmark's summary: one markdown row per scenario and metric: the value of each Parley
// deployment (parley = standalone, wildfly, payara: the bench WAR in a container), then for each peer
// its value and the ratio of each Parley deployment to it (a container's floor, wildfly-floor or
// payara-floor, is compared with the Parley WAR in the same container only).
//   node table.mjs target/bench/lines.txt "parley wildfly payara node netty tyrus" [TARGET]
// TARGET (standalone | wildfly | payara, run.sh's older way) names the parley column "parley (TARGET)".
import { readFileSync } from "node:fs";

const [file, serverList, target] = process.argv.slice(2);
const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))
  .filter((r) => r.label && r.label !== "warmup");
const servers = (serverList || "parley node netty tyrus").split(/\s+/).filter(Boolean)
  .filter((s) => lines.some((r) => r.label === s));
const refs = servers.filter((s) => ["parley", "wildfly", "payara"].includes(s));
const peers = servers.filter((s) => !refs.includes(s));
// the Parley deployments compared with a peer: all of them, except for a container's floor
const refsOf = (p) => (p.endsWith("-floor") ? refs.filter((r) => r === p.slice(0, -"-floor".length)) : refs);

const kib2mib = (v) => (v == null ? v : +(v / 1024).toFixed(1));
const stream = [
  ["deliveriesPerSecond", "deliveries/s", "↑"], ["p50", "latency p50 ms", "↓"], ["p99", "latency p99 ms", "↓"],
  ["max", "latency max ms", "↓"], ["lost", "lost deliveries", "↓"], ["cpuMicrosPerDelivery", "server CPU µs/delivery", "↓"],
  ["rssKiB", "server RSS MiB (end)", "↓", kib2mib]];
const metrics = {
  fanout: stream,
  polling: stream,
  echo: [["roundTripsPerSecond", "round trips/s", "↑"], ["p50", "latency p50 ms", "↓"], ["p99", "latency p99 ms", "↓"],
    ["cpuMicrosPerRoundTrip", "server CPU µs/round trip", "↓"]],
  idle: [["heapPerConnectionKiB", "heap after GC KiB/conn", "↓"], ["rssPerConnectionKiB", "RSS KiB/conn", "↓"],
    ["heapBaselineKiB", "heap after GC MiB, 0 conn", "↓", kib2mib], ["heapKiB", "heap after GC MiB, N conn", "↓", kib2mib],
    ["rssBaselineKiB", "RSS MiB, 0 conn", "↓", kib2mib], ["rssKiB", "RSS MiB, N conn", "↓", kib2mib]],
  connect: [["connectionsPerSecond", "connections/s", "↑"], ["handshakeP50", "handshake p50 ms", "↓"],
    ["handshakeP99", "handshake p99 ms", "↓"], ["cpuMicrosPerConnection", "server CPU µs/connection", "↓"]],
};

const key = (r) => `${r.scenario}${r.clients ? ` N=${r.clients}` : ""}${r.mode ? ` ${r.mode}` : ""}`;
const by = new Map();
for (const r of lines) {
  if (!by.has(key(r))) by.set(key(r), {});
  by.get(key(r))[r.label] = r; // a later run of the same case replaces an earlier one
}

const fmt = (v) => (v == null || Number.isNaN(v) ? "-" : typeof v === "number" ? String(+v.toFixed(2)) : String(v));
function cell(r, m) {
  if (!r) return "";
  if (r.skipped) return "n/a";
  if (r.error) return "error";
  const v = m[3] ? m[3](r[m[0]]) : r[m[0]];
  return fmt(v);
}
function ratio(a, b, m) {
  if (!a || !b || a.error || b.error || a.skipped || b.skipped || m[0] === "lost") return "";
  const x = a[m[0]], y = b[m[0]];
  if (typeof x !== "number" || typeof y !== "number" || y === 0) return "";
  return (x / y).toFixed(2);
}

const name = (s) => (s === "parley" && target && target !== "standalone" ? `parley (${target})` : s);
const head = ["scenario", "metric", ...refs.map(name), ...peers.flatMap((p) => [p, ...refsOf(p).map((r) => `${r}/${p}`)])];
const out = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
for (const [k, runs] of by) {
  for (const m of metrics[k.split(" ")[0]] || []) {
    const row = [k, `${m[1]} ${m[2]}`];
    for (const r of refs) row.push(cell(runs[r], m));
    for (const p of peers) { row.push(cell(runs[p], m)); for (const r of refsOf(p)) row.push(ratio(runs[r], runs[p], m)); }
    out.push(`| ${row.join(" | ")} |`);
  }
}
const notes = [];
for (const [k, runs] of by) {
  for (const [label, r] of Object.entries(runs)) {
    if (r.error) notes.push(`- ${k}, ${label}: error: ${r.error}`);
    else if (r.skipped) notes.push(`- ${k}, ${label}: skipped: ${r.skipped}`);
    else {
      const issues = [];
      if (r.lost) issues.push(`${r.lost} deliveries lost`);
      if (r.duplicates) issues.push(`${r.duplicates} duplicated`);
      if (r.drained === false) issues.push("the stream did not drain (stalled)");
      if (r.dropped) issues.push(`${r.dropped} connections dropped by the server`);
      if (r.unanswered) issues.push(`${r.unanswered} echoes unanswered`);
      if (r.failures) issues.push(`${r.failures} handshakes failed and were retried`);
      if (issues.length) notes.push(`- ${k}, ${label}: ${issues.join(", ")}`);
    }
  }
}
console.log(`\n${out.join("\n")}`);
const better = refs.length === 1 ? `${refs[0]}/peer` : `${refs.map((r) => `${r}/peer`).join(", ")} (Parley deployment / peer)`;
console.log(`\n↑ higher is better, ↓ lower is better.${refs.length ? ` ${better} > 1 is better for ↑ metrics, < 1 for ↓ metrics.` : ""}`);
if (notes.length) console.log(`\n${notes.join("\n")}`);
