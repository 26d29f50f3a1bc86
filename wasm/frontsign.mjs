// frontsign — Amazon CloudFront signed URLs and cookies from one Go signer
// compiled to WebAssembly. Runs in browsers, Node ≥ 20.19, Deno and Cloudflare
// Workers; it never imports node:crypto. frontsign.wasm signs with
// crypto.subtle; frontsign-gocrypto.wasm, fetched only where crypto.subtle is
// missing, carries Go's crypto. See frontsign.d.ts for the API contract.

// Go's wasm_exec.js (from the Go release that built frontsign.wasm) is
// inlined below by the build, run against a sandboxed view of globalThis so
// that neither `Go` nor its fs/process/path shims leak into the real global:
// writes land in `sandboxOwn`, reads fall through to the real global.
const sandboxOwn = Object.create(null);
const sandbox = new Proxy(globalThis, {
  get: (target, name) => (name in sandboxOwn ? sandboxOwn[name] : Reflect.get(target, name)),
  set: (_target, name, value) => { sandboxOwn[name] = value; return true; },
  has: (target, name) => name in sandboxOwn || name in target,
  deleteProperty: (_target, name) => delete sandboxOwn[name],
});
const Go = ((globalThis) => {
// @@WASM_EXEC@@
  return globalThis.Go;
})(sandbox);

const READY = "__frontsignReady"; // must match wasm/main_js.go

/** An Error with a stable `code` (see frontsign.d.ts for the list). */
export class FrontsignError extends Error {
  constructor(code, message, extra) {
    super(message);
    this.name = "FrontsignError";
    this.code = code;
    if (extra) Object.assign(this, extra);
  }
}

const badArgument = (message) => new FrontsignError("bad_argument", message);

let loading; // the one instance: a Promise of a Frontsign

/**
 * Loads and starts the module once; later calls return the same instance
 * (their `source` is ignored). `source` is where the .wasm comes from: omitted
 * (next to this file), a URL or string, a Response, bytes, or a compiled
 * WebAssembly.Module (needed in Cloudflare Workers, which cannot compile
 * bytes at run time).
 */
export function load(source) {
  loading ??= start(source).catch((err) => {
    loading = undefined; // let a later call retry, e.g. with another source
    throw err;
  });
  return loading;
}

async function start(source) {
  let module, instance;
  const go = new Go();
  try {
    module = await compile(source ?? defaultWasmURL());
    instance = await WebAssembly.instantiate(module, go.importObject);
  } catch (err) {
    if (err instanceof FrontsignError) throw err;
    throw new FrontsignError("load_failed", `could not load frontsign.wasm: ${err?.message ?? err}`);
  }
  const api = await new Promise((resolve, reject) => {
    sandboxOwn[READY] = resolve;
    go.run(instance).then(
      () => reject(new FrontsignError("load_failed", "frontsign.wasm exited while starting")),
      (err) => reject(new FrontsignError("load_failed", `frontsign.wasm failed to start: ${err?.message ?? err}`)),
    );
  });
  delete sandboxOwn[READY];
  return new Frontsign(api);
}

// Where the .wasm is looked for when load() is given no source. The literal
// `new URL("./frontsign.wasm", import.meta.url)` is the form bundlers (Vite,
// webpack 5, Parcel, Next.js, SvelteKit) recognise: they copy the file and put
// its final URL here. Keep both literal: webpack turns a non-literal first
// argument into a context module that fails for every input.
// frontsign.wasm has no Go crypto (a third of the size); a browser page on a
// plain-http origin other than localhost has no crypto.subtle and gets the
// build that signs with Go's crypto instead.
function defaultWasmURL() {
  if (globalThis.navigator?.userAgent === "Cloudflare-Workers") {
    throw badArgument('in Cloudflare Workers pass the wasm module: import wasm from "frontsign/frontsign.wasm"; await load(wasm) (or import from "frontsign", whose workerd entry does this)');
  }
  return globalThis.crypto?.subtle
    ? new URL("./frontsign.wasm", import.meta.url)
    : new URL("./frontsign-gocrypto.wasm", import.meta.url);
}

// A page (document or worker: `location` exists) is never Node, even when a
// bundler has set import.meta.url to a file: URL; only there, does a file: URL
// mean "read from disk".
const page = globalThis.location?.href;

// Relative strings given to load() resolve against the page (as fetch() does),
// elsewhere against this module.
const base = () => globalThis.document?.baseURI ?? page ?? import.meta.url;

const copyHint = "copy node_modules/frontsign/frontsign.wasm (and frontsign-gocrypto.wasm, for pages served over plain http) next to your bundled JS (or where your server serves it) and, if it is elsewhere, pass its URL: load(\"/assets/frontsign.wasm\")";

async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  // Strings and URLs before Response: in Node the first touch of the global
  // Response loads its fetch implementation (undici, ≈27 ms), which reading
  // the .wasm from disk never needs.
  if (typeof source === "string" || source instanceof URL) {
    const url = new URL(source, base());
    if (url.protocol === "file:") return WebAssembly.compile(await readFile(url));
    let res;
    try {
      res = await fetch(url);
    } catch (err) {
      throw new FrontsignError("load_failed", `could not fetch ${url.href}: ${err?.message ?? err}; ${copyHint}`);
    }
    return compileResponse(res, url.href);
  }
  if (typeof Response === "function" && source instanceof Response) return compileResponse(source, source.url);
  throw badArgument("load(source): source must be a URL, a string, a Response, an ArrayBuffer or typed array, or a WebAssembly.Module");
}

