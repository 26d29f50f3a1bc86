// A static file server on 127.0.0.1 for the built fixtures: node serve.mjs DIR
// prints its URL (on a free port) and serves .wasm as application/wasm (streaming compilation), / as
// index.html, and "NAME" as NAME.html when that exists (Next's static export).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, extname, normalize } from "node:path";

const [root] = process.argv.slice(2);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".txt": "text/plain" };

async function file(path) {
  for (const p of [path, join(path, "index.html"), `${path}.html`]) {
    if ((await stat(p).catch(() => null))?.isFile()) return p;
  }
  return null;
}

createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path === "/favicon.ico") {
    res.writeHead(204).end(); // asked for by Chromium on every page, not by the app
    return;
  }
  const found = await file(join(root, path));
  if (!found) {
    res.writeHead(404).end("not found");
    return;
  }
  res.writeHead(200, { "content-type": types[extname(found)] ?? "application/octet-stream" }).end(await readFile(found));
}).listen(0, "127.0.0.1", function () {
  console.log(`http://127.0.0.1:${this.address().port}/`);
});
