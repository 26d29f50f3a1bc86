// Types for frontsign, the CloudFront signer compiled to WebAssembly.
// Every rejected call throws a FrontsignError whose `code` is stable.
//
// Option names, beside @aws-sdk/cloudfront-signer and the frontsign worker's
// HTTP API (/v1/sign, /v1/cookies). The same word means the same thing in all
// three; where the words differ, so does what they take:
//   frontsign      AWS SDK                    worker          why
//   url            url                        url             the same: one URL to sign
//   resource       (policy JSON / url)        resource        a URL or wildcard pattern; the SDK takes it as url or inside a policy
//   expires        dateLessThan               expiresAt/expiresIn   a Date, Unix seconds or a duration; the worker splits absolute and relative
//   notBefore      dateGreaterThan            notBefore       the same
//   ipAddress      ipAddress                  ip              the worker's ip also takes "client" (the caller's address)
//   key            privateKey + keyPairId     (server's key)  a key is imported once (importPrivateKey), not parsed per call
//   hashAlgorithm  (SHA1 only)                hashAlgorithm   the same
// In verify(), `ip` is the viewer's address (a request fact), not a policy
// condition, hence not `ipAddress`.

// The types below come from whatever libs the project has (DOM, @types/node,
// @cloudflare/workers-types), so that a project without the DOM lib still
// type-checks; a class missing from every lib is simply not accepted.
type InstanceOf<C> = C extends abstract new (...args: any) => infer T ? T : never;
type GlobalInstance<K extends string> = typeof globalThis extends { [P in K]: infer C } ? InstanceOf<C> : never;
/** A compiled WebAssembly.Module. */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: infer C } } ? InstanceOf<C> : never;
type URLLike = GlobalInstance<"URL">;
type ResponseLike = GlobalInstance<"Response">;

/** A time: a Date, Unix **seconds** (milliseconds are refused with code "bad_time"),
 * or a string: a duration from now ("15m", "24h", "7d"), Unix seconds, RFC 3339
 * ("2026-01-01T18:00:00Z") or a date ("2026-01-01", 00:00 UTC). */
export type TimeInput = Date | number | string;

/** Where the .wasm comes from; see load(). */
export type WasmSource = string | URLLike | ResponseLike | ArrayBuffer | ArrayBufferView | WasmModule;

export type HashAlgorithm = "SHA1" | "SHA256";
export type KeyType = "RSA" | "ECDSA";

/** Stable error codes: the signer core's, the verifier's reasons (from inspect),
 * and the module's own (bad_argument, load_failed, webcrypto_unavailable, internal). */
export type ErrorCode =
  | "bad_url" | "reserved_param" | "url_too_long" | "bad_resource" | "resource_mismatch"
  | "bad_time" | "bad_ip" | "bad_hash" | "bad_key" | "encrypted_key" | "public_key_given"
  | "unsupported_curve" | "rsa_key_size" | "bad_key_pair_id" | "bad_policy" | "bad_encoding"
  | "bad_cookie" | "signer_failed" | "bad_playlist"
  | VerifyReason
  | "bad_argument" | "load_failed" | "webcrypto_unavailable" | "internal";

/** Why CloudFront would refuse a request. */
export type VerifyReason =
  | "malformed_url" | "missing_parameter" | "malformed_policy" | "unknown_key" | "hash_mismatch"
  | "bad_signature" | "expired" | "not_yet_valid" | "ip_mismatch" | "resource_mismatch";

/** The error every function throws. `message` says what was wrong and how to fix it;
 * it never contains key material. */
export class FrontsignError extends Error {
  readonly name: "FrontsignError";
  readonly code: ErrorCode;
  /** signUrls only: the index of the URL that failed. */
  readonly index?: number;
}

/** An imported private key. The parsed key stays inside the module; this handle
 * only refers to it. */
export interface PrivateKeyHandle {
  readonly keyPairId: string;
  readonly keyType: KeyType;
  /** Which crypto signs: WebCrypto (crypto.subtle, non-extractable key) or Go's. */
  readonly crypto: "webcrypto" | "go";
  /** Forget the key now (it is also forgotten when the handle is garbage-collected). */
  free(): void;
}

