// The module in real Deno (the npm package "deno", pinned in package.json):
// RSA results byte-identical to the same calls in Node, the verifier's
// verdict, and an error code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { MODULE_URL } from "./helpers.mjs";

const { load } = await import(MODULE_URL);

const root = fileURLToPath(new URL("../../", import.meta.url));

test("the module runs in Deno and signs exactly as in Node", async (t) => {
  const fs = await load();
  const pair = await fs.generateKeyPair("rsa"); // a throwaway key, made for this test
  const dir = await mkdtemp(`${tmpdir()}/frontsign-deno-`);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pem = `${dir}/key.pem`, pub = `${dir}/key.pub.pem`;
  await writeFile(pem, pair.privateKeyPem);
  await writeFile(pub, pair.publicKeyPem);

  const deno = `${root}node_modules/.bin/deno`;
  const { stdout } = await promisify(execFile)(deno, ["run", `--allow-read=${root},${dir}`, `${root}wasm/test/deno/sign.mjs`, pem, pub, MODULE_URL.href],
    { timeout: 120_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } });
  const got = JSON.parse(stdout.trim().split("\n").pop());

  const key = await fs.importPrivateKey(pair.privateKeyPem, { keyPairId: "K1TESTKEY" });
  const common = { key, expires: 1924992000, hashAlgorithm: "SHA256" };
  const single = await fs.signUrl({ url: "https://d111111abcdef8.cloudfront.net/videos/intro 1.mp4", ...common });
  const batch = await fs.signUrls({
    urls: ["https://d111111abcdef8.cloudfront.net/a.ts", "https://d111111abcdef8.cloudfront.net/b.ts"],
    resource: "https://d111111abcdef8.cloudfront.net/*",
    ...common,
  });
  assert.equal(got.single, single.signedUrl);
  assert.deepEqual(got.batch, batch.map((b) => b.signedUrl));
  assert.equal(got.code, "bad_time"); // Date.now() is milliseconds
  assert.equal(got.allowed, true);
});
