// Benchmark (not a test): the worker's cold start in local workerd (Miniflare
// alone: no dev proxy, no inspector), against two anchors in the same run:
// the plain-JS WebCrypto worker (worker/bench/plainjs) and the baseline build
// (LEAN_BASE_DIR, the commit before the lean work; scripts/lean.sh).
//
// Each sample is a new workerd process, so a fresh isolate. Per sample:
//   - ready: the CPU time (user+system, /proc) workerd has used when
//     Miniflare reports it ready: its own start plus the isolate's startup
//     (the Worker's module evaluated); the Go worker's minus the plain-JS
//     worker's is the isolate startup the Go worker adds;
//   - first: the wall time of the first POST /v1/sign (one RSA-2048 URL)
//     after ready, as a client sees it;
//   - to first answer: workerd's CPU from its process start to that answer,
//     and the part of it after ready (the first request's own CPU); and
//     its CPU one second after the answer, which also counts the wasm
//     functions V8 goes on compiling in the background by then.
// The three workers take turns in each round; ratios are per round, the
// report gives their median and range.
//   LEAN_BASE_DIR=… node worker/bench/cold.mjs      (./build.sh bench runs it)
// Environment: COLD_ROUNDS (default 7). Traffic goes to 127.0.0.1 only.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, DEMO, freePort, findWorkerd, mintHS256 } from "../test/helpers.mjs";

const ROUNDS = Number(process.env.COLD_ROUNDS ?? 7);
const SETTLE_MS = 1000;
const BASE = process.env.LEAN_BASE_DIR;
if (!BASE) throw new Error("LEAN_BASE_DIR: the baseline build's directory (scripts/lean.sh lean_base)");
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
const COMPATIBILITY_DATE = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))[1];
const { Miniflare } = await import(join(ROOT, "node_modules", "miniflare", "dist", "src", "index.js"));

// A public test key (testdata, never used anywhere real).
const PEM = readFileSync(join(ROOT, "testdata", "awscli-legacy-rsa2048-pkcs8.pem"), "utf8");
const KEY_ID = "K2JCJMDEHXQW5F";
const SECRET = "bench-token-secret-0123456789abcdefghijkl";
const token = mintHS256(SECRET, { sub: "bench", exp: Math.floor(Date.now() / 1000) + 3 * 3600, frontsign: { resources: [`${DEMO}/*`] } });
const body = JSON.stringify({ url: `${DEMO}/bench/seg0.ts` });
const goVars = { CLOUDFRONT_PRIVATE_KEY: PEM, CLOUDFRONT_KEY_PAIR_ID: KEY_ID, TOKEN_SECRET: SECRET,
  ALLOWED_RESOURCES: `${DEMO}/*`, HASH_ALGORITHM: "SHA1", MAX_TTL: "1h" };
const goRequest = { path: "/v1/sign", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } };
const sides = {
  go: { name: "Go worker", root: ROOT, script: "worker/entry.mjs", vars: goVars, request: goRequest },
  base: { name: "Go worker, baseline build", root: BASE, script: "worker/entry.mjs", vars: goVars, request: goRequest },
  plain: { name: "plain-JS worker", root: ROOT, script: "worker/bench/plainjs/worker.mjs",
    vars: { RSA_KEY: PEM, RSA_KEY_ID: KEY_ID, AUDIT: "1" }, request: { path: "/v1/sign?key=rsa", headers: { "Content-Type": "application/json" } } },
};

function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]);
  }
  return (ticks * 1000) / CLK_TCK;
}

async function sample(side) {
  const before = new Set(findWorkerd(process.pid));
  const mf = new Miniflare({
    modules: true, modulesRoot: side.root, scriptPath: join(side.root, side.script),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    compatibilityDate: COMPATIBILITY_DATE, bindings: side.vars, host: "127.0.0.1", port: await freePort(),
    handleRuntimeStdio(stdout, stderr) { stdout.resume(); stderr.resume(); },
  });
  try {
    const base = new URL(await mf.ready).origin;
    const pids = findWorkerd(process.pid).filter((p) => !before.has(p));
    const ready = cpuMs(pids);
    const t0 = performance.now();
    const res = await fetch(base + side.request.path, { method: "POST", headers: side.request.headers, body, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    const first = performance.now() - t0;
    if (res.status !== 200 || !JSON.parse(text).signedUrl) throw new Error(`${side.name}: ${res.status} ${text.slice(0, 300)}`);
    const cpu = cpuMs(pids);
    // V8 goes on compiling hot wasm functions in background threads after
    // the answer; a second later that work is counted whichever way the
    // isolate started.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { ready, first, cpu, settled: cpuMs(pids) };
  } finally {
    await mf.dispose();
  }
}

await sample(sides.plain); // warm the file cache and Miniflare itself
const got = { go: [], base: [], plain: [] };
const names = Object.keys(sides);
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(r + i) % names.length];
    got[name].push(await sample(sides[name]));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs, d = 0) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;
const ms = (xs) => `${median(xs).toFixed(0)} ms (${range(xs)})`;
const ratio = (a, b, k) => a.map((s, i) => s[k] / b[i][k]);
const firstVsPlain = ratio(got.go, got.plain, "first");
const cpuVsBase = ratio(got.go, got.base, "cpu");
const settledVsBase = ratio(got.go, got.base, "settled");
const firstVsBase = ratio(got.go, got.base, "first");
const startup = got.go.map((s, i) => s.ready - got.plain[i].ready);
const baseStartup = got.base.map((s, i) => s.ready - got.plain[i].ready);
const col = (k) => Object.values(got).map((list) => ms(list.map((s) => s[k]))).join(" | ");

console.log(`### workerd (Miniflare): a fresh isolate's first POST /v1/sign (${ROUNDS} rounds, a new workerd process each)\n`);
console.log("| measure | Go worker | baseline build | plain-JS worker |\n|---|---:|---:|---:|");
console.log(`| workerd CPU at ready (its start + the isolate's) | ${col("ready")} |`);
console.log(`| first POST /v1/sign after ready, wall | ${col("first")} |`);
console.log(`| workerd CPU from process start to the first answer | ${col("cpu")} |`);
console.log(`| workerd CPU from process start to 1 s after the first answer | ${col("settled")} |`);
console.log(`| of which the first request (CPU at the answer − at ready) | ${Object.values(got).map((list) => ms(list.map((s) => s.cpu - s.ready))).join(" | ")} |`);
console.log();
console.log("| ratio | median (range) | target |\n|---|---:|---|");
console.log(`| first POST after ready, Go / plain JS | **${median(firstVsPlain).toFixed(2)}×** (${range(firstVsPlain, 2)}) | ≤ 2× |`);
console.log(`| first POST after ready, Go / baseline | ${median(firstVsBase).toFixed(2)}× (${range(firstVsBase, 2)}) | |`);
console.log(`| workerd CPU, process start → first answer, Go / baseline | **${median(cpuVsBase).toFixed(2)}×** (${range(cpuVsBase, 2)}) | ≤ 1.0× |`);
console.log(`| workerd CPU, process start → 1 s after the first answer, Go / baseline | ${median(settledVsBase).toFixed(2)}× (${range(settledVsBase, 2)}) | |`);
console.log(`| isolate startup CPU the Go worker adds (its ready − plain JS's) | ${median(startup).toFixed(0)} ms (${range(startup)}); baseline ${median(baseStartup).toFixed(0)} ms | far under Workers' 1 s startup limit |`);
console.log();
process.exit(0);
