// The benchmark's summary: one markdown row per scenario and metric, Parley's value, then for each
// peer its value and the Parley/peer ratio.   node table.mjs target/bench/lines.txt "parley node netty tyrus"
import { readFileSync } from "node:fs";

const [file, serverList, target] = process.argv.slice(2);
const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))
  .filter((r) => r.label && r.label !== "warmup");
const servers = (serverList || "parley node netty tyrus").split(/\s+/).filter(Boolean)
  .filter((s) => lines.some((r) => r.label === s));
const ref = servers.includes("parley") ? "parley" : null;
const peers = servers.filter((s) => s !== ref);

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
const head = ["scenario", "metric", ...(ref ? [name(ref)] : []), ...peers.flatMap((p) => (ref ? [p, `parley/${p}`] : [p]))];
const out = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
for (const [k, runs] of by) {
  for (const m of metrics[k.split(" ")[0]] || []) {
    const row = [k, `${m[1]} ${m[2]}`];
    if (ref) row.push(cell(runs[ref], m));
    for (const p of peers) { row.push(cell(runs[p], m)); if (ref) row.push(ratio(runs[ref], runs[p], m)); }
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
console.log(`\n↑ higher is better, ↓ lower is better.${ref ? ` ${ref}/peer > 1 is better for ↑ metrics, < 1 for ↓ metrics.` : ""}`);
if (notes.length) console.log(`\n${notes.join("\n")}`);
