// Benchmark (not a test): signs per second for 1,000 URLs in Node with the
// module (WebCrypto and Go crypto) beside @aws-sdk/cloudfront-signer in its
// documented use (the PEM string passed on every call), same key and URLs.
// Run by `./build.sh bench` (module_bench). ROUNDS=n repeats (median is reported).
import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { MODULE_URL, RSA_PEM, EC_PEM, KEY_ID, queryParams } from "./helpers.mjs";

const N = 1000;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const HOST = "https://d111111abcdef8.cloudfront.net";
const urls = Array.from({ length: N }, (_, i) => `${HOST}/videos/${i}/segment.ts`);
const expires = Math.floor(Date.now() / 1000) + 3600;

async function rate(run) {
  await run(urls.slice(0, 20)); // warm-up: JIT, key import
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await run(urls);
    rates.push(N / ((performance.now() - t0) / 1000));
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}

const t0 = performance.now();
const { load } = await import(MODULE_URL);
const fs = await load();
const loadMs = performance.now() - t0;
const key = {
  rsaWeb: await fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID, crypto: "webcrypto" }),
  rsaGo: await fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID, crypto: "go" }),
  ecWeb: await fs.importPrivateKey(EC_PEM, { keyPairId: KEY_ID, crypto: "webcrypto" }),
  ecGo: await fs.importPrivateKey(EC_PEM, { keyPairId: KEY_ID, crypto: "go" }),
};
const oneByOne = (k) => async (list) => { for (const url of list) await fs.signUrl({ url, key: k, expires }); };
const concurrent = (k) => (list) => Promise.all(list.map((url) => fs.signUrl({ url, key: k, expires })));
const batch = (k) => (list) => fs.signUrls({ urls: list, key: k, expires });

// Both must sign the same thing (the SDK orders the parameters differently).
const sdkUrl = getSignedUrl({ url: urls[0], keyPairId: KEY_ID, privateKey: RSA_PEM, dateLessThan: new Date(expires * 1000) });
const ours = (await fs.signUrl({ url: urls[0], key: key.rsaWeb, expires })).signedUrl;
if (queryParams(sdkUrl).Signature !== queryParams(ours).Signature) throw new Error(`AWS SDK and frontsign disagree:\n${sdkUrl}\n${ours}`);

const rows = [];
const add = (name, r) => { rows.push([name, r]); };
const sdk = await rate(async (list) => {
  for (const url of list) getSignedUrl({ url, keyPairId: KEY_ID, privateKey: RSA_PEM, dateLessThan: new Date(expires * 1000) });
});
add("@aws-sdk/cloudfront-signer 3.1166.0, RSA (PEM per call, node:crypto)", sdk);
add("frontsign module, RSA, WebCrypto, await signUrl per URL", await rate(oneByOne(key.rsaWeb)));
add("frontsign module, RSA, WebCrypto, Promise.all of signUrl", await rate(concurrent(key.rsaWeb)));
add("frontsign module, RSA, WebCrypto, signUrls batch", await rate(batch(key.rsaWeb)));
add("frontsign module, RSA, Go crypto, signUrls batch", await rate(batch(key.rsaGo)));
add("frontsign module, ECDSA P-256, WebCrypto, signUrls batch", await rate(batch(key.ecWeb)));
add("frontsign module, ECDSA P-256, Go crypto, signUrls batch", await rate(batch(key.ecGo)));

console.log(`JS module in Node ${process.version}: ${N} URLs, median of ${ROUNDS} rounds; load() ${loadMs.toFixed(0)} ms`);
console.log("| signer | signs/s | vs AWS SDK |\n|---|---:|---:|");
for (const [name, r] of rows) console.log(`| ${name} | ${r.toFixed(0)} | ${(r / sdk).toFixed(2)}× |`);