export interface ImportKeyOptions {
  /** The CloudFront public key ID (K…) or legacy key pair ID (APKA…). */
  keyPairId: string;
  /** "auto" (default): WebCrypto when crypto.subtle exists, else Go. "go" needs
   * frontsign-gocrypto.wasm passed to load(); frontsign.wasm has no Go crypto. */
  crypto?: "auto" | "webcrypto" | "go";
  /** Accept RSA keys other than 2048 bits (legacy key pairs, test vectors); key groups refuse them. */
  allowLegacyRsaSize?: boolean;
}

/** What a signature grants. A start time, an IP range, a wildcard, or a resource
 * other than the URL selects a custom policy; otherwise the policy is canned. */
export interface Terms {
  key: PrivateKeyHandle;
  /** When access ends (DateLessThan). Required; must be in the future. */
  expires: TimeInput;
  /** When access starts (DateGreaterThan). */
  notBefore?: TimeInput;
  /** IPv4 address or CIDR range viewers must come from (IPv6 is refused: CloudFront does not support it). */
  ipAddress?: string;
  /** URL or wildcard pattern covered, e.g. "https://d111111abcdef8.cloudfront.net/videos/42/*". */
  resource?: string;
  /** Default: SHA1 for RSA, SHA256 for ECDSA. SHA256 adds Hash-Algorithm=SHA256. */
  hashAlgorithm?: HashAlgorithm | "sha1" | "sha256" | "SHA-1" | "SHA-256";
  /** The signing time (default: the clock); for reproducible tests. */
  now?: TimeInput;
}

export interface SignUrlOptions extends Terms {
  /** The URL to sign; it is put in canonical form (the string a browser will request) first. */
  url: string | URLLike;
}

export interface SignUrlsOptions extends Terms {
  urls: Array<string | URLLike>;
}

export interface Signed {
  /** The policy JSON that was signed. */
  policy: string;
  /** Expiry, Unix seconds. */
  expires: number;
  keyPairId: string;
  hashAlgorithm: HashAlgorithm;
  /** Canned (Expires=) rather than custom (Policy=). */
  canned: boolean;
  /** The policy's resource: the URL itself, or the pattern it covers. */
  resource: string;
  /** The expiry in RFC 3339. */
  expiresAt: string;
}

export interface SignedUrl extends Signed {
  signedUrl: string;
}

export interface SignPlaylistOptions extends Terms {
  /** The HLS playlist (master or media) or DASH MPD, as text. */
  playlist: string;
  /** The playlist's own URL, against which its relative URIs are resolved. The
   * resource defaults to its directory plus "*" (https://host/videos/42/*). */
  url: string | URLLike;
}

/** A URI left as it was: outside the resource, or written so that a player might read it differently. */
export interface SkippedUri {
  line: number;
  /** The tag and attribute, "segment", "variant stream", "SegmentTemplate@media", … */
  where: string;
  uri: string;
  reason: string;
}

export interface SignedPlaylist extends Signed {
  /** The input with the signed query after every URI inside `resource`, and nothing else changed. */
  playlist: string;
  format: "hls" | "dash";
  /** The policy resource signed (one signature for the whole playlist). */
  resource: string;
  /** How many URIs got the query. */
  signed: number;
  skipped: SkippedUri[];
}

interface CookieTerms extends Terms {
  /** Cookie Domain; the CloudFront host must be it or under it (not "cloudfront.net"). Default: host-only. */
  domain?: string;
  /** Cookie Path; default "/". */
  path?: string;
  sameSite?: "Strict" | "Lax" | "None" | "strict" | "lax" | "none";
  /** Default true. */
  secure?: boolean;
  /** Default true. */
  httpOnly?: boolean;
  /** Makes the cookies persistent until this time; default: session cookies. */
  cookieExpires?: TimeInput;
}

/** What the cookies unlock: `resource`, a URL or wildcard pattern; or `url`, one URL
 * (as in the worker's /v1/cookies and the AWS SDK's getSignedCookies), made canonical
 * and then signed as the resource. Given both, `url` must match `resource`. */
export type SignCookiesOptions =
  | (CookieTerms & { resource: string; url?: string | URLLike })
  | (CookieTerms & { url: string | URLLike; resource?: string });

