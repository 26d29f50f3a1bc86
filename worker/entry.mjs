// The Worker's entry: ONE Go instance per isolate, serving every request.
//
// Adapted from the worker.mjs that `workers-assets-gen -mode=go` writes for
// github.com/syumai/workers v0.33.0. That one runs `new Go()` and a fresh
// WebAssembly.Instance for every request (a new Go runtime, every init() and
// main(), ≈5–9 ms and ≈4–6 MB each). Here the Go program (worker/wasm) is
// started once, when the isolate starts, and every request is handed to
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
// A request reaches Go as a frame (worker/wasm/bridge.go): a "\n"-separated
// head (method, URL, headers) and the body. It is written straight into Go's
// memory and announced through an exported function, and the answer comes
// back whole through the frontsign.done import; Promises Go waits on are
// settled by binding.settle, binding.signAll signs policies read from Go's
// memory and writes the signatures back there, binding.limit counts mints on
// the MINT_LIMIT binding, and the frontsign.log import prints the audit
// lines (worker/wasm/direct.go, bindings.go). request.cf.country travels as
// the frame's first pair (frame.go). A call through a
// js.Func, syscall/js's usual way in, costs more CPU than signing one URL,
// so that path (binding.serve, binding.done) is kept only for a request too
// large for Go's inbox. After calling an export, entry.mjs runs the Go
// scheduler with go._resume(), the method wasm_exec.js's own js.Func
// wrappers call (wasm_exec.js always comes from the same toolchain).
//
// wasm_exec.js is the Go toolchain's own (copied by scripts/worker.sh into
// dist/worker, so it always matches the compiler); syumai's patched copy only
// differs by handing `context` to Go through a Proxy of globalThis, which
// matters for per-request instances, not for this single one.
import { env } from "cloudflare:workers";
import "../dist/worker/wasm_exec.js";
import mod from "../dist/worker/app.wasm";
import { seedAtGlobalScope } from "./seed.mjs";

const NO_BODY = new Set([101, 204, 205, 304]);
// binding.limit's rejection text for "over the limit" (worker/wasm/bindings.go).
const OVER_LIMIT = "frontsign: over the limit";
// A body declared larger than this is not read at all: Go sees only its
// Content-Length and answers 413 (the API's own limit is far smaller).
const MAX_READ = 1 << 20;

