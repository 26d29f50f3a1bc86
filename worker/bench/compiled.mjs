// Benchmark (not a test): how much wasm code V8 compiles for the worker's
// start and for its first POST /v1/sign. V8 compiles a wasm function the
// first time it runs (lazy compilation, on in Node and workerd alike), and
// in the Go worker that compilation, not the work itself, is most of both:
// with lazy compilation off, main() takes about 2 ms. Unlike timings on a
// shared machine, these counts are the same from run to run, so they show
// what a change adds to or removes from either path.
//
// It runs worker/entry.mjs in Node (no workerd: its module, env and
// fetch are given the way worker/bench/README.md describes for profiling)
// under `node --trace-wasm-compilation-times`, once stopping after the
// start and once after the first request, and counts the Liftoff
// compilations of each: functions and their wasm body bytes. The second
// request compiles nothing new.
//
//   node worker/bench/compiled.mjs [app.wasm …]      (default dist/worker/app.wasm)
//
// For each wasm file it prints the counts; for one built without -s (it
// keeps the name section: GOOS=js GOARCH=wasm go build -o x.wasm ./worker/wasm)
// also the packages whose code each phase compiles most.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, DEMO, mintHS256 } from "../test/helpers.mjs";

const TOP = 12;
const SECRET = "bench-token-secret-0123456789abcdefghijkl";

// The child: entry.mjs with Node's module, env and the given wasm, started,
// then sent `requests` POST /v1/sign requests.
if (process.argv[2] === "--child") {
  const [, , , wasmPath, requests] = process.argv;
  const PEM = readFileSync(join(ROOT, "testdata", "awscli-legacy-rsa2048-pkcs8.pem"), "utf8");
  globalThis.__env = { CLOUDFRONT_PRIVATE_KEY: PEM, CLOUDFRONT_KEY_PAIR_ID: "K2JCJMDEHXQW5F", TOKEN_SECRET: SECRET,
    ALLOWED_RESOURCES: `${DEMO}/*`, HASH_ALGORITHM: "SHA1", MAX_TTL: "1h" };
  globalThis.__module = new WebAssembly.Module(readFileSync(wasmPath));
  const src = readFileSync(join(ROOT, "worker", "entry.mjs"), "utf8")
    .replace(`import { env } from "cloudflare:workers";`, "const env = globalThis.__env;")
    .replace(`import "../dist/worker/wasm_exec.js";`, `import ${JSON.stringify(pathToFileURL(join(ROOT, "dist", "worker", "wasm_exec.js")).href)};`)
    .replace(`import mod from "../dist/worker/app.wasm";`, "const mod = globalThis.__module;")
    .replace(`from "./seed.mjs"`, `from ${JSON.stringify(pathToFileURL(join(ROOT, "worker", "seed.mjs")).href)}`);
  // Node's fetch classes load on first use: load them before the worker runs.
  await new Response(new Request("https://x.example/", { method: "POST", body: "{}" }).body, { headers: new Headers() }).text();
  const dir = mkdtempSync(join(tmpdir(), "frontsign-compiled-"));
  try {
    writeFileSync(join(dir, "entry.mjs"), src);
    const { default: worker } = await import(pathToFileURL(join(dir, "entry.mjs")).href);
    const token = mintHS256(SECRET, { sub: "bench", exp: Math.floor(Date.now() / 1000) + 3600, frontsign: { resources: [`${DEMO}/*`] } });
    for (let i = 0; i < Number(requests); i++) {
      const res = await worker.fetch(new Request("https://worker.example/v1/sign", { method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ url: `${DEMO}/bench/seg${i}.ts` }) }), globalThis.__env);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST /v1/sign: ${res.status} ${text}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

// compiled runs the child and returns each Liftoff-compiled function's
// index → body bytes.
function compiled(wasm, requests) {
  const out = execFileSync(process.execPath, ["--trace-wasm-compilation-times", import.meta.filename, "--child", wasm, String(requests)],
    { encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "inherit"] });
  const fns = new Map();
  for (const m of out.matchAll(/^Compiled function \S*#(\d+) using Liftoff.*? bodysize (\d+)/gm)) fns.set(Number(m[1]), Number(m[2]));
  return fns;
}

// names reads the function names of a wasm's name section (empty without one).
function names(wasm) {
  const [section] = WebAssembly.Module.customSections(new WebAssembly.Module(readFileSync(wasm)), "name");
  const out = new Map();
  if (!section) return out;
  const b = new Uint8Array(section);
  let p = 0;
  const uleb = () => {
    let r = 0, shift = 0, x;
    do { x = b[p++]; r += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
    return r;
  };
  const decoder = new TextDecoder();
  while (p < b.length) {
    const id = b[p++], end = uleb() + p;
    if (id === 1) { // function names
      for (let n = uleb(); n > 0; n--) {
        const index = uleb(), length = uleb();
        out.set(index, decoder.decode(b.subarray(p, p + length)));
        p += length;
      }
    }
    p = end;
  }
  return out;
}

// pkg is a Go function's package as the wasm name section spells it
// (github.com_golang_jwt_jwt_v5.__Parser_.Parse → github.com_golang_jwt_jwt_v5).
function pkg(name) {
  const host = /^(github\.com|golang\.org|gopkg\.in)_/.exec(name);
  const from = host ? host[0].length : 0;
  const dot = name.indexOf(".", from);
  return dot < 0 ? name : name.slice(0, dot);
}

const kb = (n) => `${(n / 1000).toFixed(0)} kB`;
const wasms = process.argv.slice(2).length ? process.argv.slice(2) : [join(ROOT, "dist", "worker", "app.wasm")];
for (const wasm of wasms) {
  const start = compiled(wasm, 0);
  const first = compiled(wasm, 1);
  for (const index of start.keys()) first.delete(index);
  const fnNames = names(wasm);
  console.log(`### ${wasm}\n`);
  console.log("| phase | functions compiled | wasm body bytes |\n|---|---:|---:|");
  for (const [phase, fns] of [["start (entry.mjs evaluated, main() waiting)", start], ["first POST /v1/sign", first]]) {
    console.log(`| ${phase} | ${fns.size} | ${kb([...fns.values()].reduce((a, b) => a + b, 0))} |`);
  }
  console.log();
  if (fnNames.size === 0) continue;
  for (const [phase, fns] of [["start", start], ["first request", first]]) {
    const byPkg = new Map();
    for (const [index, bytes] of fns) {
      const p = pkg(fnNames.get(index) ?? "?");
      byPkg.set(p, (byPkg.get(p) ?? 0) + bytes);
    }
    const top = [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, TOP);
    console.log(`${phase}, most compiled: ${top.map(([p, n]) => `${p} ${kb(n)}`).join(", ")}\n`);
  }
}
