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

// One timed pass over all URLs: signs per second of wall time, and per
// second of this process's CPU time (all threads, so WebCrypto's worker
// threads count), which a busy shared machine disturbs much less.
async function pass(run) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(urls);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall: N / wall, cpu: N / ((cpu.user + cpu.system) / 1e6) };
}

const median = (list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)];

// Rounds interleave the signers, so that a shared machine's changing load
// falls on all of them alike; each signer's median round is reported.
async function measure(signers) {
  for (const s of signers) await s.run(urls.slice(0, 20)); // warm-up: JIT, key import
  const rates = signers.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, s] of signers.entries()) rates[i].push(await pass(s.run));
  }
  return rates.map((list) => ({ wall: median(list.map((r) => r.wall)), cpu: median(list.map((r) => r.cpu)) }));
}

const t0 = performance.now();
const { load } = await import(MODULE_URL);
const fs = await load();
const loadMs = performance.now() - t0;
// Go crypto is in the other build, frontsign-gocrypto.wasm, as a second instance.
const goFs = await (await import(`${MODULE_URL}?gocrypto`)).load(new URL("./frontsign-gocrypto.wasm", MODULE_URL));
const key = {
  rsaWeb: await fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID, crypto: "webcrypto" }),
  rsaGo: await goFs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID, crypto: "go" }),
  ecWeb: await fs.importPrivateKey(EC_PEM, { keyPairId: KEY_ID, crypto: "webcrypto" }),
  ecGo: await goFs.importPrivateKey(EC_PEM, { keyPairId: KEY_ID, crypto: "go" }),
};
const on = (k) => (k.crypto === "go" ? goFs : fs);
const oneByOne = (k) => async (list) => { for (const url of list) await on(k).signUrl({ url, key: k, expires }); };
const concurrent = (k) => (list) => Promise.all(list.map((url) => on(k).signUrl({ url, key: k, expires })));
const batch = (k) => (list) => on(k).signUrls({ urls: list, key: k, expires });

// Both must sign the same thing (the SDK orders the parameters differently).
const sdkUrl = getSignedUrl({ url: urls[0], keyPairId: KEY_ID, privateKey: RSA_PEM, dateLessThan: new Date(expires * 1000) });
const ours = (await fs.signUrl({ url: urls[0], key: key.rsaWeb, expires })).signedUrl;
if (queryParams(sdkUrl).Signature !== queryParams(ours).Signature) throw new Error(`AWS SDK and frontsign disagree:\n${sdkUrl}\n${ours}`);

const signers = [
  { name: "@aws-sdk/cloudfront-signer 3.1166.0, RSA (PEM per call, node:crypto)",
    run: async (list) => { for (const url of list) getSignedUrl({ url, keyPairId: KEY_ID, privateKey: RSA_PEM, dateLessThan: new Date(expires * 1000) }); } },
  { name: "frontsign module, RSA, WebCrypto, await signUrl per URL", run: oneByOne(key.rsaWeb) },
  { name: "frontsign module, RSA, WebCrypto, Promise.all of signUrl", run: concurrent(key.rsaWeb) },
  { name: "frontsign module, RSA, WebCrypto, signUrls batch", run: batch(key.rsaWeb) },
  { name: "frontsign module, RSA, Go crypto, signUrls batch", run: batch(key.rsaGo) },
  { name: "frontsign module, ECDSA P-256, WebCrypto, signUrls batch", run: batch(key.ecWeb) },
  { name: "frontsign module, ECDSA P-256, Go crypto, signUrls batch", run: batch(key.ecGo) },
];
const rates = await measure(signers);
const sdk = rates[0];

console.log(`JS module in Node ${process.version}: ${N} URLs, median of ${ROUNDS} rounds; load() ${loadMs.toFixed(0)} ms`);
console.log("| signer | signs/s | vs AWS SDK | signs per CPU-second | vs AWS SDK |\n|---|---:|---:|---:|---:|");
for (const [i, s] of signers.entries()) {
  const r = rates[i];
  console.log(`| ${s.name} | ${r.wall.toFixed(0)} | ${(r.wall / sdk.wall).toFixed(2)}× | ${r.cpu.toFixed(0)} | ${(r.cpu / sdk.cpu).toFixed(2)}× |`);
}
