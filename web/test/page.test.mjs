// End-to-end tests of the offline signing page: dist/web served by local
// wrangler dev (real workerd), driven in headless Debian chromium. Every
// result is judged by the core package through the Go checker. Run with
// `node --test web/test/` after ./build.sh build (web_test does both).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { browser, check, openPage, recordRequests, root, selectTab, serve, setKey, submit, waitReady } from "./harness.mjs";

const host = "https://d111111abcdef8.cloudfront.net";
const keyIds = { rsa: "K2JCJMDEHXQW5F", ecdsa: "K3EXAMPLEECDSA1" };

let server, chrome, context, requests, page, problems;
const keys = {}; // type → {privatePem, publicPem}, made by the page's key pair tab
let expiredUrl = ""; // signed an hour ago by the checker, for the inspect tab

before(async () => {
  server = await serve();
  chrome = await browser();
  // A zone other than UTC, so that "local time and UTC" are visibly two times.
  context = await chrome.newContext({ acceptDownloads: true, timezoneId: "Asia/Kolkata", locale: "en-GB" });
  requests = recordRequests(context);
  ({ page, problems } = await openPage(context, server.base));
}, { timeout: 180_000 });

after(async () => {
  await chrome?.close();
  server?.stop();
});

const publicKeys = () => Object.fromEntries(Object.entries(keys).map(([t, k]) => [keyIds[t], k.publicPem]));
const verify = (url, extra = {}) => check({ op: "verify", url, publicKeys: publicKeys(), ...extra });

