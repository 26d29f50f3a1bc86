// The comparison point for worker/bench: a minimal plain-JavaScript Worker
// doing the same signing as the Go worker's POST /v1/sign, and nothing else
// (no token check, no scope check). The private keys (env.RSA_KEY,
// env.EC_KEY, PKCS#8 PEM) are imported once per isolate; each URL gets a
// canned policy, a WebCrypto signature (SHA-1; ECDSA converted from P1363
// to DER as CloudFront wants) and CloudFront's base64. Route: POST
// /v1/sign?key=rsa|ec with {"url": …} or {"urls": [...]}.
// With env.AUDIT set it also writes one JSON audit line per request, as the
// Go worker must (BENCH_PLAIN_AUDIT=1): under wrangler dev a console.log
// costs about a millisecond of CPU, so this isolates that share of the gap.
const keys = new Map(); // "rsa" | "ec" → Promise<CryptoKey>

function importKey(kind, pem) {
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));
  const alg = kind === "rsa" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" } : { name: "ECDSA", namedCurve: "P-256" };
  return crypto.subtle.importKey("pkcs8", der, alg, false, ["sign"]);
}

// p1363ToDER turns WebCrypto's r‖s into an ASN.1 DER SEQUENCE of two INTEGERs.
function p1363ToDER(sig) {
  const int = (b) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    b = b.subarray(i);
    return b[0] & 0x80 ? [0x02, b.length + 1, 0, ...b] : [0x02, b.length, ...b];
  };
  const body = [...int(sig.subarray(0, 32)), ...int(sig.subarray(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}

// CloudFront's base64: + → -, = → _, / → ~.
function cfBase64(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/[+=/]/g, (c) => ({ "+": "-", "=": "_", "/": "~" })[c]);
}

async function signURL(kind, key, keyPairId, url, expires) {
  const policy = `{"Statement":[{"Resource":"${url}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
  const alg = kind === "rsa" ? { name: "RSASSA-PKCS1-v1_5" } : { name: "ECDSA", hash: "SHA-1" };
  let sig = new Uint8Array(await crypto.subtle.sign(alg, key, new TextEncoder().encode(policy)));
  if (kind === "ec") sig = p1363ToDER(sig);
  const sep = url.includes("?") ? "&" : "?";
  return { signedUrl: `${url}${sep}Expires=${expires}&Signature=${cfBase64(sig)}&Key-Pair-Id=${keyPairId}`, expires, keyPairId };
}

export default {
  async fetch(request, env) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === "/v1/health") return Response.json({ status: "ok" });
    if (pathname !== "/v1/sign" || request.method !== "POST") return new Response("not found", { status: 404 });
    const kind = searchParams.get("key") === "ec" ? "ec" : "rsa";
    if (!keys.has(kind)) keys.set(kind, importKey(kind, kind === "rsa" ? env.RSA_KEY : env.EC_KEY));
    const key = await keys.get(kind);
    const body = await request.json();
    const expires = Math.floor(Date.now() / 1000) + 300;
    const keyPairId = kind === "rsa" ? env.RSA_KEY_ID : env.EC_KEY_ID;
    const results = await Promise.all((body.urls ?? [body.url]).map((u) => signURL(kind, key, keyPairId, u, expires)));
    if (env.AUDIT) {
      console.log(results.map((r) => JSON.stringify({ kind: "url", requestId: request.headers.get("cf-ray"), resource: r.signedUrl.split("?")[0], expires, keyPairId })).join("\n"));
    }
    return Response.json(body.urls ? results : results[0]);
  },
};
