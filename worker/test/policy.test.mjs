// The edge policy in real workerd (docs/edge-policy.md): revocation in a
// real Workers KV namespace (Miniflare's local simulation, persisted where
// `wrangler kv key put --local` writes, and written with that very
// command), the Rate Limiting binding's local simulation, request.cf.country
// set per request (Miniflare reads request.cf from the MF-CF-Blob header),
// IP binding, the audit lines, and the configuration errors.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startMiniflare, keygen, tempDir, Verifier, call, mintHS256, now } from "./helpers.mjs";

const BAD_TOKENS = JSON.parse(readFileSync(join(ROOT, "worker", "testdata", "bad_tokens.json"), "utf8"));
const ENV = BAD_TOKENS.env; // HS256 secret, iss, aud, ALLOWED_RESOURCES (https://media.example.com/*)
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
const KV_ID = "frontsign-revocations-test";
const LIMIT = 5; // MINT_LIMIT per subject per 60 s
const URL_A = "https://media.example.com/videos/42/a.ts";
const SCOPE = { resources: ["https://media.example.com/videos/42/*"], cookies: true };

let pol, plain, kvDir, verifier;

before(async () => {
  const keys = tempDir("frontsign-policy-keys-");
  const pem = keygen("ecdsa", keys);
  kvDir = tempDir("frontsign-policy-kv-");
  // What `wrangler kv key put --binding REVOCATIONS --local` reads: the
  // binding's namespace ID, from a wrangler.toml.
  writeFileSync(join(kvDir, "wrangler.toml"), `name = "frontsign-policy-test"\n[[kv_namespaces]]\nbinding = "REVOCATIONS"\nid = "${KV_ID}"\n`);
  const vars = { ...ENV, CLOUDFRONT_PRIVATE_KEY: pem, CLOUDFRONT_KEY_PAIR_ID: "K2POLICYTEST01" };
  // One at a time: startMiniflare finds its workerd by what appeared.
  pol = await startMiniflare({ ...vars, ALLOWED_COUNTRIES: "JP,US,DE" }, {
    captureLog: true,
    options: {
      kvNamespaces: { REVOCATIONS: KV_ID }, kvPersist: join(kvDir, "persist", "v3", "kv"),
      ratelimits: { MINT_LIMIT: { simple: { limit: LIMIT, period: 60 } } },
    },
  });
  plain = await startMiniflare(vars);
  verifier = await Verifier.fromWorker(pol.base);
});
after(() => { if (process.env.POLICY_LOG) console.log(pol?.log()); for (const w of [pol, plain]) w?.stop(); });

// kv runs wrangler's own command against the local namespace, as an
// operator would against the real one (without --local).
function kv(...args) {
  execFileSync(WRANGLER, ["kv", "key", ...args, "--binding", "REVOCATIONS", "--local", "--persist-to", "persist"],
    { cwd: kvDir, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" } });
}

const token = (claims) => mintHS256(ENV.TOKEN_SECRET, {
  iss: ENV.TOKEN_ISSUER, aud: ENV.TOKEN_AUDIENCE, iat: now() - 60, exp: now() + 3600, frontsign: SCOPE, ...claims,
});

// from is the request's headers as Cloudflare would set them: the
// country (request.cf.country, through Miniflare's MF-CF-Blob) and the
// caller's address.
function from(country, ip = "192.0.2.7") {
  const h = { "CF-Connecting-IP": ip };
  h["MF-CF-Blob"] = JSON.stringify(country ? { country } : {});
  return h;
}

// send is call, once more on a fresh connection when workerd closed the
// kept-alive one while a wrangler command ran (undici then fails the POST
// with "other side closed" before the request reaches the worker).
async function send(base, path, opts) {
  try {
    return await call(base, path, opts);
  } catch (err) {
    if (err?.cause?.code !== "UND_ERR_SOCKET") throw err;
    return call(base, path, opts);
  }
}

const sign = (tok, { country = "JP", ip, body = { url: URL_A }, path = "/v1/sign" } = {}) =>
  send(pol.base, path, { token: tok, body, headers: from(country, ip) });

function assertSigned(res) {
  assert.equal(res.status, 200, res.text);
  for (const u of [res.json].flat().filter((x) => x.signedUrl).map((x) => x.signedUrl)) {
    assert.equal(verifier.verify(u).allowed, true, u);
  }
}

function assertRefused(res, status, code, tok) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/);
  assert.equal(res.json?.code, code, res.text);
  assert.ok(!/Signature=|CloudFront-Signature/.test(res.text), "nothing signed on a refusal");
  assert.equal(res.headers.get("set-cookie"), null);
  if (tok) assert.ok(!pol.log().includes(tok.split(".")[2]), "the token never reaches the log");
}

