// Benchmark of the page (not a test; asserts nothing): the page served by
// wrangler dev, in headless Chromium on this machine.
//   - navigation → first signature: a fresh browser profile (nothing cached)
//     and a return visit (service worker cache), through the page's own UI;
//   - signs per second for 1,000 URLs: through the page's Sign button (one
//     signUrls call plus rendering), and module calls inside the page (one
//     signUrls batch, and 1,000 awaited signUrl calls).
// Prints a Markdown table, as in docs/performance.md.
import { browser, check, openPage, serve, setKey, signOnArrival } from "./harness.mjs";

const RUNS = Number(process.env.WEB_BENCH_RUNS ?? 5);
const COUNT = 1000;
const host = "https://d111111abcdef8.cloudfront.net";
const urls = Array.from({ length: COUNT }, (_, i) => `${host}/videos/${i}/segment ${i}.ts`);
const keys = { RSA: check({ op: "keygen", keyType: "RSA" }), ECDSA: check({ op: "keygen", keyType: "ECDSA" }) };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await serve();
const chrome = await browser();
const rows = [];

// Navigation start → the first signed URL on screen. The key and URL are
// entered and Sign pressed as soon as the page's script has run
// (DOMContentLoaded), as if pasted instantly, so the figure is the page's own
// latency (loading the signer, importing the key, signing), not input speed.
async function firstSignature(context) {
  const page = await context.newPage();
  const ms = await signOnArrival(page, server.base, { pem: keys.ECDSA.privatePem, url: urls[0] });
  // Where the time went: the wasm on hand, the signer started (Go runtime up).
  const [wasm, ready] = await page.evaluate(() => [
    performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"))?.responseEnd ?? NaN,
    performance.getEntriesByName("frontsign:ready")[0]?.startTime ?? NaN,
  ]);
  await page.evaluate(() => navigator.serviceWorker.ready); // let the first visit finish caching
  await page.close();
  return { ms, wasm, ready };
}

const visits = { "first visit (nothing cached)": [], "return visit (service worker cache)": [] };
for (let i = 0; i < RUNS; i++) {
  const context = await chrome.newContext(); // a fresh profile: empty HTTP cache, no service worker
  for (const runs of Object.values(visits)) runs.push(await firstSignature(context));
  await context.close();
}
for (const [visit, runs] of Object.entries(visits)) {
  const at = (k) => median(runs.map((r) => r[k])).toFixed(0);
  rows.push([`Navigation → first signed URL, ${visit}`, `${at("ms")} ms`,
    `median of ${RUNS} (min ${Math.min(...runs.map((r) => r.ms)).toFixed(0)} ms); wasm on hand at ${at("wasm")} ms, signer started at ${at("ready")} ms`]);
}

// Throughput: signs per second over 1,000 URLs, median of RUNS.
const context = await chrome.newContext();
const { page } = await openPage(context, server.base);
for (const type of ["RSA", "ECDSA"]) {
  await setKey(page, keys[type].privatePem, "K2JCJMDEHXQW5F");
  await page.fill("#sign-urls", urls.join("\n"));
  await page.fill("#sign-expires", "1h");
  const ui = [];
  for (let i = 0; i < RUNS; i++) {
    ui.push(await page.evaluate(async (n) => {
      const marks = performance.getEntriesByName("frontsign:signed").length;
      const t0 = performance.now();
      document.getElementById("form-sign").requestSubmit();
      while (performance.getEntriesByName("frontsign:signed").length === marks) await new Promise((r) => setTimeout(r, 1));
      return n / ((performance.now() - t0) / 1000);
    }, COUNT));
  }
  // The module the page imported (same module URL → same instance).
  const moduleURL = await page.$eval('script[type="module"]', (s) => s.src);
  const [batch, single] = await page.evaluate(async ({ pem, list, runs, appURL }) => {
    const app = await (await fetch(appURL)).text();
    const mjs = new URL(app.match(/frontsign\.[0-9a-f]+\.mjs/)[0], appURL).href;
    const fs = await (await import(mjs)).load();
    const key = await fs.importPrivateKey(pem, { keyPairId: "K2JCJMDEHXQW5F" });
    const expires = new Date(Date.now() + 3600_000);
    const rate = async (fn) => {
      const out = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await fn();
        out.push(list.length / ((performance.now() - t0) / 1000));
      }
      return out;
    };
    return [
      await rate(() => fs.signUrls({ urls: list, key, expires })),
      await rate(async () => { for (const url of list) await fs.signUrl({ url, key, expires }); }),
    ];
  }, { pem: keys[type].privatePem, list: urls, runs: RUNS, appURL: moduleURL });
  const crypto = (await page.textContent("#key-state")).includes("WebCrypto") ? "WebCrypto" : "Go crypto";
  rows.push([`${type}: 1,000 URLs with the page's Sign button (signUrls + render), ${crypto}`, `${median(ui).toFixed(0)} signs/s`, `median of ${RUNS}`]);
  rows.push([`${type}: 1,000 URLs, one \`signUrls\` call in the page`, `${median(batch).toFixed(0)} signs/s`, `median of ${RUNS}`]);
  rows.push([`${type}: 1,000 awaited \`signUrl\` calls in the page`, `${median(single).toFixed(0)} signs/s`, `median of ${RUNS}`]);
}

await chrome.close();
server.stop();

const version = (await import("node:child_process")).execFileSync("/usr/bin/chromium", ["--version"]).toString().trim();
console.log(`Page benchmark: ${version}, headless, page served by wrangler dev on 127.0.0.1 (${new Date().toISOString().slice(0, 10)}).\n`);
console.log("| measure | result | notes |\n|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
process.exit(0);
