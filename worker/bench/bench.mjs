// Benchmark (not a test): the Go worker's POST /v1/sign in local workerd
// beside a minimal plain-JavaScript WebCrypto worker (worker/bench/plainjs)
// doing the same signing, then a sustained load on the Go worker.
//
//   node worker/bench/bench.mjs        (./build.sh bench runs it; needs dist/worker and dist/frontsign-cli)
//
// Environment: BENCH_ROUNDS (default 3), BENCH_SECONDS (throughput phase per
// round, default 4), BENCH_LATENCY (sequential requests per side and round
// for latency: default 1000 of one URL, a twentieth as many of a batch),
// LOAD_SECONDS (default 60), LOAD_CLIENTS (default 8), BENCH_WARMUP and BENCH_WARMUP_REQUESTS (load per worker and scenario
// before measuring: at least this many seconds, default 3, and requests,
// default 6000, a tenth as many for a batch; see warmUp),
// BENCH_PLAIN_AUDIT=0 (the plain-JS worker then skips the audit line the Go
// worker must write, one console.log per request; by default it writes it too),
// BENCH_HOST=wrangler (default: `wrangler dev`, as a developer runs it) or
// miniflare (workerd driven by Miniflare alone: no dev proxy, no inspector,
// so the figures are the Workers' own), BENCH_POLICY=1 (Miniflare only: a
// third side, the Go worker with the edge policy on — REVOCATIONS in KV,
// MINT_LIMIT, ALLOWED_COUNTRIES and a token with jti and countries — to
// read what the checks add beside today's worker; docs/edge-policy.md),
// BENCH_BATCHES (URLs per request of the scenarios, default "1,100").
//
// Latency is wall time seen by the client (sequential requests, keep-alive).
// Throughput is requests/s from 8 concurrent clients. Local workerd does not
// report CPU time per request, so "CPU/req" is the CPU time (user+system,
// /proc/PID/stat) of the workerd processes of that `wrangler dev`, taken
// around the throughput phase and divided by its requests: it includes
// wrangler's own proxy code running in workerd, so it overstates the
// Worker's share, equally for both workers. Go and plain JS take turns
// (25 requests at a time for latency, one-second slices for throughput),
// and each figure merges BENCH_ROUNDS rounds, so background load hits both.
// The report also gives the p50 ratio of each round on its own: their spread
// shows how far this machine's noise moves a ratio near a target.
// Traffic goes to 127.0.0.1 only, with bounded counts and durations.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, DEMO, startWorker, startMiniflare, mintHS256, keygenPair, tempDir, Verifier } from "../test/helpers.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LATENCY_REQUESTS = Number(process.env.BENCH_LATENCY ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 3);
const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP_REQUESTS ?? 6000);
const WARMUP_MAX_SECONDS = 60;
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 8);
const LATENCY_BLOCK = 25;
const SECRET = "bench-token-secret-0123456789abcdefghijkl";
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
const log = (...a) => console.error(...a);
const HOST = process.env.BENCH_HOST ?? "wrangler";
if (!["wrangler", "miniflare"].includes(HOST)) throw new Error("BENCH_HOST is wrangler or miniflare");
const HOST_NAME = HOST === "wrangler" ? "wrangler dev" : "Miniflare";
const POLICY = process.env.BENCH_POLICY === "1";
if (POLICY && HOST !== "miniflare") throw new Error("BENCH_POLICY=1 needs BENCH_HOST=miniflare (the KV and rate-limit bindings are Miniflare's)");

// --- process figures -------------------------------------------------------

function cpuMs(pids) { // user+system CPU time of pids, in ms
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
  }
  return (ticks * 1000) / CLK_TCK;
}

function rssMB(pids) {
  let kb = 0;
  for (const pid of pids) kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
  return kb / 1024;
}

// --- load generation -------------------------------------------------------

