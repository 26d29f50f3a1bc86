// With the DOM lib (or any lib declaring WebAssembly): the .wasm subpath and
// WasmModule are WebAssembly.Module, not never.
import { load, type WasmModule } from "frontsign";
import wasm from "frontsign/frontsign.wasm";

const compiled: WasmModule = await WebAssembly.compile(new Uint8Array(8));
const imported: WebAssembly.Module = wasm;
await load(compiled);
await load(imported);
