// Token keys fetched over the network, in real workerd: TOKEN_JWKS_URL
// (RS256, ES256, EdDSA) and Cloudflare Access (Cf-Access-Jwt-Assertion,
// the team's certs URL). The worker's fetch() is real Workers fetch; only
// the far end is Node, through Miniflare's outboundService, which answers
// every request the Worker sends and lets the test count them.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { join } from "node:path";
import { ROOT, DEMO, startMiniflare, keygen, tempDir, Verifier, call, b64url, now } from "./helpers.mjs";

const JWKS_URL = "https://keys.example.com/.well-known/jwks.json";
const BROKEN_JWKS_URL = "https://keys.example.com/broken.json";
const TEAM = "frontsign-test.cloudflareaccess.com";
const ACCESS_AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";
const ISSUER = "https://auth.example.com";
const AUDIENCE = "frontsign-remote-test";

// A token key pair and its public JWK, as an identity provider publishes it.
function tokenKey(alg, kid) {
  const [type, opts] = { RS256: ["rsa", { modulusLength: 2048 }], ES256: ["ec", { namedCurve: "P-256" }], EdDSA: ["ed25519", {}] }[alg];
  const { privateKey, publicKey } = generateKeyPairSync(type, opts);
  return { alg, kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg, use: "sig" } };
}

// mint signs claims with a tokenKey, as a JWT library would.
function mint(key, claims, { kid = key.kid } = {}) {
  const input = `${b64url(JSON.stringify({ alg: key.alg, typ: "JWT", kid }))}.${b64url(JSON.stringify(claims))}`;
  const data = Buffer.from(input);
  const signature = {
    RS256: () => sign("sha256", data, key.privateKey),
    ES256: () => sign("sha256", data, { key: key.privateKey, dsaEncoding: "ieee-p1363" }),
    EdDSA: () => sign(null, data, key.privateKey),
  }[key.alg]();
  return `${input}.${b64url(signature)}`;
}

const rsaKey = tokenKey("RS256", "idp-rsa-1");
const ecKey = tokenKey("ES256", "idp-ec-1");
const edKey = tokenKey("EdDSA", "idp-ed-1");
const strangerKey = tokenKey("RS256", "idp-rsa-2"); // published nowhere
const accessKey = tokenKey("RS256", "access-1");

// What the outbound service saw, by URL.
const fetched = [];
const count = (url) => fetched.filter((f) => f.url === url).length;

let Response; // Miniflare's, which its outboundService must return
function outbound(request) {
  fetched.push({ url: request.url, method: request.method, accept: request.headers.get("accept") });
  const json = (body) => new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });
  switch (request.url) {
    case JWKS_URL: return json({ keys: [rsaKey.jwk, ecKey.jwk, edKey.jwk] });
    case `https://${TEAM}/cdn-cgi/access/certs`: return json({ keys: [accessKey.jwk], public_cert: { kid: accessKey.kid, cert: "" } });
    case BROKEN_JWKS_URL: return new Response("upstream trouble", { status: 502 });
  }
  return new Response("not found", { status: 404 });
}

let jwksWorker, accessWorker, brokenWorker;
let verifier;

before(async () => {
  ({ Response } = await import(join(ROOT, "node_modules", "miniflare", "dist", "src", "index.js")));
  const keys = tempDir("frontsign-remote-keys-");
  const pem = keygen("ecdsa", keys);
  const common = { CLOUDFRONT_PRIVATE_KEY: pem, CLOUDFRONT_KEY_PAIR_ID: "K2REMOTEKEYS01", ALLOWED_RESOURCES: `${DEMO}/*` };
  // One at a time: startMiniflare finds its workerd by what appeared.
  jwksWorker = await startMiniflare({ ...common, TOKEN_JWKS_URL: JWKS_URL, TOKEN_ISSUER: ISSUER, TOKEN_AUDIENCE: AUDIENCE }, { outbound });
  accessWorker = await startMiniflare({ ...common, ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD, ACCESS_RESOURCES: `${DEMO}/team/*` }, { outbound });
  brokenWorker = await startMiniflare({ ...common, TOKEN_JWKS_URL: BROKEN_JWKS_URL }, { outbound });
  verifier = await Verifier.fromWorker(jwksWorker.base);
});
after(() => { for (const w of [jwksWorker, accessWorker, brokenWorker]) w?.stop(); });

const claims = (extra = {}) => ({ sub: "remote-user", iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600,
  frontsign: { resources: [`${DEMO}/media/*`] }, ...extra });