// post sends one request and checks it signed; returns its wall time in ms.
async function post(target) {
  const t0 = performance.now();
  const res = await fetch(target.url, { method: "POST", headers: target.headers, body: target.body, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  const json = JSON.parse(text);
  const first = Array.isArray(json) ? json[0] : json;
  if (!first?.signedUrl || (Array.isArray(json) && json.length !== target.batch)) throw new Error("answer without the signed URLs");
  return { ms, first };
}

// concurrent runs `clients` loops for `seconds` (and at most maxRequests in
// all); returns requests, errors, elapsed ms and CPU ms of the workerd pids.
async function concurrent(target, pids, seconds, clients = CLIENTS, maxRequests = 1_000_000, onTick) {
  let requests = 0;
  let errors = 0;
  let firstError;
  const cpu0 = cpuMs(pids);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end && requests + errors < maxRequests) {
      try {
        await post(target);
        requests++;
      } catch (err) {
        errors++;
        firstError ??= err;
      }
    }
  };
  const ticker = onTick && setInterval(onTick, 10_000);
  await Promise.all(Array.from({ length: clients }, loop));
  if (ticker) clearInterval(ticker);
  return { requests, errors, firstError, ms: performance.now() - t0, cpuMs: cpuMs(pids) - cpu0 };
}

