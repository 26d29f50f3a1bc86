// The worker in real workerd (wrangler dev): every endpoint, every minted URL
// and cookie set checked by the core verifier against /v1/keys, the shared
// bad-token and scope-escape tables (worker/testdata), key and secret
// rotation, and a bad configuration. Needs ./build.sh build (dist/worker)
// and the CLI (dist/frontsign-cli); scripts/worker.sh provides both.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, DEMO, startWorker, mintHS256, keygen, tempDir, Verifier, call, now } from "./helpers.mjs";

const BAD_TOKENS = JSON.parse(readFileSync(join(ROOT, "worker", "testdata", "bad_tokens.json"), "utf8"));
const ESCAPES = JSON.parse(readFileSync(join(ROOT, "worker", "testdata", "scope_escapes.json"), "utf8"));
const ENV = BAD_TOKENS.env; // HS256 secret, inline JWKS (RS256/ES256/EdDSA), iss, aud, ALLOWED_RESOURCES
assert.equal(ENV.ALLOWED_RESOURCES, ESCAPES.allowedResources, "the two tables share one configuration");

const RSA_ID = "K2TESTRSAKEY01";
const EC_ID = "K2TESTECKEY001";
const OLD_ID = "K2TESTRSAOLD01";
const ORIGIN = "https://app.example.com";
const NEW_SECRET = "rotation-new-secret-0123456789abcdefghij";
const OLD_SECRET = "rotation-old-secret-0123456789abcdefghij";

// A token the RSA worker accepts, with the given frontsign scope.
const token = (scope, extra = {}) => mintHS256(ENV.TOKEN_SECRET, {
  sub: "integration", iss: ENV.TOKEN_ISSUER, aud: ENV.TOKEN_AUDIENCE, iat: now(), exp: now() + 3600, frontsign: scope, ...extra,
});

let rsa, ec, broken; // the running workers
let rsaVerifier, ecVerifier;
const secrets = []; // values no response may ever contain

before(async () => {
  const keys = tempDir("frontsign-test-keys-");
  const [rsaPem, ecPem, oldPem] = [keygen("rsa", keys), keygen("ecdsa", keys), keygen("rsa", keys)];
  secrets.push(rsaPem, ecPem, oldPem, ENV.TOKEN_SECRET, NEW_SECRET, OLD_SECRET);
  [rsa, ec, broken] = await Promise.all([
    startWorker({ ...ENV, CLOUDFRONT_PRIVATE_KEY: rsaPem, CLOUDFRONT_KEY_PAIR_ID: RSA_ID, CORS_ORIGINS: ORIGIN,
      COOKIE_DOMAIN: ".example.com", DEFAULT_TTL: "5m", MAX_TTL: "1h" }),
    // Rotation: two keys (the first signs), two HS256 secrets (both accepted).
    startWorker({ CLOUDFRONT_PRIVATE_KEY: ecPem + oldPem, CLOUDFRONT_KEY_PAIR_ID: `${EC_ID},${OLD_ID}`,
      TOKEN_SECRET: `${NEW_SECRET},${OLD_SECRET}`, ALLOWED_RESOURCES: `${DEMO}/*`, HASH_ALGORITHM: "SHA1" }),
    // ALLOWED_RESOURCES missing: every request must answer 500 naming it.
    startWorker({ CLOUDFRONT_PRIVATE_KEY: rsaPem, CLOUDFRONT_KEY_PAIR_ID: RSA_ID, TOKEN_SECRET: ENV.TOKEN_SECRET }),
  ]);
  [rsaVerifier, ecVerifier] = await Promise.all([Verifier.fromWorker(rsa.base), Verifier.fromWorker(ec.base)]);
});
after(() => { for (const w of [rsa, ec, broken]) w?.stop(); });

// noSecrets asserts a response carries no key or secret.
function noSecrets(res) {
  const all = res.text + JSON.stringify([...res.headers]);
  for (const s of secrets) {
    assert.ok(!all.includes(s.trim().split("\n")[1] ?? s), "a response contains key material");
    assert.ok(!all.includes(s), "a response contains a secret");
  }
}

function assertProblem(res, status, code) {
  assert.equal(res.status, status, `${res.text}`);
  assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/);
  assert.equal(res.json?.code, code, res.text);
  assert.equal(res.json.status, status);
  assert.ok(res.json.type && res.json.title && res.json.detail, "an RFC 9457 problem");
  assert.ok(!/Signature=|CloudFront-Signature/.test(res.text), "nothing signed on an error");
  noSecrets(res);
}

function assertAllowed(decision, what) {
  assert.equal(decision.allowed, true, `${what}: ${decision.reason}: ${decision.detail}`);
}

