// The npm package inside real workerd: wrangler dev serves wasm/test/workerd
// with node_modules/frontsign → dist/npm, on a free 127.0.0.1 port.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { ROOT, DIST, MODULE_URL, RSA_PEM, KEY_ID, tempDir } from "./helpers.mjs";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once("error", reject).listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startWrangler(dir) {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const wrangler = join(ROOT, "node_modules", ".bin", "wrangler");
  const child = spawn(wrangler, ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--log-level", "warn"], {
    cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
  });
  let log = "";
  child.stdout.on("data", (d) => { log += d; });
  child.stderr.on("data", (d) => { log += d; });
  const stop = () => { try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ } };
  process.on("exit", stop);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) { // up to 60 s for wrangler to bundle and start workerd
    if (child.exitCode !== null) break;
    try {
      await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) });
      return { base, stop, log: () => log };
    } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  stop();
  throw new Error(`wrangler dev did not start:\n${log}`);
}

test("the module runs inside workerd and signs like Node", async () => {
  const dir = tempDir("frontsign-workerd-");
  cpSync(join(ROOT, "wasm", "test", "workerd"), dir, { recursive: true });
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(DIST, join(dir, "node_modules", "frontsign"), "dir");
  // Local secrets, as `wrangler secret put` would provide them (a published test key).
  writeFileSync(join(dir, ".dev.vars"), `PRIVATE_KEY=${JSON.stringify(RSA_PEM)}\nKEY_PAIR_ID=${KEY_ID}\n`);

  const server = await startWrangler(dir);
  after(server.stop);
  const { load } = await import(MODULE_URL);
  const fs = await load();
  const key = await fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID });
  const expires = Math.floor(Date.now() / 1000) + 3600;
  // Two requests: the second reuses the isolate's Go instance and key.
  for (const path of ["/videos/a b.mp4", "/videos/caf\u00e9.mp4"]) {
    const url = `https://d111111abcdef8.cloudfront.net${path}`;
    const res = await fetch(`${server.base}/?${new URLSearchParams({ url, expires })}`);
    const body = await res.json();
    assert.equal(res.status, 200, `${JSON.stringify(body)}\n${server.log()}`);
    assert.equal(body.crypto, "webcrypto");
    const local = await fs.signUrl({ url, key, expires });
    assert.equal(body.signedUrl, local.signedUrl, "workerd and Node give the same bytes");
    const d = await fs.verify({ url: body.signedUrl, publicKeys: { [KEY_ID]: RSA_PEM } });
    assert.equal(d.allowed, true, d.detail);
  }
  const bad = await fetch(`${server.base}/?${new URLSearchParams({ url: "ftp://x/y", expires })}`);
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, "bad_url");
});
