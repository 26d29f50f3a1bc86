// Shared by the worker's integration tests and benchmark: start the real
// worker in real workerd (wrangler dev) with given settings on a free
// 127.0.0.1 port, mint tokens, make keys and check results with the native
// CLI's verifier. Everything started here is killed on exit.
import { spawn, execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The demo distribution the tests and the benchmark sign for (CloudFront's own example host).
export const DEMO = "https://d111111abcdef8.cloudfront.net";
export const CLI = join(ROOT, "dist", "frontsign-cli"); // built by scripts/worker.sh (worker_cli)
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
// The same date as the root wrangler.toml (the newest the local workerd knows).
const COMPATIBILITY_DATE = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))[1];

const cleanups = [];
function cleanupAll() {
  for (const f of cleanups.splice(0)) {
    try { f(); } catch { /* best effort */ }
  }
}
process.on("exit", cleanupAll);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => { cleanupAll(); process.exit(130); });

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once("error", reject).listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// startWorker runs a worker under `wrangler dev` with vars (all settings,
// secrets included) in .dev.vars of a fresh directory, and waits until it
// answers /v1/health (any status: a bad config answers 500). script is the
// entry module; by default a snapshot of the real worker (worker/entry.mjs
// and dist/worker), so a rebuild of dist/ meanwhile does not make wrangler
// restart the worker under the test. A given script (one module, no imports)
// is snapshotted the same way.
export async function startWorker(vars, { script, name = "frontsign-test" } = {}) {
  const dir = tempDir("frontsign-worker-");
  if (script) {
    copyFileSync(script, join(dir, basename(script)));
    script = join(dir, basename(script));
  } else {
    mkdirSync(join(dir, "worker"));
    for (const f of readdirSync(join(ROOT, "worker")).filter((f) => f.endsWith(".mjs"))) { // entry.mjs and what it imports
      copyFileSync(join(ROOT, "worker", f), join(dir, "worker", f));
    }
    cpSync(join(ROOT, "dist", "worker"), join(dir, "dist", "worker"), { recursive: true });
    script = join(dir, "worker", "entry.mjs");
  }
  writeFileSync(join(dir, "wrangler.toml"),
    `name = ${JSON.stringify(name)}\nmain = ${JSON.stringify(script)}\ncompatibility_date = ${JSON.stringify(COMPATIBILITY_DATE)}\n`);
  writeFileSync(join(dir, ".dev.vars"), Object.entries(vars).map(([k, v]) => `${k}=${dotenvValue(String(v))}\n`).join(""));
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const child = spawn(WRANGLER, ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort),
    "--show-interactive-dev-session=false", "--log-level", "log"], {
    cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  let log = "";
  child.stdout.on("data", (d) => { log += d; });
  child.stderr.on("data", (d) => { log += d; });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
  };
  cleanups.push(stop);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000; // bundling and starting workerd on a busy 2-core box
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`${base}/v1/health`, { signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      return { base, port, stop, log: () => log, wranglerPid: child.pid, workerdPids: () => findWorkerd(child.pid) };
    } catch { await new Promise((r) => setTimeout(r, 200)); }
  }
  stop();
  throw new Error(`wrangler dev did not start:\n${log}`);
}

// startMiniflare is startWorker without wrangler dev: the worker runs in
// workerd driven by Miniflare (the library wrangler dev itself uses), with
// no dev proxy and no inspector in front of it. The benchmark uses it to
// measure the Worker alone (BENCH_HOST=miniflare). Instances must be started
// one at a time (each finds its own workerd process by what appeared).
//
// outbound, if given, answers every fetch() the Worker makes (Miniflare's
// outboundService): a Node function from Request to Response, so tests can
// serve a JWKS URL or Access certs without leaving the machine. options are
// more Miniflare options (kvNamespaces, ratelimits, …); with captureLog the
// Worker's console output is kept for log() instead of dropped. The
// Miniflare instance is returned as mf (getKVNamespace, dispatchFetch).
export async function startMiniflare(vars, { script, outbound, options = {}, captureLog = false } = {}) {
  const { Miniflare } = await import(join(ROOT, "node_modules", "miniflare", "dist", "src", "index.js"));
  const before = new Set(findWorkerd(process.pid));
  let log = "";
  const mf = new Miniflare({
    modules: true, modulesRoot: ROOT, scriptPath: script ?? join(ROOT, "worker", "entry.mjs"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    compatibilityDate: COMPATIBILITY_DATE, bindings: vars, host: "127.0.0.1", port: await freePort(),
    // workerd's stdout carries every console.log (the audit lines); drop
    // them here rather than print thousands of lines into the report.
    handleRuntimeStdio(stdout, stderr) {
      if (!captureLog) { stdout.resume(); stderr.resume(); return; }
      stdout.on("data", (d) => { log += d; });
      stderr.on("data", (d) => { log += d; });
    },
    ...(outbound ? { outboundService: outbound } : {}),
    ...options,
  });
  const base = new URL(await mf.ready).origin;
  const pids = findWorkerd(process.pid).filter((p) => !before.has(p));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const pid of pids) try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ }
    mf.dispose().catch(() => {});
  };
  cleanups.push(stop);
  return { base, stop, log: () => log, workerdPids: () => pids, mf };
}

