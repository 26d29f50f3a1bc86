// webpack 5 copies frontsign.wasm itself: it sees new URL("./frontsign.wasm", import.meta.url).
import { fileURLToPath } from "node:url";

export default {
  entry: "./src/main.js",
  output: { path: fileURLToPath(new URL("dist", import.meta.url)), filename: "main.js" },
  // The 7.5 MB .wasm is fetched when load() runs, not with the page; without
  // this, webpack's size hints (244 KiB) warn about it on every build.
  performance: { assetFilter: (name) => !name.endsWith(".wasm") && !name.endsWith(".map") },
};
