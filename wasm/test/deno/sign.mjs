// Run by deno.test.mjs under real Deno: load the package (frontsign.mjs, whose
// file: URL is the third argument) as Deno would (reading the .wasm next to
// the module), sign, verify, and print the results as JSON for the Node side
// to compare.
const [pemPath, pubPath, moduleURL] = Deno.args;
const { load } = await import(moduleURL);
const fs = await load();
const key = await fs.importPrivateKey(await Deno.readTextFile(pemPath), { keyPairId: "K1TESTKEY" });
const common = { key, expires: 1924992000, hashAlgorithm: "SHA256" }; // 2031-01-01
const single = await fs.signUrl({ url: "https://d111111abcdef8.cloudfront.net/videos/intro 1.mp4", ...common });
const batch = await fs.signUrls({
  urls: ["https://d111111abcdef8.cloudfront.net/a.ts", "https://d111111abcdef8.cloudfront.net/b.ts"],
  resource: "https://d111111abcdef8.cloudfront.net/*",
  ...common,
});
let code;
try {
  await fs.signUrl({ url: "https://d111111abcdef8.cloudfront.net/x", key, expires: Date.now() });
} catch (e) {
  code = e.code;
}
const verdict = await fs.verify({ url: single.signedUrl, publicKeys: { K1TESTKEY: await Deno.readTextFile(pubPath) } });
console.log(JSON.stringify({ single: single.signedUrl, batch: batch.map((b) => b.signedUrl), code, allowed: verdict.allowed }));
