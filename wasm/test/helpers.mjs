// Shared by the module's Node tests and benchmark. Uses only node:fs,
// node:path, node:child_process and globalThis.crypto (never node:crypto).
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The package under test: dist/npm, or (FRONTSIGN_PACKAGE) a directory where
// the packed .tgz was extracted, as scripts/bundlers.sh runs these tests again.
export const DIST = process.env.FRONTSIGN_PACKAGE ?? join(ROOT, "dist", "npm");
export const MODULE_URL = new URL(`file://${join(DIST, "frontsign.mjs")}`);
export const testdata = (name) => readFileSync(join(ROOT, "testdata", name), "utf8");

// Test keys from testdata (public test vectors, never used anywhere real).
export const RSA_PEM = testdata("awscli-legacy-rsa2048-pkcs8.pem");
export const EC_PEM = testdata("sep-ecdsa-p256.pem");
export const KEY_ID = "K2JCJMDEHXQW5F";

/** A temporary directory removed at exit. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Builds the native CLI once into dir and returns a function running it. */
export function nativeCLI(dir) {
  const bin = join(dir, "frontsign");
  execFileSync("go", ["build", "-o", bin, "./cmd/frontsign"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  return (args, input) => JSON.parse(execFileSync(bin, args, { input, encoding: "utf8" }));
}

/** CloudFront base64 (+ → -, = → _, / → ~) to bytes. */
export function decodeCloudFrontBase64(s) {
  return Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/")), (c) => c.charCodeAt(0));
}

export function pemBody(pem) {
  return Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

export function toPEM(type, der) {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN ${type}-----\n${b64.match(/.{1,64}/g).join("\n")}\n-----END ${type}-----\n`;
}

/** ECDSA DER SEQUENCE{r, s} → the P1363 r‖s WebCrypto verifies (P-256: 32 bytes each). */
export function derToP1363(der, size = 32) {
  let i = 0;
  const take = (tag) => {
    if (der[i++] !== tag) throw new Error("not DER");
    let len = der[i++];
    if (len & 0x80) { const n = len & 0x7f; len = 0; for (let k = 0; k < n; k++) len = (len << 8) | der[i++]; }
    const body = der.subarray(i, i + len);
    i += len;
    return body;
  };
  const seq = take(0x30);
  if (i !== der.length) throw new Error("trailing bytes after DER signature");
  i = 0;
  der = seq;
  const out = new Uint8Array(2 * size);
  for (const half of [0, 1]) {
    let n = take(0x02);
    while (n.length > size && n[0] === 0) n = n.subarray(1);
    out.set(n, (half + 1) * size - n.length);
  }
  return out;
}

/** Reads the signing parameters of a signed URL. */
export function queryParams(signedUrl) {
  return Object.fromEntries(signedUrl.split("?").slice(1).join("?").split("&").map((kv) => kv.split("=")));
}