describe("TOKEN_JWKS_URL", () => {
  for (const key of [rsaKey, ecKey, edKey]) {
    test(`a ${key.alg} token whose key is at the JWKS URL mints a URL CloudFront would accept`, async () => {
      const res = await call(jwksWorker.base, "/v1/sign", { token: mint(key, claims()), body: { url: `${DEMO}/media/a.mp4` } });
      assert.equal(res.status, 200, res.text);
      assert.equal(verifier.verify(res.json.signedUrl).allowed, true);
    });
  }

  test("the JWKS was fetched once, with GET and Accept: application/json, and then cached", () => {
    assert.equal(count(JWKS_URL), 1, JSON.stringify(fetched));
    const f = fetched.find((x) => x.url === JWKS_URL);
    assert.equal(f.method, "GET");
    assert.equal(f.accept, "application/json");
  });

  test("a kid not in the JWKS is refused, and the refetch it asks for waits a minute", async () => {
    const before = count(JWKS_URL);
    for (let i = 0; i < 3; i++) {
      const res = await call(jwksWorker.base, "/v1/sign", { token: mint(strangerKey, claims()), body: { url: `${DEMO}/media/a.mp4` } });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.json.code, "token_unknown_key");
    }
    assert.equal(count(JWKS_URL), before, "an unknown kid refetched the JWKS within the minute");
  });

  test("a known kid with another key's signature is refused", async () => {
    const forged = mint(strangerKey, claims(), { kid: rsaKey.kid });
    const res = await call(jwksWorker.base, "/v1/sign", { token: forged, body: { url: `${DEMO}/media/a.mp4` } });
    assert.equal(res.status, 401, res.text);
    assert.equal(res.json.code, "token_bad_signature");
  });

  test("the issuer and audience are still checked", async () => {
    for (const [extra, code] of [[{ iss: "https://other.example.com" }, "token_bad_issuer"], [{ aud: "someone-else" }, "token_bad_audience"]]) {
      const res = await call(jwksWorker.base, "/v1/sign", { token: mint(rsaKey, claims(extra)), body: { url: `${DEMO}/media/a.mp4` } });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.json.code, code);
    }
  });

  test("a JWKS URL that fails answers 503 token_keys_unavailable, naming no upstream detail beyond the status", async () => {
    const res = await call(brokenWorker.base, "/v1/sign", { token: mint(rsaKey, claims()), body: { url: `${DEMO}/media/a.mp4` } });
    assert.equal(res.status, 503, res.text);
    assert.equal(res.json.code, "token_keys_unavailable");
    assert.ok(!res.text.includes("upstream trouble"), res.text);
    assert.equal(count(BROKEN_JWKS_URL), 1);
  });
});

describe("Cloudflare Access", () => {
  const accessClaims = (extra = {}) => ({ aud: [ACCESS_AUD], email: "viewer@example.com", sub: "access-user-id",
    iss: `https://${TEAM}`, type: "app", iat: now(), exp: now() + 600, ...extra });
  const assertion = (c) => ({ "Cf-Access-Jwt-Assertion": mint(accessKey, c) });

  test("an Access assertion mints inside ACCESS_RESOURCES, with keys from the team's certs URL", async () => {
    const res = await call(accessWorker.base, "/v1/sign", { headers: assertion(accessClaims()), body: { url: `${DEMO}/team/report.pdf` } });
    assert.equal(res.status, 200, res.text);
    const accessVerifier = await Verifier.fromWorker(accessWorker.base);
    assert.equal(accessVerifier.verify(res.json.signedUrl).allowed, true);
    assert.equal(count(`https://${TEAM}/cdn-cgi/access/certs`), 1);
  });

  test("outside ACCESS_RESOURCES is refused with 403", async () => {
    const res = await call(accessWorker.base, "/v1/sign", { headers: assertion(accessClaims()), body: { url: `${DEMO}/media/a.mp4` } });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.json.code, "outside_scope");
  });

  test("an assertion for another Access application or team is refused", async () => {
    for (const [extra, code] of [[{ aud: ["another-application-aud"] }, "token_bad_audience"], [{ iss: "https://other-team.cloudflareaccess.com" }, "token_bad_issuer"]]) {
      const res = await call(accessWorker.base, "/v1/sign", { headers: assertion(accessClaims(extra)), body: { url: `${DEMO}/team/report.pdf` } });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.json.code, code);
    }
  });

  test("a bearer token is not an Access assertion: this worker has no bearer keys", async () => {
    const res = await call(accessWorker.base, "/v1/sign", { token: mint(rsaKey, claims()), body: { url: `${DEMO}/team/report.pdf` } });
    assert.equal(res.status, 401, res.text);
  });
});

test("the Workers fetched nothing but their key URLs", () => {
  const allowed = new Set([JWKS_URL, BROKEN_JWKS_URL, `https://${TEAM}/cdn-cgi/access/certs`]);
  assert.deepEqual(fetched.filter((f) => !allowed.has(f.url)), []);
});
