// Node tests of the built npm package (dist/npm): run by `./build.sh test`
// (module_test), or `node --test wasm/test/` after `./build.sh build`.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import {
  ROOT, DIST, MODULE_URL, RSA_PEM, EC_PEM, KEY_ID, testdata, tempDir, nativeCLI,
  decodeCloudFrontBase64, pemBody, toPEM, derToP1363, queryParams,
} from "./helpers.mjs";

const { load, FrontsignError } = await import(MODULE_URL);
const fs = await load();
// frontsign-gocrypto.wasm, the build a page without crypto.subtle gets, in
// its own module instance: the same API, signing with Go's crypto.
const goFs = await (await import(`${MODULE_URL}?gocrypto`)).load(readFileSync(join(DIST, "frontsign-gocrypto.wasm")));
const rsaWeb = await fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID });
const rsaGo = await goFs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID, crypto: "go" });
const ecWeb = await fs.importPrivateKey(EC_PEM, { keyPairId: KEY_ID });
const ecGo = await goFs.importPrivateKey(EC_PEM, { keyPairId: KEY_ID, crypto: "go" });
/** The instance a key was imported into. */
const on = (key) => (key.crypto === "go" ? goFs : fs);

const NOW = "2026-11-26T00:00:00Z";
const HOST = "https://d111111abcdef8.cloudfront.net";

/** Asserts that promise (or function) fails with a FrontsignError of this code. */
async function rejectsWith(code, run) {
  await assert.rejects(async () => run(), (err) => {
    // (instanceof would fail for errors of a fresh module instance, with its own class)
    assert.ok(err instanceof Error && err.name === "FrontsignError", `expected a FrontsignError, got ${err}`);
    assert.equal(err.code, code, `code of: ${err.message}`);
    assert.ok(err.message.length > 15, "the message says what to fix");
    const withoutPaths = err.message.replace(/(file:\/\/)?(\/[\w.-]+)+/g, "/path"); // load_failed names the file tried
    assert.doesNotMatch(withoutPaths, /[A-Za-z0-9+/]{40,}/, "no key material (base64) in messages");
    return true;
  });
}

test("load() starts one instance, reused, without leaking globals", async () => {
  assert.equal(await load(), fs);
  assert.equal(await load(new Uint8Array([1, 2, 3])), fs, "source is ignored once loaded");
  for (const name of ["Go", "fs", "path", "__frontsignReady"]) assert.ok(!(name in globalThis), `globalThis.${name} leaked`);
  assert.equal(rsaWeb.crypto, "webcrypto");
  assert.equal(rsaGo.crypto, "go");
  assert.deepEqual({ ...ecWeb }, { keyPairId: KEY_ID, keyType: "ECDSA", crypto: "webcrypto" });
  assert.ok(Object.isFrozen(rsaWeb));
});

