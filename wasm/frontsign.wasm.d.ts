// Types for `import wasm from "frontsign/frontsign.wasm"`: the compiled
// module, as Cloudflare Workers (wrangler) and other hosts that import .wasm
// as a WebAssembly.Module give it. Pass it to load(wasm).
type InstanceOf<C> = C extends abstract new (...args: any) => infer T ? T : never;
declare const wasm: typeof globalThis extends { WebAssembly: { Module: infer C } } ? InstanceOf<C> : never;
export default wasm;