export interface Cookie {
  name: string;
  value: string;
  domain?: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: "Strict" | "Lax" | "None";
  /** Unix seconds; absent for session cookies. */
  expires?: number;
}

export interface SignedCookies extends Signed {
  cookies: Cookie[];
  /** One Set-Cookie header value per cookie. */
  headers: string[];
}

/** Cookies sent with a request: a Cookie header value, {name: value}, or [{name, value}]. */
export type CookiesInput = string | Record<string, string> | Array<{ name: string; value: string }>;

export interface VerifyOptions {
  /** The URL as the viewer requests it (signed, or plain with signed cookies). */
  url: string | URLLike;
  cookies?: CookiesInput;
  /** Trusted public keys by ID, as in the distribution's key groups (PEM: PUBLIC KEY, certificate, or a private key). */
  publicKeys: Record<string, string>;
  /** Request time; default now. */
  at?: TimeInput;
  /** Viewer IP; without it an IP condition is not checked (and notes say so). */
  ip?: string;
}

export interface Inspection {
  source: "url" | "cookies";
  /** The URL without signing parameters. */
  url: string;
  keyPairId: string;
  hashAlgorithm: HashAlgorithm | "";
  canned: boolean;
  policy: { resource: string; expires: number; notBefore?: number; ipAddress?: string } | null;
  policyJson: string;
  /** E.g. "RSA-2048 with SHA-1 (PKCS#1 v1.5)". */
  signatureKind: string;
  /** Human-readable summary, times in UTC and relative to now; the part
   * named by `problem` shows the problem in its place. */
  summary: string;
  /** What makes the request unreadable to CloudFront, and in which part;
   * null when it was read whole. The other parts are decoded all the same. */
  problem: { code: VerifyReason; message: string; part: "keyPairId" | "signature" | "hashAlgorithm" | "policy" } | null;
}

export interface Decision {
  allowed: boolean;
  /** "" when allowed. */
  reason: VerifyReason | "";
  /** What is wrong and how to fix it; "" when allowed. */
  detail: string;
  notes: string[];
  /** null when the URL could not be read. */
  inspection: Inspection | null;
}

export interface KeyPair {
  /** PKCS#8 PEM: keep it secret. */
  privateKeyPem: string;
  /** PUBLIC KEY PEM, for the CloudFront console. */
  publicKeyPem: string;
  keyType: KeyType;
}

export interface Frontsign {
  importPrivateKey(pem: string, options: ImportKeyOptions): Promise<PrivateKeyHandle>;
  signUrl(options: SignUrlOptions): Promise<SignedUrl>;
  /** Signs every URL with the same terms; results are in input order. */
  signUrls(options: SignUrlsOptions): Promise<SignedUrl[]>;
  signCookies(options: SignCookiesOptions): Promise<SignedCookies>;
  /** Signs an HLS playlist or DASH MPD: one custom policy over the stream, its
   * query appended to every URI inside the resource (segments, keys, init
   * sections, child playlists, SegmentTemplate@media). docs/streaming.md. */
  signPlaylist(options: SignPlaylistOptions): Promise<SignedPlaylist>;
  /** CloudFront's decision on a request, with the reason. */
  verify(options: VerifyOptions): Promise<Decision>;
  /** Decodes a signed URL or cookies without keys, as far as they can be read:
   * a missing or malformed part is named in `problem` (missing_parameter,
   * malformed_policy, …). Throws malformed_url when the URL cannot be read. */
  inspect(url: string | URLLike, cookies?: CookiesInput): Inspection;
  generateKeyPair(type: "rsa" | "ecdsa"): Promise<KeyPair>;
}

/**
 * Loads and starts the module once; later calls return the same instance and
 * ignore `source`. Without `source` the .wasm next to this module is used
 * (fetched in browsers and Deno, read from disk in Node): frontsign.wasm, which
 * signs with WebCrypto, or frontsign-gocrypto.wasm, which carries Go's crypto,
 * where crypto.subtle is missing (a page on plain http). In Cloudflare Workers
 * pass the imported module (import wasm from "frontsign/frontsign.wasm"), or
 * import "frontsign", whose workerd entry does it for you.
 */
export function load(source?: WasmSource): Promise<Frontsign>;
export {}; // only the declarations marked export are the API
