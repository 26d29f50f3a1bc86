// Type-checked by scripts/bundlers.sh with tsc --strict --noEmit, under
// TypeScript 7 and 5.9, moduleResolution bundler, node16 and nodenext, with
// the DOM lib and without it (a Node project: es2022 + @types/node). Uses
// every export; each @ts-expect-error line must fail, so a declaration that
// decays to `any` or loses a union member fails this check.
import {
  load, FrontsignError,
  type Frontsign, type TimeInput, type WasmSource, type WasmModule, type HashAlgorithm, type KeyType,
  type ErrorCode, type VerifyReason, type PrivateKeyHandle, type ImportKeyOptions, type Terms,
  type SignUrlOptions, type SignUrlsOptions, type Signed, type SignedUrl, type SignCookiesOptions,
  type Cookie, type SignedCookies, type CookiesInput, type VerifyOptions, type Inspection,
  type Decision, type KeyPair,
} from "frontsign";
import wasm from "frontsign/frontsign.wasm";

declare const compiled: WasmModule; // a WebAssembly.Module where a lib declares one (check.dom.ts)
const sources: WasmSource[] = [wasm, compiled, "/frontsign.wasm", new URL("file:///x.wasm"), new ArrayBuffer(8), new Uint8Array(8), new Response("")];
const fs: Frontsign = await load(sources[0]);
await load();
// @ts-expect-error null is no source
await load(null);

const pair: KeyPair = await fs.generateKeyPair("ecdsa");
// @ts-expect-error only "rsa" and "ecdsa"
await fs.generateKeyPair("dsa");
const importOptions: ImportKeyOptions = { keyPairId: "K2JCJMDEHXQW5F", crypto: "auto", allowLegacyRsaSize: false };
const key: PrivateKeyHandle = await fs.importPrivateKey(pair.privateKeyPem, importOptions);
// @ts-expect-error the key pair ID is required
await fs.importPrivateKey(pair.privateKeyPem);
const keyType: KeyType = key.keyType;
const crypto: "webcrypto" | "go" = key.crypto;

const expires: TimeInput = new Date(Date.now() + 60_000);
const hash: HashAlgorithm = "SHA256";
const terms: Terms = { key, expires, notBefore: "2026-01-01", ipAddress: "192.0.2.0/24", hashAlgorithm: hash, now: 1_800_000_000 };
const one: SignUrlOptions = { ...terms, url: new URL("https://d111111abcdef8.cloudfront.net/a.mp4") };
const signed: SignedUrl = await fs.signUrl(one);
// @ts-expect-error a typo is not an option
await fs.signUrl({ url: "https://d111111abcdef8.cloudfront.net/a", key, expiresAt: 5 });
const many: SignUrlsOptions = { key, expires: "15m", urls: ["https://d111111abcdef8.cloudfront.net/a", new URL("https://d111111abcdef8.cloudfront.net/b")] };
const batch: SignedUrl[] = await fs.signUrls(many);
const base: Signed = batch[0];

const byResource: SignCookiesOptions = { key, expires: "1h", resource: "https://d111111abcdef8.cloudfront.net/videos/*", sameSite: "Lax", cookieExpires: "1h" };
const byUrl: SignCookiesOptions = { key, expires: "1h", url: "https://d111111abcdef8.cloudfront.net/videos/a.mp4", domain: "d111111abcdef8.cloudfront.net", path: "/videos", secure: true, httpOnly: true };
const cookies: SignedCookies = await fs.signCookies(Math.random() < 0.5 ? byResource : byUrl);
// @ts-expect-error cookies need a url or a resource
await fs.signCookies({ key, expires: "1h" });
const cookie: Cookie = cookies.cookies[0];
const sent: CookiesInput = cookies.cookies.map(({ name, value }) => ({ name, value }));

const verifyOptions: VerifyOptions = { url: signed.signedUrl, cookies: sent, publicKeys: { [key.keyPairId]: pair.publicKeyPem }, at: "1h", ip: "192.0.2.1" };
const decision: Decision = await fs.verify(verifyOptions);
const reason: VerifyReason | "" = decision.reason;
const inspection: Inspection = fs.inspect(signed.signedUrl, "CloudFront-Policy=x");
key.free();

try {
  await fs.signUrl({ url: "ftp://x", key, expires });
} catch (err) {
  if (err instanceof FrontsignError) {
    const code: ErrorCode = err.code;
    const index: number | undefined = err.index;
    // @ts-expect-error not an error code
    if (code === "no_such_code") throw err;
    console.log(code, index, err.message);
  }
}
console.log(keyType, crypto, base.canned, cookie.path, reason, inspection.source, signed.expires, byUrl);