describe("health and keys", () => {
  test("GET /v1/health", async () => {
    const res = await call(rsa.base, "/v1/health", { method: "GET" });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, "ok");
    // The Go instance's memory: tens of MB of wasm memory, not 0 and not the isolate's limit.
    assert.ok(res.json.memoryBytes > 1 << 20 && res.json.memoryBytes < 128 << 20, `memoryBytes ${res.json.memoryBytes}`);
  });

  test("GET /v1/keys publishes every key as PEM and JWK, the active one first", async () => {
    const res = await call(ec.base, "/v1/keys", { method: "GET" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.keys.map((k) => [k.kid, k.kty, k.active]), [[EC_ID, "EC", true], [OLD_ID, "RSA", false]]);
    for (const k of res.json.keys) assert.match(k.pem, /^-----BEGIN PUBLIC KEY-----\n/);
    noSecrets(res);
  });
});

describe("POST /v1/sign", () => {
  const scope = { resources: ["https://media.example.com/videos/42/*"], maxTtl: 600, cookies: true };

  test("one URL (RSA, canned policy) verifies against /v1/keys", async () => {
    const url = "https://media.example.com/videos/42/seg 1.ts?quality=720";
    const res = await call(rsa.base, "/v1/sign", { token: token(scope), body: { url, expiresIn: "10m" } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.keyPairId, RSA_ID);
    assert.ok(Math.abs(res.json.expires - (now() + 600)) < 120, "expires ≈ now + 10m");
    const d = rsaVerifier.verify(res.json.signedUrl);
    assertAllowed(d, "RSA URL");
    assert.equal(d.inspection.canned, true);
    assert.equal(d.inspection.url, "https://media.example.com/videos/42/seg%201.ts?quality=720");
    noSecrets(res);
  });

  test("TTL is capped by the token's maxTtl", async () => {
    const res = await call(rsa.base, "/v1/sign", { token: token(scope), body: { url: "https://media.example.com/videos/42/a.ts", expiresIn: 3000 } });
    assert.ok(res.status === 422 || (res.status === 200 && res.json.expires <= now() + 600 + 5), res.text);
  });

  test("a batch of 100 URLs, each verified", async () => {
    const urls = Array.from({ length: 100 }, (_, i) => `https://media.example.com/videos/42/seg${i}.ts`);
    const res = await call(rsa.base, "/v1/sign", { token: token(scope), body: { urls } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.length, 100);
    // Verify a spread of them (each verify is a process); all must share the expiry.
    for (const i of [0, 1, 37, 99]) assertAllowed(rsaVerifier.verify(res.json[i].signedUrl), `batch #${i}`);
    assert.equal(new Set(res.json.map((r) => r.expires)).size, 1);
  });

  test("custom policy: wildcard resource, notBefore and ip=client", async () => {
    const res = await call(rsa.base, "/v1/sign", {
      token: token(scope), headers: { "CF-Connecting-IP": "192.0.2.7" },
      body: { url: "https://media.example.com/videos/42/seg1.ts", resource: "https://media.example.com/videos/42/seg*", ip: "client", notBefore: now() - 60 },
    });
    assert.equal(res.status, 200, res.text);
    const signed = res.json.signedUrl;
    assert.match(signed, /[?&]Policy=/);
    const d = rsaVerifier.verify(signed, { ip: "192.0.2.7" });
    assertAllowed(d, "custom policy");
    // The policy's IpAddress condition is whatever address workerd reported
    // for the caller: a different viewer is refused.
    assert.equal(rsaVerifier.verify(signed, { ip: "198.51.100.1" }).allowed, false);
  });

  test("ECDSA key with SHA-1 (WebCrypto P1363 → DER), and SHA256 on request", async () => {
    const t = mintHS256(NEW_SECRET, { sub: "ec", exp: now() + 600, frontsign: { resources: [`${DEMO}/*`] } });
    for (const hashAlgorithm of [undefined, "SHA256"]) {
      const res = await call(ec.base, "/v1/sign", { token: t, body: { url: `${DEMO}/img/café.png`, hashAlgorithm } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.keyPairId, EC_ID);
      assert.equal(/Hash-Algorithm=SHA256/.test(res.json.signedUrl), hashAlgorithm === "SHA256");
      const d = ecVerifier.verify(res.json.signedUrl);
      assertAllowed(d, `ECDSA ${hashAlgorithm ?? "SHA1"}`);
      assert.match(d.inspection.algorithm, /ECDSA P-256/);
    }
  });

  test("secret rotation: a token signed with the older TOKEN_SECRET is accepted", async () => {
    const t = mintHS256(OLD_SECRET, { sub: "old", exp: now() + 600, frontsign: { resources: [`${DEMO}/*`] } });
    const res = await call(ec.base, "/v1/sign", { token: t, body: { url: `${DEMO}/a.png` } });
    assert.equal(res.status, 200, res.text);
    assertAllowed(ecVerifier.verify(res.json.signedUrl), "rotated secret");
  });

  test("every mint is audited: one JSON line with the subject, never the token", async () => {
    const t = token(scope, { sub: "audit-subject-7" });
    const res = await call(rsa.base, "/v1/sign", { token: t, body: { url: "https://media.example.com/videos/42/audit.ts" } });
    assert.equal(res.status, 200, res.text);
    let line;
    for (let i = 0; i < 100 && !line; i++) { // the log reaches us through wrangler's stdout
      line = rsa.log().split("\n").find((l) => l.includes("audit-subject-7"));
      if (!line) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(line, `an audit line for the mint in:\n${rsa.log().slice(-3000)}`);
    const entry = JSON.parse(line.slice(line.indexOf("{")));
    assert.equal(entry.resource, "https://media.example.com/videos/42/audit.ts");
    assert.equal(entry.keyPairId, RSA_ID);
    assert.ok(!rsa.log().includes(t.split(".")[2]), "the token never reaches the log");
    assert.ok(!/Signature=/.test(line));
  });
});

describe("POST /v1/cookies and GET /v1/redirect", () => {
  const scope = { resources: ["https://media.example.com/videos/42/*"], maxTtl: 600, cookies: true };

  test("cookies: Set-Cookie headers and JSON, verified for a URL inside the resource", async () => {
    const res = await call(rsa.base, "/v1/cookies", { token: token(scope), body: { resource: "https://media.example.com/videos/42/*" } });
    assert.equal(res.status, 200, res.text);
    const setCookies = res.headers.getSetCookie();
    assert.deepEqual(setCookies.map((c) => c.split("=")[0]).sort(), ["CloudFront-Key-Pair-Id", "CloudFront-Policy", "CloudFront-Signature"]);
    for (const c of setCookies) assert.match(c, /Domain=example\.com|Domain=\.example\.com/i);
    assert.deepEqual(res.json.cookies.map((c) => c.name).sort(), setCookies.map((c) => c.split("=")[0]).sort());
    assertAllowed(rsaVerifier.verify("https://media.example.com/videos/42/x/seg9.ts", { setCookies }), "cookies");
    assert.equal(rsaVerifier.verify("https://media.example.com/videos/43/seg9.ts", { setCookies }).allowed, false);
  });

  test("cookies need the token's cookies flag", async () => {
    const res = await call(rsa.base, "/v1/cookies", { token: token({ ...scope, cookies: false }), body: { resource: "https://media.example.com/videos/42/*" } });
    assertProblem(res, 403, "cookies_not_allowed");
  });

  test("redirect: 302 to a signed URL, token from the header or ?access_token=", async () => {
    const url = "https://media.example.com/videos/42/poster.jpg";
    for (const viaQuery of [false, true]) {
      const q = new URLSearchParams({ url, ...(viaQuery ? { access_token: token(scope) } : {}) });
      const res = await call(rsa.base, `/v1/redirect?${q}`, { method: "GET", token: viaQuery ? undefined : token(scope) });
      assert.equal(res.status, 302, res.text);
      assert.equal(res.headers.get("cache-control"), "no-store");
      assertAllowed(rsaVerifier.verify(res.headers.get("location")), "redirect");
    }
  });
});

describe("HTTP errors", () => {
  const t = () => token({ resources: ["https://media.example.com/videos/42/*"] });
  const body = { url: "https://media.example.com/videos/42/a.ts" };

  test("401 without a token, with WWW-Authenticate", async () => {
    const res = await call(rsa.base, "/v1/sign", { body });
    assertProblem(res, 401, "token_missing");
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
  });
  test("400 malformed JSON", async () => {
    assertProblem(await call(rsa.base, "/v1/sign", { token: t(), raw: "{\"url\": ", headers: { "Content-Type": "application/json" } }), 400, "bad_json");
  });
  test("405 wrong method, with Allow", async () => {
    const res = await call(rsa.base, "/v1/sign", { method: "GET", token: t() });
    assertProblem(res, 405, "method_not_allowed");
    assert.match(res.headers.get("allow"), /POST/);
  });
  test("413 body over the limit", async () => {
    // Over the API's limit; over Go's inbox, so it takes the syscall/js
    // path (worker/wasm/direct.go); and over what entry.mjs reads at all.
    for (const size of [70_000, 400_000, 2_000_000]) {
      assertProblem(await call(rsa.base, "/v1/sign", { token: t(), raw: JSON.stringify({ url: "x".repeat(size) }), headers: { "Content-Type": "application/json" } }), 413, "body_too_large");
    }
  });
  test("415 not JSON", async () => {
    assertProblem(await call(rsa.base, "/v1/sign", { token: t(), raw: "url=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } }), 415, "unsupported_media_type");
  });
  test("422 invalid values", async () => {
    const soon = await call(rsa.base, "/v1/sign", { token: t(), body: { ...body, expiresIn: "soon" } });
    assertProblem(soon, 422, soon.json?.code); // the core's code for a bad time
    assert.match(soon.json.detail, /expiresIn|time|duration/i);
    const res = await call(rsa.base, "/v1/sign", { token: t(), body: { urls: Array(101).fill(body.url) } });
    assertProblem(res, 422, "too_many_urls");
  });
  test("404 unknown API path", async () => {
    assertProblem(await call(rsa.base, "/v1/nope", { method: "GET" }), 404, "not_found");
  });
});

describe("CORS", () => {
  test("preflight from an allowed origin", async () => {
    const res = await call(rsa.base, "/v1/sign", { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" } });
    assert.ok(res.status === 204 || res.status === 200, res.text);
    assert.equal(res.headers.get("access-control-allow-origin"), ORIGIN);
    assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/);
    assert.match((res.headers.get("access-control-allow-headers") ?? "").toLowerCase(), /authorization/);
  });
  test("preflight from another origin is refused", async () => {
    const res = await call(rsa.base, "/v1/sign", { method: "OPTIONS", headers: { Origin: "https://evil.example.net", "Access-Control-Request-Method": "POST" } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  });
  test("a real request from the allowed origin carries the CORS header", async () => {
    const res = await call(rsa.base, "/v1/sign", { headers: { Origin: ORIGIN }, token: token({ resources: ["https://media.example.com/videos/42/*"] }), body: { url: "https://media.example.com/videos/42/a.ts" } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get("access-control-allow-origin"), ORIGIN);
  });
});

describe(`bad tokens (${BAD_TOKENS.refused.length} refused, ${BAD_TOKENS.accepted.length} controls)`, () => {
  for (const c of BAD_TOKENS.refused) {
    test(`refused: ${c.name}`, async () => {
      const headers = c.header && c.header !== "Authorization" ? { [c.header]: c.token } : { Authorization: c.header ? c.token : `Bearer ${c.token}` };
      const res = await call(rsa.base, BAD_TOKENS.endpoint, { headers, body: BAD_TOKENS.body });
      assertProblem(res, 401, c.code);
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
    });
  }
  for (const c of BAD_TOKENS.accepted) {
    test(`accepted: ${c.name}`, async () => {
      const res = await call(rsa.base, BAD_TOKENS.endpoint, { token: c.token, body: BAD_TOKENS.body });
      assert.equal(res.status, 200, res.text);
      assertAllowed(rsaVerifier.verify(res.json.signedUrl), c.name);
    });
  }
});

describe(`scope escapes (${ESCAPES.refused.length} refused, ${ESCAPES.allowed.length} controls)`, () => {
  for (const c of ESCAPES.refused) {
    test(`refused: ${c.name}`, async () => {
      const res = await call(rsa.base, c.endpoint, { token: token(ESCAPES.scope), headers: c.headers, body: c.body });
      assertProblem(res, c.status, c.code);
      assert.equal(res.headers.getSetCookie().length, 0, "no cookies on an error");
    });
  }
  for (const c of ESCAPES.allowed) {
    test(`allowed: ${c.name}`, async () => {
      const res = await call(rsa.base, c.endpoint, { token: token(ESCAPES.scope), headers: c.headers, body: c.body });
      assert.equal(res.status, 200, res.text);
      const ip = c.body.ip === "client" ? c.headers["CF-Connecting-IP"] : undefined;
      if (c.endpoint === "/v1/cookies") {
        assertAllowed(rsaVerifier.verify("https://media.example.com/videos/42/a.ts", { setCookies: res.headers.getSetCookie() }), c.name);
      } else {
        for (const r of [res.json].flat()) assertAllowed(rsaVerifier.verify(r.signedUrl, { ip }), c.name);
      }
    });
  }
});

describe("bad configuration", () => {
  test("every request answers 500 naming the setting, never a value", async () => {
    for (const [method, path] of [["GET", "/v1/health"], ["POST", "/v1/sign"], ["GET", "/v1/keys"]]) {
      const res = await call(broken.base, path, { method, token: token({ resources: ["https://media.example.com/*"] }), body: method === "POST" ? { url: "https://media.example.com/a" } : undefined });
      assertProblem(res, 500, "bad_config");
      assert.equal(res.json.setting, "ALLOWED_RESOURCES");
    }
  });
});
