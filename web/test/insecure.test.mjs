// The page on a non-secure origin, as when it is opened over plain http on a
// LAN address: browsers give such a page no crypto.subtle, and the module
// signs with Go crypto instead. Chromium resolves lan.test to 127.0.0.1
// (--host-resolver-rules), so the origin http://lan.test:PORT is not a
// secure context (http://127.0.0.1 and localhost are) while every request
// still goes to this machine's wrangler dev. Results are compared with the
// core package's, through the Go checker.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { browser, check, root, selectTab, serve, setKey, submit, waitReady } from "./harness.mjs";

const host = "https://d111111abcdef8.cloudfront.net";
const keyPairId = "K2JCJMDEHXQW5F";
const pem = readFileSync(join(root, "testdata", "awscli-legacy-rsa2048-pkcs8.pem"), "utf8"); // public test key

let server, chrome, page;
const wasmFetched = [];
before(async () => {
  server = await serve();
  chrome = await browser(["--host-resolver-rules=MAP lan.test 127.0.0.1"]);
  page = await (await chrome.newContext()).newPage();
  page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasmFetched.push(new URL(r.url()).pathname); });
  await page.goto(server.base.replace("127.0.0.1", "lan.test"));
  await waitReady(page);
}, { timeout: 180_000 });

after(async () => {
  await chrome?.close();
  server?.stop();
});

test("on a non-secure origin the page has no crypto.subtle, signs with Go crypto, and signs the bytes native Go signs", { timeout: 120_000 }, async () => {
  assert.deepEqual(await page.evaluate(() => [window.isSecureContext, typeof crypto.subtle]), [false, "undefined"]);
  const now = Math.floor(Date.now() / 1000);
  const expires = now + 7200;
  const url = `${host}/videos/intro 1.mp4`;
  await setKey(page, pem, keyPairId);
  const { ok, errors } = await submit(page, "sign", { urls: url, expires: String(expires), hash: "" });
  assert.ok(ok, JSON.stringify(errors));
  assert.match(await page.textContent("#key-state"), /signing with Go crypto/);
  assert.ok(wasmFetched.some((p) => /\/frontsign-gocrypto\.[0-9a-f]+\.wasm$/.test(p)), `the Go-crypto build was fetched: ${wasmFetched}`);
  assert.ok(!wasmFetched.some((p) => /\/frontsign\.[0-9a-f]+\.wasm$/.test(p)), `the WebCrypto build, which cannot run here, was not fetched: ${wasmFetched}`);
  // RSA PKCS#1 v1.5 signatures are deterministic: the same URL, expiry and
  // key give the same signed URL natively.
  assert.equal(await page.inputValue("#sign-output"), check({ op: "sign", pem, keyPairId, url, now, expires }).signedUrl);
});

test("on a non-secure origin it generates keys with Go crypto that the core reads and whose public half matches", { timeout: 120_000 }, async () => {
  await selectTab(page, "keygen");
  await page.check('input[name="keygen-type"][value="ecdsa"]');
  const { ok, errors } = await submit(page, "keygen");
  assert.ok(ok, JSON.stringify(errors));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#keygen-download")]);
  const privatePem = readFileSync(await download.path(), "utf8");
  const parsed = check({ op: "parsekey", pem: privatePem, publicPem: await page.inputValue("#keygen-public") });
  assert.equal(parsed.keyType, "ECDSA");
  assert.ok(parsed.publicMatches, "the public PEM shown is the private key's public half");
});