let instance; // Promise of the running instance's serve(id, head, body); undefined when none runs
const pending = new Map(); // request id → resolve of its answer
let nextId = 0;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// start runs the Go program and resolves with the way to hand it requests
// once main() has called workers.Ready(). If the program ever exits (a
// crash), the next request starts a fresh one.
function start(env) {
  let wasm;
  const outcomes = []; // settle slot → a Promise's value, until Go takes it
  const binding = {
    // The syscall/js path (bridge.go), for a request too large for the inbox.
    done(id, status, headLength, answer) {
      answered(id, status, answer.subarray(0, headLength), answer.subarray(headLength));
    },
    // Promises Go waits on (direct.go): Go is told by slot when one settles.
    settle(promise, slot) {
      promise.then(
        (value) => { outcomes[slot] = value; settled(slot, 1); },
        (err) => rejected(slot, err ? String(err) : "promise rejected"));
    },
    // WebCrypto signatures of count policies that lie one after the other
    // in Go's memory from at, their lengths a Uint32Array at lengthsAt,
    // written joined into Go's memory at out (outLength bytes, the key's
    // signature length times count) before the slot settles. subtle.sign
    // copies its input when called, so Go's memory is read before Go runs;
    // the view to write through is made after the wait, since Go's memory
    // may have grown meanwhile.
    signAll(slot, key, algorithm, at, lengthsAt, count, out, outLength) {
      const memory = wasm.exports.mem.buffer;
      const lengths = new Uint32Array(memory, lengthsAt, count);
      const signatures = new Array(count);
      for (let i = 0, offset = at; i < count; offset += lengths[i], i++) {
        signatures[i] = crypto.subtle.sign(algorithm, key, new Uint8Array(memory, offset, lengths[i]));
      }
      Promise.all(signatures).then((buffers) => {
        let length = 0;
        for (const b of buffers) length += b.byteLength;
        if (length !== outLength) return rejected(slot, `signatures of ${length} bytes, not the ${outLength} expected`);
        const sigs = new Uint8Array(wasm.exports.mem.buffer, out, outLength);
        for (let i = 0, offset = 0; i < count; offset += buffers[i].byteLength, i++) sigs.set(new Uint8Array(buffers[i]), offset);
        settled(slot, 1);
      }, (err) => rejected(slot, err ? String(err) : "sign failed"));
    },
    // The Rate Limiting binding counts one unit per limit() call: n units
    // are n calls, all made at once. The slot settles fulfilled when every
    // one was within the limit, and rejected with OVER_LIMIT when one was
    // not, so Go takes no value on the usual path (worker/wasm/bindings.go).
    limit(slot, limiter, key, n) {
      const calls = new Array(n);
      try {
        for (let i = 0; i < n; i++) calls[i] = limiter.limit({ key });
      } catch (err) {
        queueMicrotask(() => rejected(slot, String(err)));
        return;
      }
      Promise.all(calls).then(
        (outcomes) => outcomes.every((o) => o.success === true) ? settled(slot, 1) : rejected(slot, OVER_LIMIT),
        (err) => rejected(slot, err ? String(err) : "limit failed"));
    },
    take(slot) {
      const value = outcomes[slot];
      outcomes[slot] = undefined;
      return value;
    },
  };
  globalThis.context = { env, binding };
  const go = new Go();
  seedAtGlobalScope(go);
  const settled = (slot, ok) => {
    if (go.exited) return;
    wasm.exports.frontsign_settled(slot, ok);
    go._resume();
  };
  // A rejection reaches Go as its text, which take(slot) hands over.
  const rejected = (slot, text) => { outcomes[slot] = text; settled(slot, 0); };
  let ready;
  const isReady = new Promise((resolve) => { ready = resolve; });
  wasm = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
    frontsign: {
      // The answer, read out of Go's memory before Go goes on.
      done(id, status, headLength, at, length) {
        const answer = new Uint8Array(wasm.exports.mem.buffer, at, length);
        answered(id, status, answer.subarray(0, headLength), answer.slice(headLength));
      },
      // An audit text (worker/wasm/audit.go), read out of Go's memory.
      log(at, length) {
        console.log(decoder.decode(new Uint8Array(wasm.exports.mem.buffer, at, length)));
      },
    },
  });
  const exited = go.run(wasm).then(() => {
    instance = undefined;
    for (const resolve of pending.values()) resolve({ status: 500, head: "", body: null });
    pending.clear();
    throw new Error("frontsign worker: the Go program exited");
  });
  exited.catch((err) => console.error(String(err)));
  // serve hands Go one request: written straight into Go's memory and
  // announced through an exported function (direct.go), which is far
  // cheaper than a js.Func call; or, when it does not fit, through
  // binding.serve (bridge.go).
  const serve = (id, head, body) => {
    const x = wasm.exports;
    const length = head.length + body.length;
    const at = x.frontsign_inbox(length);
    if (at === 0) {
      binding.serve(id, head, body);
      return;
    }
    const inbox = new Uint8Array(x.mem.buffer, at, length); // after frontsign_inbox: memory may have grown
    inbox.set(head);
    inbox.set(body, head.length);
    x.frontsign_serve(id, head.length, body.length);
    go._resume(); // runs the request until it answers or waits on a Promise
  };
  return Promise.race([isReady.then(() => serve), exited]);
}

// answered resolves request id's Promise (in fetch) with Go's answer.
function answered(id, status, head, body) {
  const resolve = pending.get(id);
  pending.delete(id);
  resolve({ status, head: decoder.decode(head), body });
}

const EMPTY = new Uint8Array(0);

// head lays out a request's method, URL and headers as bridge.go reads them;
// the first pair, ":country", is request.cf.country (frame.go).
function head(request) {
  let text = `${request.method}\n${request.url}`;
  const country = request.cf?.country;
  if (typeof country === "string" && /^[A-Za-z0-9]{1,3}$/.test(country)) text += `\n:country\n${country}`;
  for (const [name, value] of request.headers) text += `\n${name}\n${value}`;
  return encoder.encode(text);
}

async function body(request) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (request.method === "GET" || request.method === "HEAD" || declared > MAX_READ) return EMPTY;
  return new Uint8Array(await request.arrayBuffer());
}

// The Go program starts with the isolate, at module scope (bindings come
// from cloudflare:workers), so that a request finds it running: Cloudflare
// starts an isolate while the TLS handshake of its first request is still
// going on. Go's runtime asks for random bytes as it starts, which workerd
// refuses here; seed.mjs answers that one read. If the start fails, the
// first request tries again.
instance = start(env);
instance.catch(() => {}); // a failed start is seen, and retried, by fetch

export default {
  async fetch(request, env) {
    instance ??= start(env);
    let serve;
    try {
      serve = await instance;
    } catch (err) {
      instance = undefined;
      throw err;
    }
    const id = nextId++;
    const requestBody = await body(request);
    const answer = await new Promise((resolve) => {
      pending.set(id, resolve);
      serve(id, head(request), requestBody);
    });
    const headers = new Headers();
    const flat = answer.head === "" ? [] : answer.head.split("\n");
    for (let i = 0; i + 1 < flat.length; i += 2) headers.append(flat[i], flat[i + 1]);
    const status = answer.status;
    return new Response(NO_BODY.has(status) || request.method === "HEAD" ? null : answer.body, { status, headers });
  },
};
