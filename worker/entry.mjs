// The Worker's entry: ONE Go instance per isolate, serving every request.
//
// Adapted from the worker.mjs that `workers-assets-gen -mode=go` writes for
// github.com/syumai/workers v0.33.0. That one runs `new Go()` and a fresh
// WebAssembly.Instance for every request (a new Go runtime, every init() and
// main(), ≈5–9 ms and ≈4–6 MB each). Here the Go program (worker/wasm) is
// started once, on the first request, and every later request is handed to
// the same instance, so its globals (parsed config, keys, imported
// CryptoKeys, the JWKS cache) live as long as the isolate.
//
// Runtime context caveat: syumai's Go side reads `globalThis.context` once,
// when the program starts. We give it `env` (the same bindings for every
// request of an isolate) and the `binding` object Go fills with
// serve, but deliberately no `ctx`: an ExecutionContext belongs to
// one request, and a long-lived instance would keep using the first
// request's. So Go code here must not call ctx.waitUntil or
// passThroughOnException (they panic instead of acting on the wrong request).
//
// Requests reach Go through binding.serve (worker/wasm/bridge.go): the
// request crosses as two byte arrays (a "\n"-separated head, the body) and
// the answer comes back whole, as one, through binding.done (the API's
// answers are small JSON). Each crossing and each value Go holds costs CPU,
// so bridge.go keeps them this few.
//
// wasm_exec.js is the Go toolchain's own (copied by scripts/worker.sh into
// dist/worker, so it always matches the compiler); syumai's patched copy only
// differs by handing `context` to Go through a Proxy of globalThis, which
// matters for per-request instances, not for this single one.
import "../dist/worker/wasm_exec.js";
import mod from "../dist/worker/app.wasm";

const NO_BODY = new Set([101, 204, 205, 304]);
// A body declared larger than this is not read at all: Go sees only its
// Content-Length and answers 413 (the API's own limit is far smaller).
const MAX_READ = 1 << 20;

let instance; // Promise of the running instance's binding ({serve}); undefined when none runs
const pending = new Map(); // request id → resolve of its answer
let nextId = 0;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// start runs the Go program and resolves with its binding once main() has
// called workers.Ready(). If the program ever exits (a crash), the next
// request starts a fresh one.
function start(env) {
  const binding = {
    done(id, status, headLength, answer) {
      const resolve = pending.get(id);
      pending.delete(id);
      resolve({ status, head: decoder.decode(answer.subarray(0, headLength)), body: answer.subarray(headLength) });
    },
  };
  globalThis.context = { env, binding };
  const go = new Go();
  let ready;
  const isReady = new Promise((resolve) => { ready = resolve; });
  const wasm = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
  });
  const exited = go.run(wasm).then(() => {
    instance = undefined;
    for (const resolve of pending.values()) resolve({ status: 500, head: "", body: null });
    pending.clear();
    throw new Error("frontsign worker: the Go program exited");
  });
  exited.catch((err) => console.error(String(err)));
  return Promise.race([isReady.then(() => binding), exited]);
}

const EMPTY = new Uint8Array(0);

// head lays out a request's method, URL and headers as bridge.go reads them.
function head(request) {
  let text = `${request.method}\n${request.url}`;
  for (const [name, value] of request.headers) text += `\n${name}\n${value}`;
  return encoder.encode(text);
}

async function body(request) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (request.method === "GET" || request.method === "HEAD" || declared > MAX_READ) return EMPTY;
  return new Uint8Array(await request.arrayBuffer());
}

export default {
  async fetch(request, env) {
    instance ??= start(env);
    let binding;
    try {
      binding = await instance;
    } catch (err) {
      instance = undefined;
      throw err;
    }
    const id = nextId++;
    const requestBody = await body(request);
    const answer = await new Promise((resolve) => {
      pending.set(id, resolve);
      binding.serve(id, head(request), requestBody);
    });
    const headers = new Headers();
    const flat = answer.head === "" ? [] : answer.head.split("\n");
    for (let i = 0; i + 1 < flat.length; i += 2) headers.append(flat[i], flat[i + 1]);
    const status = answer.status;
    return new Response(NO_BODY.has(status) || request.method === "HEAD" ? null : answer.body, { status, headers });
  },
};