test("load() from bytes, a Module or a URL in a fresh module instance; load_failed otherwise", async () => {
  const bytes = readFileSync(join(DIST, "frontsign.wasm"));
  const wasmModule = await WebAssembly.compile(bytes);
  for (const [i, source] of [bytes, wasmModule, new URL("./frontsign.wasm", MODULE_URL)].entries()) {
    const fresh = await import(`${MODULE_URL}?source=${i}`);
    const inst = await fresh.load(source);
    assert.equal(inst.inspect(`${HOST}/a?Expires=1800000000&Signature=AA__&Key-Pair-Id=${KEY_ID}`).keyPairId, KEY_ID);
  }
  const broken = await import(`${MODULE_URL}?source=broken`);
  await rejectsWith("load_failed", () => broken.load(new Uint8Array([0, 97, 115, 109, 9, 9])));
  const missing = new URL("./missing.wasm", MODULE_URL);
  await rejectsWith("load_failed", () => broken.load(missing));
  const err = await broken.load(missing).catch((e) => e);
  assert.ok(err.message.includes(missing.href), `the message names the URL tried: ${err.message}`);
  assert.match(err.message, /load\(/, "and how to pass another");
  await rejectsWith("bad_argument", () => broken.load(42));
  // A page whose bundler left a file: URL (it did not copy the .wasm) is never read from disk.
  globalThis.location = { href: "http://127.0.0.1:8000/app/" };
  const inPage = await import(`${MODULE_URL}?source=page`).finally(() => delete globalThis.location);
  const pageErr = await inPage.load(new URL("./frontsign.wasm", MODULE_URL)).catch((e) => e);
  assert.equal(pageErr.code, "load_failed");
  assert.match(pageErr.message, /a page \(http:\/\/127\.0\.0\.1:8000\/app\/\): the bundler did not copy the \.wasm; copy node_modules\/frontsign\/frontsign\.wasm/);
  assert.ok(await broken.load(bytes), "a failed load can be retried");
});

// The same inputs through the native CLI and the module must give the same
// bytes (RSA PKCS#1 v1.5 signatures are deterministic), with WebCrypto and Go crypto.
const cases = [
  { name: "canned, URL made canonical", url: `${HOST}/videos/intro 1.mp4?b=2&a=1`, expires: "2026-12-01T00:00:00Z" },
  { name: "non-ASCII, dot segments, upper-case host", url: "https://D111111ABCDEF8.cloudfront.net/caf\u00e9/x/../b.mp4", expires: "1798761600" },
  // The module converts hosts with the JS host's URL parser, the CLI with x/net/idna.
  { name: "international host names, full-width and Punycode", url: "https://BÜCHER.ｅｘａｍｐｌｅ/a.mp4?x=\u00e9", expires: "1798761600" },
  { name: "Punycode host", url: "https://xn--mnchen-3ya.de/v/1.ts", expires: "1798761600", resource: "https://münchen.de/v/*" },
  { name: "duration from --now", url: `${HOST}/a.m3u8`, expires: "15m" },
  { name: "custom: start and IP", url: `${HOST}/a.mp4`, expires: "2026-12-01T00:00:00Z", notBefore: "2026-11-25T00:00:00Z", ipAddress: "192.0.2.0/24" },
  { name: "wildcard resource", url: `${HOST}/videos/42/seg1.ts`, expires: "24h", resource: `${HOST}/videos/42/*` },
  { name: "SHA-256", url: `${HOST}/b.mp4`, expires: "7d", hashAlgorithm: "SHA256" },
];

let cli;
before(() => { cli = nativeCLI(tempDir("frontsign-cli-")); });

function cliArgs(c, keyFile) {
  const args = ["--key-pair-id", KEY_ID, "--private-key", keyFile, "--date-less-than", c.expires, "--now", NOW, "--json"];
  if (c.notBefore) args.push("--date-greater-than", c.notBefore);
  if (c.ipAddress) args.push("--ip-address", c.ipAddress);
  if (c.hashAlgorithm) args.push("--hash-algorithm", c.hashAlgorithm);
  return args;
}

/** The module's time input for a CLI time string: Unix seconds as a number, a Date for RFC 3339. */
const jsTime = (s) => (/^\d+$/.test(s) ? Number(s) : /^\d{4}-/.test(s) ? new Date(s) : s);

for (const c of cases) {
  test(`RSA URL byte-identical to the CLI: ${c.name}`, async () => {
    const want = cli(["sign", "--url", c.url, ...(c.resource ? ["--policy-resource", c.resource] : []), ...cliArgs(c, "-")], RSA_PEM);
    for (const key of [rsaWeb, rsaGo]) {
      const got = await on(key).signUrl({
        url: c.url, key, now: NOW, expires: jsTime(c.expires), notBefore: c.notBefore && jsTime(c.notBefore),
        ipAddress: c.ipAddress, resource: c.resource, hashAlgorithm: c.hashAlgorithm,
      });
      assert.equal(got.signedUrl, want.signedUrl, `${key.crypto}: signedUrl`);
      assert.equal(got.policy, want.policy);
      assert.equal(got.expires, want.expires);
      assert.equal(got.keyPairId, KEY_ID);
      assert.equal(got.canned, want.canned);
      assert.equal(got.hashAlgorithm, want.hashAlgorithm);
    }
  });
}

test("RSA signed cookies are byte-identical to the native CLI", async () => {
  const resource = `${HOST}/videos/*`;
  const want = cli(["cookies", "--resource", resource, "--domain", "d111111abcdef8.cloudfront.net", "--path", "/videos",
    "--same-site", "lax", "--cookie-expires", "1h", ...cliArgs({ expires: "1h", hashAlgorithm: "SHA256" }, "-")], RSA_PEM);
  for (const key of [rsaWeb, rsaGo]) {
    const got = await on(key).signCookies({ key, resource, now: NOW, expires: "1h", hashAlgorithm: "SHA256",
      domain: "d111111abcdef8.cloudfront.net", path: "/videos", sameSite: "Lax", cookieExpires: "1h" });
    assert.deepEqual(got.headers, want.headers, key.crypto);
    assert.deepEqual(got.cookies, want.cookies, key.crypto);
    assert.equal(got.policy, want.policy);
  }
});

test("signCookies takes url as the worker's /v1/cookies and the AWS SDK do: alone it is the resource", async () => {
  const terms = { key: rsaWeb, now: NOW, expires: "1h" };
  const byResource = await fs.signCookies({ ...terms, resource: `${HOST}/videos/intro%201.mp4` });
  const byUrl = await fs.signCookies({ ...terms, url: new URL(`${HOST}/videos/intro 1.mp4`) });
  assert.deepEqual(byUrl, byResource, "a URL is canonicalised, then signed as the resource");
  assert.equal(byUrl.canned, true);
  const both = await fs.signCookies({ ...terms, url: `${HOST}/videos/a.mp4`, resource: `${HOST}/videos/*` });
  assert.equal(JSON.parse(both.policy).Statement[0].Resource, `${HOST}/videos/*`, "beside a resource, the resource is signed");
  await rejectsWith("resource_mismatch", () => fs.signCookies({ ...terms, url: `${HOST}/audio/a.mp3`, resource: `${HOST}/videos/*` }));
  await rejectsWith("bad_url", () => fs.signCookies({ ...terms, url: "ftp://example.com/a" }));
});

test("signUrls signs a batch like signUrl, in order, and names the failing index", async () => {
  const urls = Array.from({ length: 20 }, (_, i) => `${HOST}/seg${i}.ts`);
  const batch = await fs.signUrls({ urls, key: rsaWeb, expires: "2026-12-01T00:00:00Z", now: NOW });
  assert.equal(batch.length, urls.length);
  for (const [i, url] of urls.entries()) {
    const one = await goFs.signUrl({ url, key: rsaGo, expires: "2026-12-01T00:00:00Z", now: NOW });
    assert.equal(batch[i].signedUrl, one.signedUrl);
  }
  await assert.rejects(fs.signUrls({ urls: [urls[0], "ftp://x/y"], key: rsaWeb, expires: "1h" }),
    (err) => err.code === "bad_url" && err.index === 1 && err.message.startsWith("urls[1]: "));
  assert.deepEqual(await fs.signUrls({ urls: [], key: rsaWeb, expires: "1h" }), []);
});

/** Verifies an ECDSA signed URL with Node's WebCrypto (globalThis.crypto, not node:crypto). */
async function webCryptoVerifies(signed, publicPem) {
  const pub = await crypto.subtle.importKey("spki", pemBody(publicPem), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const der = decodeCloudFrontBase64(queryParams(signed.signedUrl).Signature);
  const hash = signed.hashAlgorithm === "SHA256" ? "SHA-256" : "SHA-1";
  return crypto.subtle.verify({ name: "ECDSA", hash }, pub, derToP1363(der), new TextEncoder().encode(signed.policy));
}

test("ECDSA signatures (DER) verify with fs.verify and with WebCrypto after DER→P1363", async () => {
  const publicPem = testdata("sep-ecdsa-p256.pub.pem");
  for (const key of [ecWeb, ecGo]) {
    for (const hashAlgorithm of ["SHA256", "SHA1"]) {
      for (const extra of [{}, { ipAddress: "192.0.2.7", notBefore: "2026-11-25T00:00:00Z" }]) {
        const signed = await on(key).signUrl({ url: `${HOST}/e c.mp4`, key, now: NOW, expires: 1798761600, hashAlgorithm, ...extra });
        const sig = decodeCloudFrontBase64(queryParams(signed.signedUrl).Signature);
        assert.equal(sig[0], 0x30, "DER SEQUENCE, not raw r‖s");
        assert.ok(sig.length >= 68 && sig.length <= 72);
        assert.equal(await webCryptoVerifies(signed, publicPem), true, `${key.crypto} ${hashAlgorithm}`);
        for (const inst of [fs, goFs]) { // WebCrypto's verify and Go's
          const d = await inst.verify({ url: signed.signedUrl, publicKeys: { [KEY_ID]: publicPem }, at: "2026-11-26T12:00:00Z", ip: "192.0.2.7" });
          assert.equal(d.allowed, true, d.detail);
          assert.equal(d.inspection.signatureKind.startsWith("ECDSA P-256"), true);
        }
      }
    }
  }
  const def = await fs.signUrl({ url: `${HOST}/d.mp4`, key: ecWeb, expires: "1h" });
  assert.equal(def.hashAlgorithm, "SHA256", "ECDSA defaults to SHA-256");
  assert.match(def.signedUrl, /&Hash-Algorithm=SHA256$/);
});

test("verify gives CloudFront's decision and reason", async () => {
  const publicKeys = { [KEY_ID]: RSA_PEM }; // a private key PEM stands for its public half
  const at = "2026-11-26T12:00:00Z";
  const custom = await fs.signUrl({ url: `${HOST}/v.mp4`, key: rsaWeb, now: NOW, expires: "2026-12-01T00:00:00Z",
    notBefore: "2026-11-26T06:00:00Z", ipAddress: "192.0.2.0/24" });
  const verdict = (opts) => fs.verify({ url: custom.signedUrl, publicKeys, at, ip: "192.0.2.9", ...opts });
  assert.deepEqual((await verdict({})).reason, "");
  assert.equal((await verdict({})).allowed, true);
  assert.equal((await verdict({ at: "2026-12-02T00:00:00Z" })).reason, "expired");
  assert.equal((await verdict({ at: new Date("2026-11-26T01:00:00Z") })).reason, "not_yet_valid");
  assert.equal((await verdict({ ip: "198.51.100.1" })).reason, "ip_mismatch");
  assert.equal((await verdict({ publicKeys: { KOTHER: RSA_PEM } })).reason, "unknown_key");
  const noIP = await verdict({ ip: undefined });
  assert.equal(noIP.allowed, true);
  assert.equal(noIP.notes.length, 1, "an unchecked IP condition is noted");
  assert.equal((await verdict({ url: custom.signedUrl.replace("v.mp4", "w.mp4") })).reason, "resource_mismatch");
  const canned = await fs.signUrl({ url: `${HOST}/c.mp4`, key: rsaWeb, now: NOW, expires: "2026-12-01T00:00:00Z" });
  assert.equal((await fs.verify({ url: canned.signedUrl.replace("c.mp4", "C.mp4"), publicKeys, at })).reason, "bad_signature");
  assert.equal((await fs.verify({ url: `${canned.signedUrl}&Hash-Algorithm=SHA256`, publicKeys, at })).reason, "hash_mismatch");
  assert.equal((await fs.verify({ url: `${HOST}/c.mp4`, publicKeys, at })).reason, "missing_parameter");
  const bad = await fs.verify({ url: "not a url", publicKeys, at });
  assert.deepEqual([bad.allowed, bad.reason, bad.inspection], [false, "malformed_url", null]);
});

test("signed cookies verify, given as a Cookie header, an object or an array", async () => {
  const resource = `${HOST}/videos/*`;
  const signed = await fs.signCookies({ key: ecWeb, resource, expires: "1h" });
  assert.deepEqual(signed.cookies.map((c) => c.name),
    ["CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id", "CloudFront-Hash-Algorithm"]);
  assert.ok(signed.headers.every((h) => h.includes("; Path=/; HttpOnly; Secure")), signed.headers[0]);
  const publicKeys = { [KEY_ID]: testdata("sep-ecdsa-p256.pub.pem") };
  const header = signed.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const object = Object.fromEntries(signed.cookies.map((c) => [c.name, c.value]));
  for (const cookies of [header, object, signed.cookies.map(({ name, value }) => ({ name, value }))]) {
    const d = await fs.verify({ url: `${HOST}/videos/1/a.ts`, cookies, publicKeys });
    assert.equal(d.allowed, true, d.detail);
    assert.equal(d.inspection.source, "cookies");
  }
  assert.equal((await fs.verify({ url: `${HOST}/other/a.ts`, cookies: header, publicKeys })).reason, "resource_mismatch");
  const insecure = await fs.signCookies({ key: rsaWeb, resource, expires: "1h", secure: false, httpOnly: false, sameSite: "strict" });
  assert.equal(insecure.headers[0].includes("Secure") || insecure.headers[0].includes("HttpOnly"), false);
  assert.equal(insecure.cookies[0].sameSite, "Strict");
});

test("inspect decodes without keys and names the unreadable part's reason as code", async () => {
  const signed = await fs.signUrl({ url: `${HOST}/i.mp4`, key: rsaWeb, expires: "1h", ipAddress: "192.0.2.1" });
  const ins = fs.inspect(signed.signedUrl);
  assert.equal(ins.url, `${HOST}/i.mp4`);
  assert.equal(ins.canned, false);
  assert.equal(ins.policy.ipAddress, "192.0.2.1/32");
  assert.equal(ins.policyJson, signed.policy);
  assert.match(ins.summary, /custom policy/);
  assert.equal(fs.inspect(new URL(signed.signedUrl)).keyPairId, KEY_ID);
  const insCookies = fs.inspect(`${HOST}/x`, `CloudFront-Expires=1800000000; CloudFront-Signature=AAAA; CloudFront-Key-Pair-Id=${KEY_ID}`);
  assert.equal(insCookies.source, "cookies");
  const codeOf = (fn) => { try { fn(); } catch (e) { assert.ok(e instanceof FrontsignError); return e.code; } return "no error"; };
  assert.equal(fs.inspect(`${HOST}/x`).problem.code, "missing_parameter");
  assert.equal(codeOf(() => fs.inspect("x")), "malformed_url");
  assert.equal(fs.inspect(`${HOST}/x?Policy=e30_&Signature=AA__&Key-Pair-Id=K`).problem.code, "malformed_policy");
  assert.equal(fs.inspect(`${HOST}/x?Expires=1&Signature=AA__&Key-Pair-Id=K&Hash-Algorithm=MD5`).problem.code, "hash_mismatch");
  assert.equal(ins.problem, null);
  // A canned URL signed right but with plain base64 (+ / =): the rest is still decoded.
  const plain = signed.signedUrl.replace(/Signature=([^&]*)/, (_, v) => `Signature=${v.replaceAll("-", "+").replaceAll("_", "=").replaceAll("~", "/")}`);
  const insPlain = fs.inspect(plain);
  assert.deepEqual([insPlain.problem.code, insPlain.problem.part, insPlain.keyPairId, insPlain.policy.ipAddress], ["bad_signature", "signature", KEY_ID, "192.0.2.1/32"]);
  assert.match(insPlain.summary, /^algorithm: {3}unreadable: Signature is not CloudFront base64/m);
  assert.equal(codeOf(() => fs.inspect(42)), "bad_argument");
  assert.equal(codeOf(() => fs.inspect(`${HOST}/x`, 42)), "bad_argument");
});

test("generateKeyPair makes keys that import, sign and verify", async () => {
  for (const type of ["ecdsa", "rsa"]) {
    const pair = await fs.generateKeyPair(type);
    assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const key = await fs.importPrivateKey(pair.privateKeyPem, { keyPairId: "KGENERATED" });
    assert.equal(key.keyType, type.toUpperCase());
    const signed = await fs.signUrl({ url: `${HOST}/g.mp4`, key, expires: "5m" });
    const d = await fs.verify({ url: signed.signedUrl, publicKeys: { KGENERATED: pair.publicKeyPem } });
    assert.equal(d.allowed, true, d.detail);
    key.free();
  }
  await rejectsWith("bad_key", () => fs.generateKeyPair("dsa"));
  await rejectsWith("bad_argument", () => fs.generateKeyPair(2048));
});

test("every error path gives its code", async () => {
  const sign = (opts) => fs.signUrl({ url: `${HOST}/a.mp4`, key: rsaWeb, expires: "1h", ...opts });
  const p384 = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign"]);
  const p384Pem = toPEM("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", p384.privateKey));
  const errors = {
    bad_url: () => sign({ url: "ftp://example.com/a" }),
    reserved_param: () => sign({ url: `${HOST}/a.mp4?Signature=x` }),
    url_too_long: () => sign({ url: `${HOST}/${"a".repeat(9000)}` }),
    bad_resource: () => sign({ resource: `${HOST}/"a*` }),
    resource_mismatch: () => sign({ resource: `${HOST}/other/*` }),
    bad_time: () => sign({ expires: Date.now() }), // milliseconds
    "bad_time ": () => sign({ expires: new Date("2020-01-01T00:00:00Z") }), // in the past
    "bad_time  ": () => sign({ expires: new Date("nonsense") }),
    "bad_time   ": () => sign({ expires: undefined }),
    "bad_time    ": () => sign({ notBefore: "2h" }), // start after expiry
    "bad_time     ": () => sign({ expires: 1.5e9 + 0.5 }),
    bad_ip: () => sign({ ipAddress: "2001:db8::1" }),
    "bad_ip ": () => fs.verify({ url: `${HOST}/a`, publicKeys: { K: EC_PEM }, ip: "nope" }),
    bad_hash: () => sign({ hashAlgorithm: "MD5" }),
    bad_key: () => fs.importPrivateKey("not a key", { keyPairId: KEY_ID }),
    "bad_key ": () => fs.importPrivateKey(testdata("sep-dsa.pem"), { keyPairId: KEY_ID }),
    "bad_key  ": () => fs.verify({ url: `${HOST}/a`, publicKeys: { K: "junk" } }),
    encrypted_key: () => fs.importPrivateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBAA==\n-----END ENCRYPTED PRIVATE KEY-----\n", { keyPairId: KEY_ID }),
    public_key_given: () => fs.importPrivateKey(testdata("sep-ecdsa-p256.pub.pem"), { keyPairId: KEY_ID }),
    unsupported_curve: () => fs.importPrivateKey(p384Pem, { keyPairId: KEY_ID }),
    rsa_key_size: () => fs.importPrivateKey(testdata("sep-rsa-1024.pem"), { keyPairId: KEY_ID }),
    bad_key_pair_id: () => fs.importPrivateKey(RSA_PEM, { keyPairId: "AKIAIOSFODNN7EXAMPLE" }),
    "bad_key_pair_id ": () => fs.importPrivateKey(RSA_PEM, {}),
    bad_cookie: () => fs.signCookies({ key: rsaWeb, resource: `${HOST}/*`, expires: "1h", domain: "cloudfront.net" }),
    "bad_cookie ": () => fs.signCookies({ key: rsaWeb, resource: `${HOST}/*`, expires: "1h", sameSite: "sometimes" }),
    "bad_resource ": () => fs.signCookies({ key: rsaWeb, expires: "1h" }),
    bad_argument: () => sign({ expiresAt: 5 }), // unknown option (typo)
    "bad_argument ": () => sign({ url: 42 }),
    "bad_argument  ": () => sign({ key: { keyPairId: KEY_ID } }),
    "bad_argument   ": () => fs.signUrl("https://example.com/a"),
    "bad_argument    ": () => fs.signUrls({ url: `${HOST}/a`, key: rsaWeb, expires: "1h" }),
    "bad_argument     ": () => fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID, crypto: "fast" }),
    "bad_argument      ": () => fs.importPrivateKey(undefined, { keyPairId: KEY_ID }),
    "bad_argument       ": () => fs.verify({ url: `${HOST}/a`, publicKeys: {} }),
    "bad_argument        ": () => fs.verify({ url: `${HOST}/a`, publicKeys: { K: EC_PEM }, cookies: 5 }),
    "bad_argument         ": () => sign({ expires: { at: 5 } }),
    "bad_argument          ": () => sign({ ipAddress: ["192.0.2.1"] }),
  };
  for (const [code, run] of Object.entries(errors)) {
    await test(code.trim() + " (" + run.toString().slice(6, 70) + ")", () => rejectsWith(code.trim(), run));
  }
  const ms = await sign({ expires: 1795716886706 }).catch((e) => e);
  assert.match(ms.message, /looks like milliseconds.*1795716886/);
});