// warmUp loads a worker until V8 has optimised what this request path runs,
// as in an isolate that has served for a while. V8 tiers a wasm function up
// from baseline code once it has done enough work, so the Go worker (its wasm
// has thousands of functions) needs a count of requests, not seconds: in
// Miniflare its CPU per one-URL request kept falling for about 5,000
// requests, then held (worker/bench/README.md, "Warm-up"). Each side gets
// at least WARMUP_SECONDS and WARMUP_REQUESTS requests (a tenth as many for
// a batch, which runs the per-URL code a hundred times per request), so a
// worker that already served an earlier scenario has no head start over a
// fresh one: the two Go workers serve two scenarios each, the plain-JS
// worker all four.
async function warmUp(target, pids, batch) {
  const requests = batch === 1 ? WARMUP_REQUESTS : Math.ceil(WARMUP_REQUESTS / 10);
  const t0 = performance.now();
  const runs = [await concurrent(target, pids, WARMUP_MAX_SECONDS, CLIENTS, requests)];
  const left = WARMUP_SECONDS - (performance.now() - t0) / 1000;
  if (left > 0) runs.push(await concurrent(target, pids, left));
  for (const r of runs) {
    if (r.errors) throw new Error(`warm-up: ${r.errors} errors, first: ${r.firstError}`);
  }
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// --- setup -----------------------------------------------------------------

const keyDir = tempDir("frontsign-bench-keys-");
const rsaKey = keygenPair("rsa", keyDir);
const ecKey = keygenPair("ecdsa", keyDir);
log(`starting three workers in ${HOST_NAME} (Go RSA, Go ECDSA, plain JS)…`);
const goVars = (pem, id) => ({ CLOUDFRONT_PRIVATE_KEY: pem, CLOUDFRONT_KEY_PAIR_ID: id, TOKEN_SECRET: SECRET,
  ALLOWED_RESOURCES: `${DEMO}/*`, HASH_ALGORITHM: "SHA1", MAX_TTL: "1h" });
const plainVars = { RSA_KEY: rsaKey.pem, EC_KEY: ecKey.pem, RSA_KEY_ID: "K2BENCHRSA0001", EC_KEY_ID: "K2BENCHEC00001",
  ...(process.env.BENCH_PLAIN_AUDIT !== "0" ? { AUDIT: "1" } : {}) };
const plainScript = join(ROOT, "worker", "bench", "plainjs", "worker.mjs");
let goRSA, goEC, plain, polRSA, polEC;
if (HOST === "wrangler") {
  [goRSA, goEC, plain] = await Promise.all([
    startWorker(goVars(rsaKey.pem, "K2BENCHRSA0001"), { name: "frontsign-bench-rsa" }),
    startWorker(goVars(ecKey.pem, "K2BENCHEC00001"), { name: "frontsign-bench-ec" }),
    startWorker(plainVars, { script: plainScript, name: "frontsign-bench-plainjs" }),
  ]);
} else { // one at a time: each finds its own workerd process
  goRSA = await startMiniflare(goVars(rsaKey.pem, "K2BENCHRSA0001"));
  goEC = await startMiniflare(goVars(ecKey.pem, "K2BENCHEC00001"));
  plain = await startMiniflare(plainVars, { script: plainScript });
  if (POLICY) {
    // The limit is never reached: what is measured is the checks' cost.
    const options = { kvNamespaces: { REVOCATIONS: "frontsign-bench-revocations" },
      ratelimits: { MINT_LIMIT: { simple: { limit: 1_000_000_000, period: 60 } } } };
    const polVars = (pem, id) => ({ ...goVars(pem, id), ALLOWED_COUNTRIES: "JP,US,DE" });
    polRSA = await startMiniflare(polVars(rsaKey.pem, "K2BENCHRSA0001"), { options });
    polEC = await startMiniflare(polVars(ecKey.pem, "K2BENCHEC00001"), { options });
  }
}
const stopAll = () => { for (const w of [goRSA, goEC, plain, polRSA, polEC]) w?.stop(); };
process.on("exit", stopAll);

const token = mintHS256(SECRET, { sub: "bench", exp: Math.floor(Date.now() / 1000) + 3 * 3600, frontsign: { resources: [`${DEMO}/*`] } });
const bodyFor = (batch) => JSON.stringify(batch === 1 ? { url: `${DEMO}/bench/seg0.ts` } : { urls: Array.from({ length: batch }, (_, i) => `${DEMO}/bench/seg${i}.ts`) });
// Under Miniflare every Go side gets the same request.cf (MF-CF-Blob), so
// the policy side differs only by its checks.
const cfHeader = HOST === "miniflare" ? { "MF-CF-Blob": JSON.stringify({ country: "JP" }) } : {};
const goTarget = (w, batch, tok = token) => ({ url: `${w.base}/v1/sign`, batch, body: bodyFor(batch),
  headers: { Authorization: `Bearer ${tok}`, "Content-Type": "application/json", ...cfHeader } });
const policyToken = mintHS256(SECRET, { sub: "bench", jti: "bench-jti-1", iat: Math.floor(Date.now() / 1000) - 60,
  exp: Math.floor(Date.now() / 1000) + 3 * 3600, frontsign: { resources: [`${DEMO}/*`], countries: ["JP", "US"] } });
const plainTarget = (kind, batch) => ({ url: `${plain.base}/v1/sign?key=${kind}`, batch, body: bodyFor(batch),
  headers: { "Content-Type": "application/json" } });

const verifiers = {
  go: { rsa: await Verifier.fromWorker(goRSA.base), ec: await Verifier.fromWorker(goEC.base) },
  ...(POLICY ? { policy: { rsa: await Verifier.fromWorker(polRSA.base), ec: await Verifier.fromWorker(polEC.base) } } : {}),
  plain: {
    rsa: new Verifier(["--public-key", `K2BENCHRSA0001=${rsaKey.publicKeyFile}`], keyDir),
    ec: new Verifier(["--public-key", `K2BENCHEC00001=${ecKey.publicKeyFile}`], keyDir),
  },
};

// --- comparison -----------------------------------------------------------------

const scenarios = [];
for (const kind of ["rsa", "ec"]) {
  for (const batch of (process.env.BENCH_BATCHES ?? "1,100").split(",").map(Number)) {
    const go = { name: "Go (frontsign)", worker: kind === "rsa" ? goRSA : goEC, target: goTarget(kind === "rsa" ? goRSA : goEC, batch), verifier: verifiers.go[kind] };
    const js = { name: "plain JS", worker: plain, target: plainTarget(kind, batch), verifier: verifiers.plain[kind] };
    const sides = [go, js];
    if (POLICY) {
      const w = kind === "rsa" ? polRSA : polEC;
      sides.push({ name: "Go + policy", worker: w, target: goTarget(w, batch, policyToken), verifier: verifiers.policy[kind] });
    }
    scenarios.push({ kind, batch, sides });
  }
}

for (const sc of scenarios) {
  const label = `${sc.kind === "rsa" ? "RSA-2048" : "ECDSA P-256"}, ${sc.batch === 1 ? "1 URL" : `${sc.batch} URLs`}`;
  log(`\n${label}`);
  const n = sc.batch === 1 ? LATENCY_REQUESTS : Math.max(LATENCY_BLOCK, Math.round(LATENCY_REQUESTS / 20));
  for (const side of sc.sides) {
    side.times = [];
    side.roundP50 = [];
    side.tput = { requests: 0, ms: 0, cpuMs: 0, errors: 0 };
    const { first } = await post(side.target); // warm: start the instance, import the key
    const d = side.verifier.verify(first.signedUrl);
    if (!d.allowed) throw new Error(`${side.name} ${label}: signed URL refused by the verifier: ${d.reason} ${d.detail}`);
    await warmUp(side.target, side.worker.workerdPids(), sc.batch);
  }
  // The two sides take turns in small steps, so a burst of background load
  // on this shared machine lands on both rather than on one side's whole
  // phase: blocks of LATENCY_BLOCK sequential requests for latency (not
  // single requests: each would find its worker just woken from idle, a cost
  // added to both sides that softens the ratio), and one-second slices for
  // throughput.
  for (let round = 0; round < ROUNDS; round++) {
    const turns = round % 2 ? [...sc.sides].reverse() : sc.sides;
    const roundTimes = turns.map(() => []);
    for (let i = 0; i < n; i += LATENCY_BLOCK) {
      for (const [k, side] of turns.entries()) {
        for (let j = i; j < Math.min(n, i + LATENCY_BLOCK); j++) roundTimes[k].push((await post(side.target)).ms);
      }
    }
    for (const [k, side] of turns.entries()) {
      side.times.push(...roundTimes[k]);
      side.roundP50.push(pct(roundTimes[k], 50));
    }
    for (let slice = 0; slice < SECONDS; slice++) {
      for (const side of slice % 2 ? [...turns].reverse() : turns) {
        const r = await concurrent(side.target, side.worker.workerdPids(), 1);
        if (r.errors) throw new Error(`${side.name} ${label}: ${r.errors} errors, first: ${r.firstError}`);
        side.tput.requests += r.requests;
        side.tput.ms += r.ms;
        side.tput.cpuMs += r.cpuMs;
      }
    }
  }
  for (const side of sc.sides) {
    side.p50 = pct(side.times, 50);
    side.p99 = pct(side.times, 99);
    side.rps = (side.tput.requests * 1000) / side.tput.ms;
    side.cpu = side.tput.cpuMs / side.tput.requests;
    log(`  ${side.name.padEnd(15)} p50 ${side.p50.toFixed(2)} ms  p99 ${side.p99.toFixed(2)} ms  ${side.rps.toFixed(1)} req/s  CPU ${side.cpu.toFixed(2)} ms/req`);
  }
}

// --- sustained load ---------------------------------------------------------------

// loadRun puts CLIENTS clients on target for LOAD_SECONDS and samples the
// RSS of the worker's workerd processes every 10 s, and for the Go worker
// the memory its Go instance holds (/v1/health's memoryBytes: the wasm
// memory, which RSS includes along with workerd's own heap).
async function loadRun(name, worker, target, goMemory) {
  log(`\nload: ${LOAD_SECONDS} s, ${CLIENTS} clients, ${name}, RSA, 1 URL per request…`);
  const pids = worker.workerdPids();
  const health = async () => (await (await fetch(`${worker.base}/v1/health`)).json()).memoryBytes / 2 ** 20;
  const rss = [rssMB(pids)];
  const wasm = goMemory ? [await health()] : [];
  const r = await concurrent(target, pids, LOAD_SECONDS, CLIENTS, 10_000_000, () => {
    rss.push(rssMB(pids));
    log(`  RSS ${rss.at(-1).toFixed(1)} MB`);
    if (goMemory) health().then((mb) => wasm.push(mb), () => {});
  });
  rss.push(rssMB(pids));
  if (goMemory) wasm.push(await health());
  return { name, ...r, rss, wasm };
}
// The plain-JS worker under the same load is the control for memory:
// wrangler dev's own workerd processes grow under load whatever the Worker.
const loads = [await loadRun("Go worker", goRSA, goTarget(goRSA, 1), true), await loadRun("plain-JS worker", plain, plainTarget("rsa", 1))];

// --- report -----------------------------------------------------------------------

const f = (x, d = 2) => x.toFixed(d);
const out = [];
out.push(`Measured ${new Date().toISOString().slice(0, 16)}Z, ${HOST_NAME} (local workerd), ${execFileSync("nproc", { encoding: "utf8" }).trim()} CPUs, load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} at the end.`);
out.push("");
out.push("| Keys, URLs per request | Worker | p50 ms | p99 ms | req/s (8 clients) | CPU ms/req¹ | p50 ratio Go/JS | throughput ratio Go/JS |");
out.push("|---|---|---:|---:|---:|---:|---:|---:|");
const verdicts = [];
const policyRows = [];
for (const sc of scenarios) {
  const [go, js, pol] = sc.sides;
  const label = `${sc.kind === "rsa" ? "RSA-2048" : "ECDSA P-256"}, ${sc.batch}`;
  if (pol) {
    policyRows.push({ label, p50: pol.p50 - go.p50, rounds: pol.roundP50.map((p, i) => p - go.roundP50[i]), cpu: pol.cpu - go.cpu, go, pol });
  }
  const p50Ratio = go.p50 / js.p50;
  const tputRatio = go.rps / js.rps;
  const roundRatios = go.roundP50.map((p, i) => p / js.roundP50[i]);
  verdicts.push({ label, p50Ratio, tputRatio, roundRatios });
  out.push(`| ${label} | ${go.name} | ${f(go.p50)} | ${f(go.p99)} | ${f(go.rps, 1)} | ${f(go.cpu)} | **${f(p50Ratio)}×** | **${f(tputRatio)}×** |`);
  out.push(`| ${label} | ${js.name} | ${f(js.p50)} | ${f(js.p99)} | ${f(js.rps, 1)} | ${f(js.cpu)} | | |`);
  if (pol) out.push(`| ${label} | ${pol.name} | ${f(pol.p50)} | ${f(pol.p99)} | ${f(pol.rps, 1)} | ${f(pol.cpu)} | ${f(pol.p50 / js.p50)}× | ${f(pol.rps / js.rps)}× |`);
}
out.push("");
out.push(HOST === "wrangler"
  ? "¹ CPU time of the `wrangler dev` workerd processes (from /proc, user+system) over the throughput phase, divided by its requests; local workerd does not report per-request CPU, and this includes wrangler's proxy code in workerd."
  : "¹ CPU time of the worker's workerd process (from /proc, user+system) over the throughput phase, divided by its requests; it includes workerd's HTTP handling and Miniflare's small entry worker.");
out.push("");
out.push(`Targets: p50 within 1.3× of plain JS, throughput at least 0.75× of it.`);
for (const v of verdicts) {
  out.push(`- ${v.label}: p50 ${f(v.p50Ratio)}× ${v.p50Ratio <= 1.3 ? "✓" : "✗"} (by round: ${v.roundRatios.map((r) => `${f(r)}×`).join(", ")}), throughput ${f(v.tputRatio)}× ${v.tputRatio >= 0.75 ? "✓" : "✗"}`);
}
if (policyRows.length) {
  out.push("");
  out.push("Edge policy (revocation cache hit, MINT_LIMIT, both country lists) beside today's worker, same run: Go + policy minus Go.");
  for (const r of policyRows) {
    out.push(`- ${r.label}: p50 ${r.p50 >= 0 ? "+" : ""}${f(r.p50, 3)} ms (by round: ${r.rounds.map((x) => `${x >= 0 ? "+" : ""}${f(x, 3)}`).join(", ")}), CPU ${r.cpu >= 0 ? "+" : ""}${f(r.cpu, 3)} ms/req (${f(r.go.cpu, 3)} → ${f(r.pol.cpu, 3)})`);
  }
}
out.push("");
out.push(`Sustained load: ${CLIENTS} concurrent clients for ${LOAD_SECONDS} s, RSA, 1 URL per request; RSS of each worker's workerd processes (${HOST_NAME}), sampled every 10 s.`);
out.push("");
out.push("| Worker | requests | req/s | errors | CPU ms/req | RSS start → end (MB) | RSS growth per 1000 requests | samples (MB) |");
out.push("|---|---:|---:|---:|---:|---|---:|---|");
for (const l of loads) {
  const growth = ((l.rss.at(-1) - l.rss[0]) * 1000) / Math.max(l.requests, 1);
  out.push(`| ${l.name} | ${l.requests} | ${f((l.requests * 1000) / l.ms, 1)} | **${l.errors}** | ${f(l.cpuMs / Math.max(l.requests, 1))} | ${f(l.rss[0], 1)} → ${f(l.rss.at(-1), 1)} | ${f(growth, 1)} MB | ${l.rss.map((x) => f(x, 0)).join(", ")} |`);
  if (l.errors) out.push(`\n${l.name}: first error: ${l.firstError}`);
}
for (const l of loads.filter((l) => l.wasm.length)) {
  out.push("");
  out.push(`${l.name}: memory its Go instance holds (/v1/health memoryBytes, MB), same samples: ${l.wasm.map((x) => f(x, 1)).join(", ")}.`);
}
const errors = loads.reduce((n, l) => n + l.errors, 0);
console.log(out.join("\n"));
stopAll();
process.exit(errors ? 1 : 0);
