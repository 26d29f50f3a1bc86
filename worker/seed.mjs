// Lets the Go program start at module scope in workerd, which refuses
// crypto.getRandomValues there ("Disallowed operation called within global
// scope … generating random values").
//
// Go's runtime reads random bytes once as it starts, before any package's
// init: 32 bytes that seed its own non-cryptographic generator (map hash
// seeds, math/rand/v2's top-level functions, the worker's request IDs), never
// crypto/rand. wasm_exec.js answers that read, and every crypto/rand read,
// through one import, runtime.getRandomData, with crypto.getRandomValues.
//
// seedAtGlobalScope(go) wraps that import so that the FIRST read alone,
// and only if crypto.getRandomValues refuses it, is filled from Math.random()
// (allowed at global scope; V8 seeds it per isolate from the system's
// entropy). Every later read goes to crypto.getRandomValues unchanged: a
// crypto/rand read at global scope would throw and fail the start loudly,
// never get weaker bytes. worker/test/seed.test.mjs checks both.
//
// workerd refuses randomness at startup because startup state may be
// replayed in several instances. Were an isolate's startup replayed, its
// instances would share this seed, and so share their maps' hash seeds and
// the request IDs made without a Cf-Ray header (worker/serve.go): nothing
// secret, and no map of the worker holds more caller-chosen keys than one
// token's header and claims, or 256 verified tokens (token/cache.go), so
// known hash seeds buy no flooding.
export function seedAtGlobalScope(go) {
  const imports = go.importObject.gojs;
  const read = imports["runtime.getRandomData"];
  let first = true;
  imports["runtime.getRandomData"] = (sp) => {
    if (!first) return read(sp);
    first = false;
    try {
      return read(sp);
    } catch {
      // A slice's pointer and length, as wasm_exec.js's loadSlice reads them.
      sp >>>= 0;
      const view = new DataView(go._inst.exports.mem.buffer);
      const at = view.getUint32(sp + 8, true) + view.getInt32(sp + 12, true) * 4294967296;
      const length = view.getUint32(sp + 16, true) + view.getInt32(sp + 20, true) * 4294967296;
      const bytes = new Uint8Array(go._inst.exports.mem.buffer, at, length);
      for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
  };
}