// readFile reads a file: URL from disk in Node (through process.getBuiltinModule,
// which no bundler follows into a browser build) and fetches it in Deno and Bun,
// whose fetch reads file: URLs. Neither is attempted from a page.
async function readFile(url) {
  const getBuiltin = globalThis.process?.getBuiltinModule;
  const read = page !== undefined ? undefined
    : typeof getBuiltin === "function" ? () => getBuiltin("node:fs/promises").readFile(url)
    : globalThis.Deno !== undefined || globalThis.Bun !== undefined ? async () => (await fetch(url)).arrayBuffer()
    : undefined;
  if (read) {
    try {
      return await read();
    } catch (err) {
      throw new FrontsignError("load_failed", `could not read ${url.href}: ${err?.message ?? err}; pass another location or the bytes: load(new URL("file:///path/to/frontsign.wasm")) or load(bytes)`);
    }
  }
  throw new FrontsignError("load_failed", `frontsign.wasm resolved to ${url.href}, a file on disk, but this is ${page === undefined ? "a runtime without process.getBuiltinModule (Node >= 20.16)" : `a page (${page})`}: the bundler did not copy the .wasm; ${copyHint}`);
}

async function compileResponse(res, where) {
  if (!res.ok) throw new FrontsignError("load_failed", `could not fetch ${where}: HTTP ${res.status}; ${copyHint}`);
  try {
    if (typeof WebAssembly.compileStreaming === "function" && res.headers.get("content-type")?.startsWith("application/wasm")) {
      return await WebAssembly.compileStreaming(res);
    }
    return await WebAssembly.compile(await res.arrayBuffer()); // servers that do not send application/wasm
  } catch (err) {
    // Typically an HTML page (a single-page app's fallback) served where the .wasm was expected.
    throw new FrontsignError("load_failed", `${where} is not frontsign.wasm (${err?.message ?? err}); ${copyHint}`);
  }
}

// Key handles: small JS objects; the parsed key stays in Go under an id.
const keyIds = new WeakMap();
const finalizer = typeof FinalizationRegistry === "function"
  ? new FinalizationRegistry(({ api, id }) => {
    try { api.freeKey(JSON.stringify(id)); } catch { /* the Go program is gone; nothing to free */ }
  })
  : null;

class PrivateKeyHandle {
  constructor(api, info) {
    this.keyPairId = info.keyPairId;
    this.keyType = info.keyType;
    this.crypto = info.crypto;
    keyIds.set(this, info.id);
    finalizer?.register(this, { api, id: info.id }, this);
    Object.defineProperty(this, "free", {
      value: () => {
        if (!keyIds.has(this)) return;
        api.freeKey(JSON.stringify(keyIds.get(this)));
        keyIds.delete(this);
        finalizer?.unregister(this);
      },
    });
    Object.freeze(this);
  }
}

function keyId(key, fn) {
  const id = key && keyIds.get(key);
  if (id === undefined) throw badArgument(`${fn}: key must be the handle returned by importPrivateKey (and not freed)`);
  return id;
}

function options(value, fn) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw badArgument(`${fn}: give an options object, such as {url, key, expires}`);
  return value;
}

// Dates travel as Unix seconds (an invalid Date as a string the core refuses).
function encode(args) {
  return JSON.stringify(args, function (name, value) {
    const original = this[name];
    if (original instanceof Date) {
      const ms = original.getTime();
      return Number.isNaN(ms) ? "Invalid Date" : Math.floor(ms / 1000);
    }
    if (original instanceof URL) return original.href;
    return value;
  });
}

function decode(json) {
  const r = JSON.parse(json);
  if (r.error) {
    const { code, message, ...extra } = r.error;
    throw new FrontsignError(code, message, extra);
  }
  return r.ok;
}

/** A loaded frontsign module; get one with load(). */
class Frontsign {
  #api;
  constructor(api) { this.#api = api; }

  async importPrivateKey(pem, opts = {}) {
    if (typeof pem !== "string") throw badArgument("importPrivateKey: pem must be the private key PEM text (a string)");
    const o = options(opts, "importPrivateKey");
    const info = decode(await this.#api.importPrivateKey(encode({ ...o, pem })));
    return new PrivateKeyHandle(this.#api, info);
  }

  async signUrl(opts) {
    const o = options(opts, "signUrl");
    return decode(await this.#api.signUrl(encode({ ...o, key: keyId(o.key, "signUrl") })));
  }

  async signUrls(opts) {
    const o = options(opts, "signUrls");
    if (!Array.isArray(o.urls)) throw badArgument("signUrls: urls must be an array of URL strings");
    return decode(await this.#api.signUrls(encode({ ...o, key: keyId(o.key, "signUrls") })));
  }

  async signCookies(opts) {
    const o = options(opts, "signCookies");
    return decode(await this.#api.signCookies(encode({ ...o, key: keyId(o.key, "signCookies") })));
  }

  async signPlaylist(opts) {
    const o = options(opts, "signPlaylist");
    if (typeof o.playlist !== "string") throw badArgument("signPlaylist: playlist must be the playlist's text (a string)");
    return decode(await this.#api.signPlaylist(encode({ ...o, key: keyId(o.key, "signPlaylist") })));
  }

  async verify(opts) {
    return decode(await this.#api.verify(encode(options(opts, "verify"))));
  }

  inspect(url, cookies) {
    if (typeof url !== "string" && !(url instanceof URL)) throw badArgument("inspect: url must be a string");
    return decode(this.#api.inspect(encode({ url, cookies })));
  }

  async generateKeyPair(type = "rsa") {
    if (typeof type !== "string") throw badArgument('generateKeyPair: type must be "rsa" or "ecdsa"');
    return decode(await this.#api.generateKeyPair(JSON.stringify(type)));
  }
}