test("frontsign.wasm (WebCrypto only) and frontsign-gocrypto.wasm refuse the same keys with the same code and message", async () => {
  const p384 = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign"]);
  const rsa1024 = testdata("sep-rsa-1024.pem");
  const keys = {
    "empty": "",
    "not PEM": "hello",
    "damaged PEM": "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n",
    "encrypted": "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBAA==\n-----END ENCRYPTED PRIVATE KEY-----\n",
    "public key": testdata("sep-ecdsa-p256.pub.pem"),
    "P-384": toPEM("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", p384.privateKey)),
    "RSA-1024": rsa1024,
    "truncated PKCS#8": toPEM("PRIVATE KEY", pemBody(RSA_PEM).slice(0, 300)),
  };
  for (const [name, pem] of Object.entries(keys)) {
    const lean = await fs.importPrivateKey(pem, { keyPairId: KEY_ID }).then(() => "accepted", (e) => `${e.code}: ${e.message}`);
    const go = await goFs.importPrivateKey(pem, { keyPairId: KEY_ID }).then(() => "accepted", (e) => `${e.code}: ${e.message}`);
    assert.equal(lean, go, name);
    assert.notEqual(lean, "accepted", name);
  }
  const legacy = { keyPairId: KEY_ID, allowLegacyRsaSize: true };
  assert.equal((await fs.importPrivateKey(rsa1024, legacy)).keyType, "RSA");
  await rejectsWith("bad_argument", () => fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID, crypto: "go" }));
  const err = await fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID, crypto: "go" }).catch((e) => e);
  assert.match(err.message, /frontsign-gocrypto\.wasm/, "the message names the build that has Go crypto");
});

