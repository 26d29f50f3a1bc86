// Opens each fixture app in headless Debian Chromium and checks what it
// signed: run by scripts/bundlers.sh as
//   node check.mjs NAME=URL [NAME=URL ...]
// Each page gets two fresh test keys in its #fragment (RSA-2048 and ECDSA
// P-256, made here with WebCrypto), signs one URL with each through the
// bundled frontsign and writes the results into #out. The RSA URL must equal
// @aws-sdk/cloudfront-signer's byte for byte; the ECDSA signature must verify
// with crypto.subtle over the canned policy rebuilt here. A page that logs a
// console error or a failed request fails too.
import { chromium } from "playwright-core";
import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { toPEM, derToP1363, decodeCloudFrontBase64, queryParams } from "../helpers.mjs";

const KEY_PAIR_ID = "K2JCJMDEHXQW5F";
const URL_TO_SIGN = "https://d111111abcdef8.cloudfront.net/videos/intro 1.mp4";
const CANONICAL = "https://d111111abcdef8.cloudfront.net/videos/intro%201.mp4";
const EXPIRES = Math.floor(Date.now() / 1000) + 3600;

const rsa = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-1" }, true, ["sign", "verify"]);
const ec = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
const rsaPem = toPEM("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", rsa.privateKey));
const ecPem = toPEM("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", ec.privateKey));
const fragment = encodeURIComponent(JSON.stringify({ rsa: rsaPem, ec: ecPem, keyPairId: KEY_PAIR_ID, url: URL_TO_SIGN, expires: EXPIRES }));
const wantRsa = getSignedUrl({ url: CANONICAL, keyPairId: KEY_PAIR_ID, privateKey: rsaPem, dateLessThan: new Date(EXPIRES * 1000) });

// The URL with its query parameters in one order: the SDK writes Key-Pair-Id
// before Signature, frontsign after it; each byte of each value must agree.
const sorted = (signedUrl) => `${signedUrl.split("?")[0]}?${Object.entries(queryParams(signedUrl)).map((kv) => kv.join("=")).sort().join("&")}`;

async function verifyEcdsa(signedUrl) {
  const [base] = signedUrl.split("?");
  const q = queryParams(signedUrl);
  if (base !== CANONICAL || q["Key-Pair-Id"] !== KEY_PAIR_ID || q.Expires !== String(EXPIRES) || q["Hash-Algorithm"] !== "SHA256") {
    throw new Error(`ECDSA URL has the wrong parameters: ${signedUrl}`);
  }
  const policy = `{"Statement":[{"Resource":"${CANONICAL}","Condition":{"DateLessThan":{"AWS:EpochTime":${EXPIRES}}}}]}`;
  const signature = derToP1363(decodeCloudFrontBase64(q.Signature));
  const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, ec.publicKey, signature, new TextEncoder().encode(policy));
  if (!ok) throw new Error("the ECDSA signature does not verify over the canned policy");
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let failed = 0;
try {
  for (const arg of process.argv.slice(2)) {
    const [name, url] = [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)];
    const page = await browser.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()} (${m.location()?.url})`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    const start = Date.now();
    try {
      await page.goto(`${url}#${fragment}`);
      await page.waitForSelector("#out[data-done]", { state: "attached", timeout: 60_000 });
      const got = JSON.parse(await page.textContent("#out"));
      if (got.error) throw new Error(got.error);
      if (sorted(got.rsa) !== sorted(wantRsa)) throw new Error(`RSA URL differs from @aws-sdk/cloudfront-signer's:\n  got  ${got.rsa}\n  want ${wantRsa}`);
      await verifyEcdsa(got.ecdsa);
      if (got.crypto !== "webcrypto") throw new Error(`signed with ${got.crypto} crypto; on 127.0.0.1 crypto.subtle exists`);
      if (problems.length) throw new Error(problems.join("\n  "));
      console.log(`  ok   ${name}: RSA = AWS SDK, ECDSA verifies (${Date.now() - start} ms) ${url}`);
    } catch (err) {
      failed++;
      console.log(`  FAIL ${name} ${url}: ${err.message}${problems.length ? `\n  ${problems.join("\n  ")}` : ""}`);
    } finally {
      await page.close();
    }
  }
} finally {
  await browser.close();
}
process.exitCode = failed ? 1 : 0;