// dotenvValue quotes v for .dev.vars (dotenv): double quotes expand \n
// (multi-line PEMs) but keep backslashes before quotes, so a value with
// double quotes (an inline JWKS) goes in single quotes, taken literally.
function dotenvValue(v) {
  if (v.includes("\n")) {
    if (/["\\]/.test(v)) throw new Error("a multi-line .dev.vars value cannot hold quotes or backslashes");
    return `"${v.replaceAll("\n", "\\n")}"`;
  }
  if (v.includes("'")) throw new Error("a .dev.vars value cannot hold a single quote");
  return `'${v}'`;
}

// findWorkerd returns the pids of the workerd processes below pid (Linux /proc).
export function findWorkerd(pid) {
  const children = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push({ pid: Number(d), comm });
    } catch { /* exited meanwhile */ }
  }
  const queue = [pid];
  const found = [];
  while (queue.length) {
    for (const c of children.get(queue.shift()) ?? []) {
      if (c.comm === "workerd") found.push(c.pid);
      queue.push(c.pid);
    }
  }
  return found;
}

export const b64url = (b) => Buffer.from(b).toString("base64url");

// now is the current time in Unix seconds, as JWT claims carry it.
export const now = () => Math.floor(Date.now() / 1000);

// mintHS256 signs claims as an HS256 JWT (the shape any JWT library makes).
export function mintHS256(secret, claims, header = { alg: "HS256", typ: "JWT" }) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

// keygen makes a CloudFront key pair (rsa or ecdsa) with the CLI in dir;
// returns the private PEM.
export function keygen(type, dir) {
  return keygenPair(type, dir).pem;
}

// keygenPair is keygen also returning the public key's file.
export function keygenPair(type, dir) {
  const out = join(dir, `${type}-${Math.random().toString(36).slice(2)}`);
  execFileSync(CLI, ["keygen", "--type", type, "--out", out]);
  return { pem: readFileSync(`${out}.pem`, "utf8"), publicKeyFile: `${out}.pub.pem` };
}

// Verifier checks signed URLs and cookies with the core verifier (the CLI's
// `verify`), trusting exactly the keys the worker publishes at /v1/keys.
export class Verifier {
  static async fromWorker(base) {
    const res = await fetch(`${base}/v1/keys`);
    if (res.status !== 200) throw new Error(`/v1/keys answered ${res.status}: ${await res.text()}`);
    const { keys } = await res.json();
    const dir = tempDir("frontsign-keys-");
    const args = keys.map((k) => {
      const file = join(dir, `${k.kid}.pub.pem`);
      writeFileSync(file, k.pem);
      return ["--public-key", `${k.kid}=${file}`];
    }).flat();
    return new Verifier(args, dir, keys);
  }

  constructor(keyArgs, dir, keys) { this.keyArgs = keyArgs; this.dir = dir; this.keys = keys; }

  // verify returns the CLI's JSON decision for a request URL, optionally
  // with Set-Cookie lines (cookies) and the viewer's IP.
  verify(url, { setCookies, ip } = {}) {
    const args = ["verify", "--json", ...this.keyArgs];
    if (setCookies) {
      const file = join(this.dir, `cookies-${Math.random().toString(36).slice(2)}.txt`);
      writeFileSync(file, setCookies.join("\n") + "\n");
      args.push("--set-cookies", file);
    }
    if (ip) args.push("--ip", ip);
    args.push("--url", url);
    try {
      return JSON.parse(execFileSync(CLI, args, { encoding: "utf8" }));
    } catch (err) {
      if (err.status === 1 && err.stdout) return JSON.parse(err.stdout); // denied, with the reason
      throw err;
    }
  }
}

// call POSTs JSON (or sends method/body as given) and returns status,
// headers and parsed body.
export async function call(base, path, { method = "POST", token, body, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (token !== undefined) h.Authorization = `Bearer ${token}`;
  let payload = raw;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    h["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${base}${path}`, { method, headers: h, body: payload, redirect: "manual" });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}