// audited waits for the refusal's audit line (console.log reaches us
// through workerd's stdout) and returns it parsed.
async function audited(rid) {
  for (let i = 0; i < 50; i++) {
    const line = pol.log().split("\n").find((l) => l.includes(rid) && l.includes('"event"'));
    if (line) return JSON.parse(line);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no audit line for request ${rid}`);
}

describe("health", () => {
  test("says whether revocation and the rate limit are on", async () => {
    const on = await call(pol.base, "/v1/health", { method: "GET" });
    assert.equal(on.json.revocation, "on, fail closed");
    assert.equal(on.json.rateLimit, "on");
    const off = await call(plain.base, "/v1/health", { method: "GET" });
    assert.equal(off.json.revocation, "off");
    assert.equal(off.json.rateLimit, "off");
  });
});

describe("revocation in Workers KV", () => {
  test("jti:<jti> revokes that token, and no other", async () => {
    const revoked = token({ sub: "rev-jti", jti: "jti-revoked-1" });
    kv("put", "jti:jti-revoked-1", "revoked by the test");
    const res = await sign(revoked);
    assertRefused(res, 401, "token_revoked", revoked);
    assert.match(res.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
    const line = await audited(res.json.requestId);
    assert.equal(line.event, "refused");
    assert.equal(line.code, "token_revoked");
    assert.equal(line.sub, "rev-jti");
    assertSigned(await sign(token({ sub: "rev-jti", jti: "jti-other-1" })));
  });

  test("sub:<sub> revokes the subject's tokens issued before its Unix seconds", async () => {
    const cutoff = now() - 30;
    kv("put", "sub:rev-sub", String(cutoff));
    const old = token({ sub: "rev-sub", jti: "s-1", iat: cutoff - 1 });
    assertRefused(await sign(old), 401, "token_revoked", old);
    assertRefused(await sign(token({ sub: "rev-sub", jti: "s-2", iat: undefined })), 401, "token_revoked");
    assertSigned(await sign(token({ sub: "rev-sub", jti: "s-3", iat: cutoff })));
    assertSigned(await sign(token({ sub: "rev-sub2", jti: "s-4", iat: cutoff - 1 }))); // another subject
    // Cookies and redirects are mints too.
    assertRefused(await sign(old, { path: "/v1/cookies", body: { resource: SCOPE.resources[0] } }), 401, "token_revoked");
    const redirect = await call(pol.base, `/v1/redirect?url=${encodeURIComponent(URL_A)}&access_token=${old}`, { method: "GET", headers: from("JP") });
    assertRefused(redirect, 401, "token_revoked");
  });

  test("a revocation bites once the isolate's 10 s cache of the lookup expires; delete lifts it", async () => {
    const tok = token({ sub: "rev-late", jti: "late-1" });
    assertSigned(await sign(tok)); // looked up: not revoked, remembered
    kv("put", "jti:late-1", "revoked");
    assertSigned(await sign(tok)); // still remembered
    await new Promise((r) => setTimeout(r, 10_500));
    assertRefused(await sign(tok), 401, "token_revoked", tok);
    kv("delete", "jti:late-1");
    await new Promise((r) => setTimeout(r, 10_500));
    assertSigned(await sign(tok));
  });
});

describe("countries (request.cf.country)", () => {
  const tok = token({ sub: "geo" });
  test("ALLOWED_COUNTRIES: inside mints, outside and unknown are refused", async () => {
    assertSigned(await sign(tok, { country: "JP" }));
    assertSigned(await sign(tok, { country: "US" }));
    for (const country of ["FR", "XX", "T1", null]) { // null: no country known
      const res = await sign(tok, { country });
      assertRefused(res, 403, "country_not_allowed", tok);
      assert.equal((await audited(res.json.requestId)).code, "country_not_allowed");
    }
  });
  test("the token's frontsign.countries applies too", async () => {
    const de = token({ sub: "geo-de", frontsign: { ...SCOPE, countries: ["DE"] } });
    assertSigned(await sign(de, { country: "DE" }));
    assertRefused(await sign(de, { country: "JP" }), 403, "country_not_allowed", de); // allowed by the worker, not the token
    const fr = token({ sub: "geo-fr", frontsign: { ...SCOPE, countries: ["FR"] } });
    assertRefused(await sign(fr, { country: "FR" }), 403, "country_not_allowed", fr); // allowed by the token, not the worker
  });
});

describe("IP binding (frontsign.bindIp)", () => {
  const bound = token({ sub: "bind", frontsign: { ...SCOPE, bindIp: true } });
  test("IPv4: every URL and cookie carries the caller's address", async () => {
    const res = await sign(bound, { ip: "192.0.2.7", body: { urls: [URL_A, URL_A.replace("a.ts", "b.ts")] } });
    assert.equal(res.status, 200, res.text);
    for (const { signedUrl } of res.json) {
      assert.equal(verifier.verify(signedUrl, { ip: "192.0.2.7" }).allowed, true);
      assert.equal(verifier.verify(signedUrl, { ip: "198.51.100.1" }).allowed, false, "a bound URL works elsewhere");
    }
    const cookies = await sign(bound, { ip: "192.0.2.7", path: "/v1/cookies", body: { resource: SCOPE.resources[0] } });
    assert.equal(cookies.status, 200, cookies.text);
    const setCookies = cookies.headers.getSetCookie();
    assert.equal(verifier.verify(URL_A, { setCookies, ip: "192.0.2.7" }).allowed, true);
    assert.equal(verifier.verify(URL_A, { setCookies, ip: "198.51.100.1" }).allowed, false);
  });
  test("IPv6: a problem naming the fix, nothing signed", async () => {
    const res = await sign(bound, { ip: "2001:db8::7" });
    assertRefused(res, 403, "ip_not_bindable", bound);
    assert.match(res.json.detail, /IPv6/);
    assert.match(res.json.detail, /distribution/);
    assert.equal((await audited(res.json.requestId)).code, "ip_not_bindable");
  });
});

describe("rate limit (MINT_LIMIT, per subject, per URL)", () => {
  // Miniflare's simulation, like Cloudflare's, counts in fixed windows of
  // the period: keep a test inside one window.
  before(async () => {
    const left = 60 - (Math.floor(Date.now() / 1000) % 60);
    if (left < 15) await new Promise((r) => setTimeout(r, left * 1000 + 200));
  });
  const urls = (n) => Array.from({ length: n }, (_, i) => URL_A.replace("a.ts", `${i}.ts`));
  test(`bites exactly at ${LIMIT} URLs, with Retry-After`, async () => {
    const tok = token({ sub: "rl-single" });
    for (let i = 0; i < LIMIT; i++) assertSigned(await sign(tok));
    const res = await sign(tok);
    assertRefused(res, 429, "rate_limited", tok);
    const retry = Number(res.headers.get("retry-after"));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal((await audited(res.json.requestId)).code, "rate_limited");
  });
  test("a batch counts each URL", async () => {
    const tok = token({ sub: "rl-batch" });
    assertSigned(await sign(tok, { body: { urls: urls(LIMIT) } }));
    assertRefused(await sign(tok), 429, "rate_limited", tok);
    // A batch larger than what is left is refused whole (and uses up the rest).
    const big = token({ sub: "rl-big" });
    assertSigned(await sign(big, { body: { urls: urls(LIMIT - 2) } }));
    assertRefused(await sign(big, { body: { urls: urls(3) } }), 429, "rate_limited", big);
    assertRefused(await sign(big), 429, "rate_limited", big);
    // The largest batch: 100 limit() calls in one request.
    const hundred = token({ sub: "rl-hundred" });
    assertRefused(await sign(hundred, { body: { urls: urls(100) } }), 429, "rate_limited", hundred);
  });
  test("a refused request uses no budget", async () => {
    const tok = token({ sub: "rl-refused" });
    assertRefused(await sign(tok, { country: "FR" }), 403, "country_not_allowed");
    assertRefused(await sign(tok, { body: { url: "https://media.example.com/other/a.ts" } }), 403, "outside_scope");
    assertSigned(await sign(tok, { body: { urls: urls(LIMIT) } }));
  });
});

describe("configuration errors answer 500 naming the setting", () => {
  const cases = [
    ["REVOCATION_FAILURE", { REVOCATION_FAILURE: "sometimes" }, { kvNamespaces: { REVOCATIONS: "x" } }],
    ["REVOCATION_FAILURE", { REVOCATION_FAILURE: "closed" }, {}], // names a binding that is missing
    ["ALLOWED_COUNTRIES", { ALLOWED_COUNTRIES: "JP,USA" }, {}],
    ["REVOCATIONS", { REVOCATIONS: "my-namespace" }, {}], // a variable, not a KV binding
    ["MINT_LIMIT", { MINT_LIMIT: "100" }, {}], // a variable, not a Rate Limiting binding
  ];
  for (const [setting, extra, options] of cases) {
    test(`${setting}: ${JSON.stringify(extra)}`, async () => {
      const vars = { ...ENV, CLOUDFRONT_PRIVATE_KEY: keygen("ecdsa", tempDir("frontsign-policy-bad-")), CLOUDFRONT_KEY_PAIR_ID: "K2POLICYTEST01", ...extra };
      const w = await startMiniflare(vars, { options });
      try {
        const res = await call(w.base, "/v1/sign", { token: token({ sub: "cfg" }), body: { url: URL_A } });
        assertRefused(res, 500, "bad_config");
        assert.equal(res.json.setting, setting);
        for (const v of Object.values(extra)) assert.ok(!res.text.includes(v), "a setting's value is never echoed");
      } finally {
        w.stop();
      }
    });
  }
});