test("a freed key handle is refused", async () => {
  const key = await fs.importPrivateKey(EC_PEM, { keyPairId: KEY_ID });
  await fs.signUrl({ url: `${HOST}/f`, key, expires: "1m" });
  key.free();
  key.free(); // idempotent
  await rejectsWith("bad_argument", () => fs.signUrl({ url: `${HOST}/f`, key, expires: "1m" }));
});

test("without crypto.subtle (e.g. a browser on plain http) it signs with Go crypto", () => {
  const script = `
    const c = globalThis.crypto;
    Object.defineProperty(globalThis, "crypto", { value: { getRandomValues: (a) => c.getRandomValues(a) }, configurable: true });
    const { load } = await import(${JSON.stringify(MODULE_URL.href)});
    const fs = await load();
    const pem = process.env.TEST_PEM;
    const key = await fs.importPrivateKey(pem, { keyPairId: "K2JCJMDEHXQW5F" });
    const signed = await fs.signUrl({ url: "https://d111111abcdef8.cloudfront.net/a.mp4", key, now: "2026-11-26T00:00:00Z", expires: "1h" });
    const err = await fs.importPrivateKey(pem, { keyPairId: "K2JCJMDEHXQW5F", crypto: "webcrypto" }).catch((e) => e.code);
    console.log(JSON.stringify({ crypto: key.crypto, signedUrl: signed.signedUrl, err }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script],
    { env: { ...process.env, TEST_PEM: RSA_PEM }, encoding: "utf8" }));
  assert.equal(out.crypto, "go");
  assert.equal(out.err, "webcrypto_unavailable");
  const want = cli(["sign", "--url", `${HOST}/a.mp4`, ...cliArgs({ expires: "1h" }, "-")], RSA_PEM);
  assert.equal(out.signedUrl, want.signedUrl);
});

test("the module never imports node:crypto", () => {
  for (const f of readdirSync(DIST).filter((f) => f.endsWith(".mjs"))) {
    const src = readFileSync(join(DIST, f), "utf8");
    assert.doesNotMatch(src, /["'](node:)?crypto["']/, `${f} names the crypto module`);
    assert.doesNotMatch(src, /\brequire\s*\(/, `${f} uses require`);
  }
  // And at run time: a resolve hook fails any import of node:crypto while
  // the module loads, signs with both cryptos, verifies and generates keys.
  const dir = tempDir("frontsign-nocrypto-");
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(hooks, `export async function resolve(spec, ctx, next) {
    if (spec === "node:crypto" || spec === "crypto") throw new Error("node:crypto was imported");
    return next(spec, ctx);
  }`);
  const script = `
    import { register } from "node:module";
    register(${JSON.stringify(new URL(`file://${hooks}`).href)});
    const fs = await (await import(${JSON.stringify(MODULE_URL.href)})).load();
    const goFs = await (await import(${JSON.stringify(MODULE_URL.href + "?gocrypto")})).load(new URL("./frontsign-gocrypto.wasm", ${JSON.stringify(MODULE_URL.href)}));
    for (const [inst, crypto] of [[fs, "webcrypto"], [goFs, "webcrypto"], [goFs, "go"]]) {
      const pair = await inst.generateKeyPair("ecdsa");
      const key = await inst.importPrivateKey(pair.privateKeyPem, { keyPairId: "KTEST", crypto });
      const s = await inst.signUrl({ url: "https://d111111abcdef8.cloudfront.net/a", key, expires: "1h" });
      const d = await inst.verify({ url: s.signedUrl, publicKeys: { KTEST: pair.publicKeyPem } });
      if (!d.allowed) throw new Error(d.detail);
    }
    console.log("ok");`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(out.trim(), "ok");
  assert.equal(typeof FrontsignError, "function");
});

test("the package resolves by name through package.json exports; its files exist; the types parse", () => {
  const dir = tempDir("frontsign-consumer-");
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(DIST, join(dir, "node_modules", "frontsign"), "dir");
  const pkg = JSON.parse(readFileSync(join(DIST, "package.json"), "utf8"));
  assert.equal(pkg.name, "frontsign");
  assert.equal(pkg.type, "module");
  assert.equal(pkg.types, "./frontsign.d.ts");
  for (const f of pkg.files) assert.ok(readFileSync(join(DIST, f)).length > 0, `${f} is in dist/npm and not empty`);
  const out = execFileSync(process.execPath, ["--input-type=module", "-e",
    `import { load } from "frontsign"; const fs = await load(); console.log(typeof fs.signUrl);`], { cwd: dir, encoding: "utf8" });
  assert.equal(out.trim(), "function");
  // require(esm): Node >= 20.19 and >= 22.12, which is what engines admits.
  assert.equal(pkg.engines.node, "^20.19.0 || >=22.12.0");
  const required = execFileSync(process.execPath, ["--no-warnings", "-e",
    `require("frontsign").load().then((fs) => console.log(typeof fs.signUrl))`], { cwd: dir, encoding: "utf8" });
  assert.equal(required.trim(), "function");
  // No TypeScript compiler is installed; esbuild at least parses the declarations.
  execFileSync(join(ROOT, "node_modules", ".bin", "esbuild"), [join(DIST, "frontsign.d.ts"), "--log-level=warning"], { stdio: ["ignore", "ignore", "inherit"] });
});
