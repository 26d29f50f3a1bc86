// GET /v1/playlist in workerd: CPU per request for VOD media playlists of
// 1,200 segments (two hours of 6 s segments) and 10,000, beside POST
// /v1/sign of one URL as the anchor, measured in the same run on the same
// worker. The worker runs in Miniflare (workerd without wrangler's dev
// proxy); its outbound fetches (the manifests) are answered by Miniflare's
// outboundService in Node, so the origin costs workerd nothing but the
// fetch. CPU is the workerd process's user+system time from /proc over a
// measured phase, divided by its requests, after a warm-up (V8 tiers the Go
// wasm up with use; worker/bench/README.md). Prints a Markdown table.
//
//   node worker/test/streaming/bench.mjs        (./build.sh bench runs it)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { startMiniflare, mintHS256, keygen, tempDir, now } from "../helpers.mjs";

const ORIGIN = "https://d111111abcdef8.cloudfront.net";
const SECRET = "bench-token-secret-0123456789abcdefghijkl";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP_REQUESTS ?? 1500);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
const log = (...a) => console.error(...a);

function vod(n) {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:6", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD"];
  for (let i = 0; i < n; i++) lines.push("#EXTINF:6.000000,", `seg-${String(i).padStart(5, "0")}.ts`);
  return lines.join("\n") + "\n#EXT-X-ENDLIST\n";
}
const playlists = { "/videos/1200/index.m3u8": vod(1200), "/videos/10000/index.m3u8": vod(10000) };

function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
    ticks += Number(rest[11]) + Number(rest[12]);
  }
  return (ticks * 1000) / CLK_TCK;
}

const keys = tempDir("frontsign-bench-");
const worker = await startMiniflare({
  CLOUDFRONT_PRIVATE_KEY: keygen("ecdsa", keys), CLOUDFRONT_KEY_PAIR_ID: "K2BENCHPLAYLST", TOKEN_SECRET: SECRET,
  ALLOWED_RESOURCES: `${ORIGIN}/*`, MAX_TTL: "24h", DEFAULT_TTL: "15m",
}, {
  outbound: (req) => {
    const body = playlists[new URL(req.url).pathname];
    return new Response(body ?? "not found", { status: body ? 200 : 404, headers: { "Content-Type": "application/vnd.apple.mpegurl" } });
  },
});
const pids = worker.workerdPids();
const token = mintHS256(SECRET, { sub: "bench", iat: now(), exp: now() + 86400, frontsign: { resources: [`${ORIGIN}/videos/*`] } });

const scenarios = [
  { name: "POST /v1/sign, one URL (anchor)", request: () => fetch(`${worker.base}/v1/sign`, { method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ url: `${ORIGIN}/videos/1200/seg-00001.ts` }) }) },
  ...[1200, 10000].map((n) => ({ name: `GET /v1/playlist, ${n.toLocaleString("en")} segments`, segments: n, inBytes: playlists[`/videos/${n}/index.m3u8`].length,
    request: () => fetch(`${worker.base}/v1/playlist?url=${encodeURIComponent(`${ORIGIN}/videos/${n}/index.m3u8`)}`, { headers: { Authorization: `Bearer ${token}` } }) })),
];

async function run(s, count) {
  let outBytes = 0;
  const c0 = cpuMs(pids);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const res = await s.request();
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${s.name}: ${res.status} ${new TextDecoder().decode(body)}`);
    if (s.segments && res.headers.get("X-Frontsign-Signed") !== String(s.segments)) throw new Error(`${s.name}: signed ${res.headers.get("X-Frontsign-Signed")}`);
    outBytes += body.byteLength;
  }
  return { cpu: (cpuMs(pids) - c0) / count, ms: (performance.now() - t0) / count, outBytes: outBytes / count };
}

for (const s of scenarios) {
  log(`warm-up: ${s.name}`);
  await run(s, s.segments === 10000 ? Math.ceil(WARMUP / 20) : s.segments ? Math.ceil(WARMUP / 3) : WARMUP);
  s.rounds = [];
}
for (let r = 0; r < ROUNDS; r++) {
  for (const s of scenarios) {
    const count = s.segments === 10000 ? Math.ceil(REQUESTS / 10) : REQUESTS;
    const m = await run(s, count);
    s.rounds.push(m);
    log(`round ${r + 1}: ${s.name}: CPU ${m.cpu.toFixed(2)} ms/req, wall ${m.ms.toFixed(2)} ms/req`);
  }
}
worker.stop();

const f = (x, d = 2) => x.toFixed(d);
const anchor = scenarios[0];
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = [];
out.push(`Measured ${new Date().toISOString().slice(0, 16)}Z, Miniflare (local workerd), ${execFileSync("nproc", { encoding: "utf8" }).trim()} CPUs, load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} at the end; ${ROUNDS} rounds, median (min–max).`, "");
out.push("| Request | CPU ms/req | ratio to the anchor | wall ms/req | answer bytes | input MB/s of CPU |", "|---|---|---|---|---|---|");
for (const s of scenarios) {
  const cpus = s.rounds.map((m) => m.cpu);
  const ratios = s.rounds.map((m, i) => m.cpu / anchor.rounds[i].cpu);
  const mbps = s.inBytes ? f(s.inBytes / 1e6 / (med(cpus) / 1000), 1) : "";
  out.push(`| ${s.name} | ${f(med(cpus))} (${f(Math.min(...cpus))}–${f(Math.max(...cpus))}) | ${s === anchor ? "1" : `${f(med(ratios), 1)}× (${f(Math.min(...ratios), 1)}–${f(Math.max(...ratios), 1)})`} | ${f(med(s.rounds.map((m) => m.ms)))} | ${Math.round(s.rounds[0].outBytes)} | ${mbps} |`);
}
out.push("", "CPU: the workerd process's user+system time (from /proc) over each phase, divided by its requests; it includes workerd's HTTP handling and Miniflare's entry worker, and for /v1/playlist the outbound fetch of the manifest. One signing operation per playlist.");
console.log(out.join("\n"));
