// Benchmark (not a test): how fast the JS module starts in Node, against two
// anchors built in the same run (scripts/lean.sh): a Go js/wasm hello world
// and the baseline build (LEAN_BASE_DIR, the commit before the lean work).
//   - import + load(): frontsign.mjs imported and the Go program started,
//     beside the hello world's start (read, compile, instantiate, run main);
//   - load() + importPrivateKey + the first signUrl (RSA-2048, WebCrypto),
//     beside the baseline build doing the same;
//   - sequential `await signUrl`, 1,000 URLs, beside @aws-sdk/cloudfront-signer.
// Each start is a fresh `node` process timed from inside (performance.now()
// before the first import), so Node's own start is left out equally; the
// three take turns in each round. Ratios are per round; the report gives
// their median and range. Run by `./build.sh bench` (lean_bench).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { ROOT, MODULE_URL, RSA_PEM, KEY_ID } from "./helpers.mjs";

const ROUNDS = Number(process.env.LEAN_ROUNDS ?? 11);
const BASE = process.env.LEAN_BASE_DIR;
if (!BASE) throw new Error("LEAN_BASE_DIR: the baseline build's directory (scripts/lean.sh lean_base)");
const HELLO = join(ROOT, "dist", "lean");
const URL0 = "https://d111111abcdef8.cloudfront.net/videos/intro.mp4";

// Each script prints one JSON line of milliseconds.
const cpu = "const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };";
const helloScript = `${cpu}
const c0 = cpu(), t0 = performance.now();
await import(${JSON.stringify(pathToFileURL(join(HELLO, "wasm_exec.js")).href)});
const bytes = await process.getBuiltinModule("node:fs/promises").readFile(${JSON.stringify(join(HELLO, "hello.wasm"))});
const go = new Go();
const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), go.importObject);
await go.run(instance);
console.log(JSON.stringify({ start: performance.now() - t0, startCpu: cpu() - c0 }));`;
const moduleScript = (url) => `${cpu}
const c0 = cpu(), t0 = performance.now();
const { load } = await import(${JSON.stringify(url.href)});
const fs = await load();
const loaded = performance.now() - t0, loadedCpu = cpu() - c0;
const key = await fs.importPrivateKey(${JSON.stringify(RSA_PEM)}, { keyPairId: ${JSON.stringify(KEY_ID)} });
await fs.signUrl({ url: ${JSON.stringify(URL0)}, key, expires: 4102444800 });
console.log(JSON.stringify({ load: loaded, loadCpu: loadedCpu, first: performance.now() - t0, firstCpu: cpu() - c0, crypto: key.crypto }));`;

const run = (script) => {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim().split("\n");
  return JSON.parse(out.at(-1));
};
const sides = {
  hello: () => run(helloScript),
  now: () => run(moduleScript(MODULE_URL)),
  base: () => run(moduleScript(pathToFileURL(join(BASE, "dist", "npm", "frontsign.mjs")))),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const ms = (xs) => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;

for (const f of Object.values(sides)) f(); // warm the file cache
const got = { hello: [], now: [], base: [] };
const names = Object.keys(sides);
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(r + i) % names.length];
    got[name].push(sides[name]());
  }
}
const startRatio = got.now.map((s, i) => s.load / got.hello[i].start);
const firstRatio = got.now.map((s, i) => s.first / got.base[i].first);
const startCpuRatio = got.now.map((s, i) => s.loadCpu / got.hello[i].startCpu);
const firstCpuRatio = got.now.map((s, i) => s.firstCpu / got.base[i].firstCpu);

// Sequential signing beside the AWS SDK's signer (its documented use: the
// PEM string on every call), in this process, rounds interleaved.
const { load } = await import(MODULE_URL);
const fs = await load();
const key = await fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID });
const N = 1000;
const urls = Array.from({ length: N }, (_, i) => `https://d111111abcdef8.cloudfront.net/videos/${i}/segment.ts`);
const expires = Math.floor(Date.now() / 1000) + 3600;
const rate = async (fn) => { const t0 = performance.now(); await fn(); return N / ((performance.now() - t0) / 1000); };
const ours = async () => { for (const url of urls) await fs.signUrl({ url, key, expires }); };
const sdk = async () => { for (const url of urls) getSignedUrl({ url, keyPairId: KEY_ID, privateKey: RSA_PEM, dateLessThan: new Date(expires * 1000) }); };
await ours(); await sdk(); // warm-up
const seq = [];
for (let r = 0; r < 5; r++) {
  const [a, b] = r % 2 ? [await rate(sdk), await rate(ours)].reverse() : [await rate(ours), await rate(sdk)];
  seq.push(a / b);
}

console.log(`### Node ${process.version}: start and first signature (${ROUNDS} rounds, a fresh process each)\n`);
console.log("| measure | frontsign | anchor | ratio, median (range) | target |\n|---|---:|---:|---:|---|");
console.log(`| \`import\` + \`load()\` vs a Go js/wasm hello world's start | ${ms(got.now.map((s) => s.load))} | ${ms(got.hello.map((s) => s.start))} | **${median(startRatio).toFixed(2)}×** (${spread(startRatio)}) | ≤ 1.3× |`);
console.log(`| the same, CPU time of the process (all threads) | ${ms(got.now.map((s) => s.loadCpu))} | ${ms(got.hello.map((s) => s.startCpu))} | ${median(startCpuRatio).toFixed(2)}× (${spread(startCpuRatio)}) | |`);
console.log(`| \`load()\` + \`importPrivateKey\` + first \`signUrl\` (RSA, ${got.now[0].crypto}) vs the baseline build | ${ms(got.now.map((s) => s.first))} | ${ms(got.base.map((s) => s.first))} | **${median(firstRatio).toFixed(2)}×** (${spread(firstRatio)}) | ≤ 0.5× |`);
console.log(`| the same, CPU time of the process (all threads) | ${ms(got.now.map((s) => s.firstCpu))} | ${ms(got.base.map((s) => s.firstCpu))} | ${median(firstCpuRatio).toFixed(2)}× (${spread(firstCpuRatio)}) | |`);
console.log(`| sequential \`await signUrl\`, ${N} RSA URLs, signs/s vs @aws-sdk/cloudfront-signer (5 rounds) | | | **${median(seq).toFixed(2)}×** (${spread(seq)}) | ≥ 1.0× |`);
console.log();
process.exit(0);
