// frontsign for Cloudflare Workers (the "workerd" export condition): Workers
// cannot compile wasm bytes at run time, so the .wasm is imported as a module
// (wrangler bundles it) and handed to load() by default.
import wasm from "./frontsign.wasm";
import { load as loadFrom } from "./frontsign.mjs";

export * from "./frontsign.mjs";

/** Same as frontsign.mjs's load(), with the bundled wasm module as the default source. */
export function load(source = wasm) {
  return loadFrom(source);
}