describe("the page", { timeout: 300_000 }, () => {
  for (const type of ["rsa", "ecdsa"]) {
    test(`generates an ${type} key pair whose private PEM parses and matches the public PEM`, async () => {
      await selectTab(page, "keygen");
      await page.check(`input[name="keygen-type"][value="${type}"]`);
      const { ok, errors } = await submit(page, "keygen");
      assert.ok(ok, JSON.stringify(errors));
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#keygen-download")]);
      assert.equal(download.suggestedFilename(), "private_key.pem");
      const privatePem = readFileSync(await download.path(), "utf8");
      const publicPem = await page.inputValue("#keygen-public");
      const parsed = check({ op: "parsekey", pem: privatePem, publicPem });
      assert.equal(parsed.keyType, type.toUpperCase());
      assert.ok(parsed.publicMatches, "the public PEM shown is the private key's public half");
      keys[type] = { privatePem, publicPem };
    });
  }

  test("signs URLs with the RSA key (SHA-1, canned) and the core verifier allows them", async () => {
    await setKey(page, keys.rsa.privatePem, keyIds.rsa);
    await selectTab(page, "sign");
    const urls = [`${host}/videos/intro 1.mp4`, `${host}/caf%C3%A9/menu.pdf?lang=fr`];
    const { ok, errors } = await submit(page, "sign", { urls: urls.join("\n"), expires: "2h", hash: "" });
    assert.ok(ok, JSON.stringify(errors));
    const signed = (await page.inputValue("#sign-output")).split("\n");
    assert.equal(signed.length, 2);
    assert.match(signed[0], /^https:\/\/d111111abcdef8\.cloudfront\.net\/videos\/intro%201\.mp4\?Expires=\d+&Signature=[A-Za-z0-9~_-]+&Key-Pair-Id=K2JCJMDEHXQW5F$/);
    for (const url of signed) assert.deepEqual(verify(url), { allowed: true, reason: "", detail: "" });
    assert.match(await page.textContent("#key-state"), /RSA key loaded/);
  });

  test("signs with the ECDSA key, custom policy: wildcard resource, not-before, IP range, SHA-256", async () => {
    await setKey(page, keys.ecdsa.privatePem, keyIds.ecdsa);
    const now = Math.floor(Date.now() / 1000);
    const { ok, errors } = await submit(page, "sign", {
      urls: `${host}/videos/42/seg-001.ts`, expires: String(now + 3600), notbefore: String(now - 60),
      ip: "192.0.2.0/24", resource: `${host}/videos/42/*`, hash: "SHA256",
    });
    assert.ok(ok, JSON.stringify(errors));
    const url = await page.inputValue("#sign-output");
    assert.match(url, /\?Policy=[A-Za-z0-9~_-]+&Signature=.+&Key-Pair-Id=K3EXAMPLEECDSA1&Hash-Algorithm=SHA256$/);
    const policy = JSON.parse(await page.textContent("#sign-policy"));
    assert.deepEqual(policy.Statement[0].Condition, {
      DateLessThan: { "AWS:EpochTime": now + 3600 }, DateGreaterThan: { "AWS:EpochTime": now - 60 }, IpAddress: { "AWS:SourceIp": "192.0.2.0/24" },
    });
    assert.equal(verify(url).allowed, true);
    // The signature covers the wildcard: another segment with the same query string is allowed too.
    assert.equal(verify(url.replace("seg-001", "seg-002")).allowed, true);
  });

  test("puts each error next to the field at fault", async () => {
    const cases = [
      [{ urls: `${host}/a.mp4`, expires: "1767290400000", notbefore: "", ip: "", resource: "", hash: "" }, "sign-expires", /milliseconds/],
      [{ expires: "1h", ip: "2001:db8::1" }, "sign-ip", /IPv6/],
      [{ ip: "", urls: `${host}/a.mp4\nftp://example.com/x` }, "sign-urls", /^Line 2: /],
      [{ urls: `${host}/a.mp4`, resource: `${host}/other/*` }, "sign-resource", /./],
    ];
    for (const [fields, field, message] of cases) {
      const { ok, errors } = await submit(page, "sign", fields);
      assert.ok(!ok, `${field} should fail`);
      assert.deepEqual(Object.keys(errors), [field]);
      assert.match(errors[field], message);
      assert.equal(await page.getAttribute(`#${field}`, "aria-invalid"), "true");
      assert.equal(await page.evaluate(() => document.activeElement.id), field, "focus moves to the field at fault");
    }
    await page.fill("#sign-resource", "");
    await setKey(page, keys.ecdsa.publicPem, keyIds.ecdsa); // a public key where the private one belongs
    const { errors } = await submit(page, "sign", { urls: `${host}/a.mp4` });
    assert.deepEqual(Object.keys(errors), ["key-pem"]);
    assert.match(errors["key-pem"], /public key/i);
    const body = keys.ecdsa.publicPem.split("\n").filter((l) => l && !l.startsWith("-----"));
    for (const line of body) assert.ok(!errors["key-pem"].includes(line), `the message echoes the key: ${errors["key-pem"]}`);
  });

  test("signs cookies, with the Domain note, and the core verifier allows a request carrying them", async () => {
    await setKey(page, keys.rsa.privatePem, keyIds.rsa);
    await selectTab(page, "cookies");
    const resource = "https://media.example.com/videos/*";
    let { ok, errors } = await submit(page, "cookies", { resource, domain: "other.org", expires: "1h", hash: "SHA256" });
    assert.deepEqual(Object.keys(errors), ["cookies-domain"], "a Domain the host is not under is refused");
    assert.match(await page.textContent("#cookies-domain-verdict"), /never reach media\.example\.com/);
    ({ ok, errors } = await submit(page, "cookies", { domain: "example.com", samesite: "Lax" }));
    assert.ok(ok, JSON.stringify(errors));
    assert.match(await page.textContent("#cookies-domain-verdict"), /Domain=example\.com reach media\.example\.com/);
    const lines = (await page.inputValue("#cookies-output")).split("\n");
    assert.deepEqual(lines.map((l) => l.match(/^Set-Cookie: ([^=]+)=/)[1]),
      ["CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id", "CloudFront-Hash-Algorithm"]);
    for (const l of lines) assert.match(l, /; Path=\/; Domain=example\.com; HttpOnly; Secure; SameSite=Lax$/);
    const cookies = lines.map((l) => {
      const [name, value] = l.replace("Set-Cookie: ", "").split(";")[0].split("=");
      return { name, value };
    });
    assert.equal(verify("https://media.example.com/videos/7/index.m3u8", { cookies }).allowed, true);
    assert.equal(verify("https://media.example.com/private/x", { cookies }).reason, "resource_mismatch");
  });

  test("signs a playlist: every URI inside the stream verifies, the one outside is reported, the download is the result", async () => {
    await setKey(page, keys.ecdsa.privatePem, keyIds.ecdsa);
    await selectTab(page, "playlist");
    let { errors } = await submit(page, "playlist", { text: "not a playlist", url: `${host}/videos/42/index.m3u8`, expires: "1h", ip: "", notbefore: "", hash: "" });
    assert.deepEqual(Object.keys(errors), ["playlist-text"]);
    ({ errors } = await submit(page, "playlist", { text: "#EXTM3U\n", url: "" }));
    assert.deepEqual(Object.keys(errors), ["playlist-url"]);
    const text = "#EXTM3U\r\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\"\r\n#EXTINF:6,\r\nseg-1.ts\r\n#EXTINF:6,\r\n../43/seg.ts\r\n#EXT-X-ENDLIST\r\n";
    // From a file, so that its CRLF survive (a textarea would make them LF).
    await page.setInputFiles("#playlist-file", { name: "index.m3u8", mimeType: "application/vnd.apple.mpegurl", buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.getElementById("playlist-text").value.startsWith("#EXTM3U\n#EXT-X-KEY"));
    const { ok, errors: errs } = await submit(page, "playlist", { url: `${host}/videos/42/index.m3u8` });
    assert.ok(ok, JSON.stringify(errs));
    assert.match(await page.textContent("#playlist-summary"), /^Signed 2 URIs for https:\/\/d111111abcdef8\.cloudfront\.net\/videos\/42\/\*, 1 left unsigned/);
    assert.match(await page.textContent("#playlist-skipped"), /line 6 \(segment\) \.\.\/43\/seg\.ts: outside/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#playlist-download")]);
    assert.equal(download.suggestedFilename(), "index.m3u8");
    const signed = readFileSync(await download.path(), "utf8");
    assert.equal(signed.replace(/\?Policy=[^"\r\n]+/g, ""), text, "only queries were added, CRLF kept");
    const uris = [/URI="([^"]+)"/.exec(signed)[1], ...signed.split("\r\n").filter((l) => l && !l.startsWith("#"))];
    for (const u of uris) {
      const abs = new URL(u, `${host}/videos/42/index.m3u8`).href;
      assert.equal(verify(abs).allowed, !u.startsWith("../43/"), abs);
    }
  });

  test("inspects an expired URL and gives CloudFront's reason, with times in local time and UTC", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { signedUrl } = check({ op: "sign", pem: keys.rsa.privatePem, keyPairId: keyIds.rsa, url: `${host}/old.mp4`, now: now - 7200, expires: now - 3600 });
    expiredUrl = signedUrl;
    await selectTab(page, "inspect");
    // Without keys: decoded, signature unchecked.
    let { ok, errors } = await submit(page, "inspect", { url: signedUrl, keys: "" });
    assert.ok(ok, JSON.stringify(errors));
    assert.match(await page.textContent("#inspect-verdict"), /signature not checked/);
    // With the key group's public keys, pasted as ID=PEM.
    const pasted = Object.entries(publicKeys()).map(([id, pem]) => `${id}=${pem}`).join("\n");
    ({ ok, errors } = await submit(page, "inspect", { url: signedUrl, keys: pasted }));
    assert.ok(ok, JSON.stringify(errors));
    assert.match(await page.textContent("#inspect-verdict"), /^Denied \(expired\): the URL has expired\./);
    const details = await page.$$eval("#inspect-details dt", (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    const utc = new Date((now - 3600) * 1000).toISOString().replace("T", " ").replace(".000Z", " UTC");
    assert.ok(details["Valid until"].includes(utc), details["Valid until"]);
    const local = new Date((now - 3600) * 1000).toLocaleTimeString("en-GB", { timeZone: "Asia/Kolkata" });
    assert.ok(details["Valid until"].startsWith(`${new Date((now - 3600) * 1000).toLocaleDateString("en-GB", { timeZone: "Asia/Kolkata", day: "numeric", month: "short", year: "numeric" })}, ${local}`), details["Valid until"]);
    assert.equal(details["Key ID"], keyIds.rsa);
    assert.match(await page.textContent("#inspect-policy"), /"AWS:EpochTime": \d+/);
    // A wrong key ID list: unknown key.
    ({ ok } = await submit(page, "inspect", { keys: `KOTHER=${keys.ecdsa.publicPem}` }));
    assert.match(await page.textContent("#inspect-verdict"), /^Denied \(unknown_key\)/);
    // The same URL with its signature in plain base64 (+ / =): the rest is
    // still decoded, and the signature's row says what is wrong with it.
    const plain = signedUrl.replace(/Signature=([^&]*)/, (_, v) => `Signature=${v.replaceAll("-", "+").replaceAll("_", "=").replaceAll("~", "/")}`);
    await submit(page, "inspect", { url: plain, keys: "" });
    assert.match(await page.textContent("#inspect-verdict"), /^Denied \(bad_signature\)/);
    const plainDetails = await page.$$eval("#inspect-details dt", (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    assert.deepEqual([plainDetails["Key ID"], plainDetails.Policy], [keyIds.rsa, "canned (Expires)"]);
    assert.match(plainDetails.Signature, /^unreadable: Signature is not CloudFront base64/);
    assert.ok(plainDetails["Valid until"].includes(utc), plainDetails["Valid until"]);
    assert.match(await page.textContent("#inspect-policy"), /"AWS:EpochTime": \d+/);
  });

  test("keeps working offline: reload with the network cut and sign again (service worker)", async () => {
    await waitReady(page, true); // the service worker has cached this build
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    try {
      await page.reload();
      await waitReady(page);
      assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), "the service worker served the page");
      await setKey(page, keys.ecdsa.privatePem, keyIds.ecdsa);
      await selectTab(page, "sign");
      const { ok, errors } = await submit(page, "sign", { urls: `${host}/offline.mp4`, expires: "10m" });
      assert.ok(ok, JSON.stringify(errors));
      assert.equal(verify(await page.inputValue("#sign-output")).allowed, true);
    } finally {
      await context.setOffline(false);
    }
  });

  test("every request stays on the page's origin and none carries key material", () => {
    const origin = new URL(server.base).origin;
    assert.ok(requests.length >= 5, `recorded ${requests.length} requests`);
    assert.ok(requests.some((r) => r.url.includes(".wasm")), "the wasm request was recorded");
    const secrets = Object.values(keys).flatMap((k) => k.privatePem.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----")));
    assert.ok(secrets.length >= 4);
    for (const r of requests) {
      assert.equal(new URL(r.url).origin, origin, `request left the origin: ${r.method} ${r.url}`);
      const seen = `${r.url}\n${JSON.stringify(r.headers)}\n${r.postData}`;
      for (const s of secrets) assert.ok(!seen.includes(s), `key material in ${r.method} ${r.url}`);
      assert.equal(r.method, "GET", `unexpected ${r.method} ${r.url}`);
    }
    assert.deepEqual(problems, [], "no page errors or console errors (CSP violations are console errors)");
  });

  test("stores nothing: no cookies, web storage or IndexedDB, and only the build's files in Cache Storage", async () => {
    const stored = await page.evaluate(async () => {
      const cached = [];
      for (const name of await caches.keys()) {
        for (const req of await (await caches.open(name)).keys()) cached.push(new URL(req.url).pathname);
      }
      return { cookie: document.cookie, local: localStorage.length, session: sessionStorage.length, idb: (await indexedDB.databases()).length, cached };
    });
    assert.deepEqual({ ...stored, cached: undefined }, { cookie: "", local: 0, session: 0, idb: 0, cached: undefined });
    for (const path of stored.cached) assert.match(path, /^\/$|^\/[a-z]+\.[0-9a-f]{10}\.[a-z]+$/, `unexpected cache entry ${path}`);
    assert.equal((await context.cookies()).length, 0);
  });

  test("the page carries its CSP both as a header and as a <meta>", async () => {
    const res = await fetch(server.base);
    const header = res.headers.get("content-security-policy");
    // The one inline script (it starts the wasm's download) is allowed by its hash, never by 'unsafe-inline'.
    assert.match(header, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]{43}=';.* connect-src 'self';/);
    assert.ok(!/https?:|\*/.test(header), "no other origins");
    const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    assert.equal(meta, header.split("; ").filter((d) => !d.startsWith("frame-ancestors")).join("; "));
  });

  test("serves the wasm as application/wasm and hashed files as immutable", async () => {
    const wasm = requests.find((r) => r.url.endsWith(".wasm")).url;
    assert.match(wasm, /\/frontsign\.[0-9a-f]{10}\.wasm$/);
    const res = await fetch(wasm, { method: "HEAD" });
    assert.equal(res.headers.get("content-type"), "application/wasm");
    assert.match(res.headers.get("cache-control"), /immutable/);
  });

  test("screenshots of every tab with a result, light and dark", async () => {
    // Each tab shows a result, so the screenshots show the whole page at work.
    await setKey(page, keys.rsa.privatePem, keyIds.rsa);
    await selectTab(page, "sign");
    await submit(page, "sign", { urls: `${host}/videos/intro 1.mp4\n${host}/videos/intro 2.mp4`, expires: "1h" });
    await selectTab(page, "cookies");
    await submit(page, "cookies", { resource: "https://media.example.com/videos/*", domain: "example.com", expires: "1h" });
    await selectTab(page, "playlist");
    await submit(page, "playlist", { text: "#EXTM3U\n#EXTINF:6,\nseg-1.ts\n#EXT-X-ENDLIST\n", url: `${host}/videos/42/index.m3u8`, expires: "1h" });
    await selectTab(page, "inspect");
    await submit(page, "inspect", { url: expiredUrl, keys: Object.entries(publicKeys()).map(([id, pem]) => `${id}=${pem}`).join("\n") });
    await selectTab(page, "keygen");
    await submit(page, "keygen");
    await page.setViewportSize({ width: 1000, height: 900 });
    const dir = join(root, "dist/screenshots");
    mkdirSync(dir, { recursive: true });
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const tab of ["sign", "cookies", "playlist", "inspect", "keygen"]) {
        await selectTab(page, tab);
        await page.screenshot({ path: join(dir, `${tab}-${scheme}.png`), fullPage: true });
      }
    }
  });

  test("tabs follow the ARIA pattern: arrows move focus and selection", async () => {
    await page.focus("#tab-sign");
    await page.click("#tab-sign");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement.id), "tab-cookies");
    assert.equal(await page.getAttribute("#tab-cookies", "aria-selected"), "true");
    assert.equal(await page.isHidden("#panel-sign"), true);
    await page.keyboard.press("End");
    assert.equal(await page.evaluate(() => document.activeElement.id), "tab-keygen");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement.id), "tab-sign");
    assert.deepEqual(await page.$$eval('[role="tab"]', (ts) => ts.map((t) => t.tabIndex)), [0, -1, -1, -1, -1]);
  });
});
