// Benchmark (not a test): the page's navigation → first signed URL on a first
// visit, against the baseline build (LEAN_BASE_DIR, the commit before the
// lean work; scripts/lean.sh), in headless Chromium, unthrottled and at
// 10 Mbps / 40 ms RTT (Chromium's network emulation through CDP).
//
// Both builds' dist/web are served by one small static server here, every
// file gzip-compressed once up front (as a CDN or any static host that
// compresses would serve them), so the figure is the page's own and not a
// dev server compressing 2 MB per request. The key and URL are entered and
// Sign pressed as soon as the page's script has run (DOMContentLoaded), as in
// web/test/bench.mjs. A fresh browser profile per visit; the builds take
// turns. Traffic goes to 127.0.0.1 only.
//   LEAN_BASE_DIR=… node web/test/lean.bench.mjs   (./build.sh bench runs it)
// Environment: LEAN_PAGE_RUNS (default 5).
import { createServer } from "node:http";
import { once } from "node:events";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { browser, root, signOnArrival } from "./harness.mjs";

const RUNS = Number(process.env.LEAN_PAGE_RUNS ?? 5);
const BASE = process.env.LEAN_BASE_DIR;
if (!BASE) throw new Error("LEAN_BASE_DIR: the baseline build's directory (scripts/lean.sh lean_base)");
const PEM = readFileSync(join(root, "testdata", "awscli-legacy-rsa2048-pkcs8.pem"), "utf8"); // public test key
const URL0 = "https://d111111abcdef8.cloudfront.net/videos/intro.mp4";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".json": "application/json", ".webmanifest": "application/manifest+json" };

// serveStatic serves dir's files gzip-compressed (level 6, as servers do on the fly) on a free port.
async function serveStatic(dir) {
  const files = new Map();
  const walk = (d, prefix) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else files.set(`/${prefix}${name}`, { type: TYPES[extname(name)] ?? "application/octet-stream", gz: gzipSync(readFileSync(p), { level: 6 }) });
    }
  };
  walk(dir, "");
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const f = files.get(path === "/" ? "/index.html" : path);
    if (!f) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "Content-Type": f.type, "Content-Encoding": "gzip", "Cache-Control": "no-cache" }).end(f.gz);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { base: `http://127.0.0.1:${server.address().port}/`, wasm: [...files].find(([k]) => /^\/frontsign\.[0-9a-f]+\.wasm$/.test(k))[1].gz.length, close: () => server.close() };
}

async function firstSignature(chrome, base, throttle) {
  const context = await chrome.newContext(); // a fresh profile: empty HTTP cache, no service worker
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 });
  }
  const ms = await signOnArrival(page, base, { pem: PEM, url: URL0 });
  await context.close();
  return ms;
}

const servers = { now: await serveStatic(join(root, "dist", "web")), base: await serveStatic(join(BASE, "dist", "web")) };
const chrome = await browser();
const got = { now: [], base: [], nowSlow: [], baseSlow: [] };
await firstSignature(chrome, servers.now.base, false); // warm Chromium itself
for (let r = 0; r < RUNS; r++) {
  const order = r % 2 ? ["base", "now"] : ["now", "base"];
  for (const k of order) got[k].push(await firstSignature(chrome, servers[k].base, false));
  for (const k of order) got[`${k}Slow`].push(await firstSignature(chrome, servers[k].base, true));
}
await chrome.close();
for (const s of Object.values(servers)) s.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs, d = 0) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;
const ms = (xs) => `${median(xs).toFixed(0)} ms (${range(xs)})`;
const ratio = got.now.map((x, i) => x / got.base[i]);
const slowRatio = got.nowSlow.map((x, i) => x / got.baseSlow[i]);
const version = (await import("node:child_process")).execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
console.log(`### ${version} (headless): navigation → first signed URL, first visit (median of ${RUNS}, a fresh profile each)\n`);
console.log(`The wasm as served (gzip): ${(servers.now.wasm / 1e6).toFixed(2)} MB, baseline ${(servers.base.wasm / 1e6).toFixed(2)} MB.\n`);
console.log("| network | frontsign | baseline build | ratio, median (range) | target |\n|---|---:|---:|---:|---|");
console.log(`| local, unthrottled | ${ms(got.now)} | ${ms(got.base)} | **${median(ratio).toFixed(2)}×** (${range(ratio, 2)}) | ≤ 0.6× |`);
console.log(`| 10 Mbps, 40 ms RTT | **${ms(got.nowSlow)}** | ${ms(got.baseSlow)} | ${median(slowRatio).toFixed(2)}× (${range(slowRatio, 2)}) | ≤ 1,300 ms |`);
console.log();
process.exit(0);
