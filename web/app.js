// The offline signing page. It talks only to the frontsign JS module (the Go
// signer compiled to wasm); the private key lives in this page's memory as a
// module key handle and is never sent anywhere (the CSP's connect-src 'self'
// enforces that the page can only fetch its own files).
import { load } from "./frontsign.mjs";

const $ = (id) => document.getElementById(id);

// The access terms (expiry, start, IP, hash) are written once in
// <template id="terms"> and cloned into each form that needs them, with the
// form's id prefix in place of TERMS-.
for (const slot of document.querySelectorAll("[data-terms]")) {
  const terms = $("terms").content.cloneNode(true);
  for (const el of terms.querySelectorAll("[id], [for], [aria-describedby]")) {
    for (const attr of ["id", "for", "aria-describedby"]) {
      const value = el.getAttribute(attr);
      if (value) el.setAttribute(attr, value.replaceAll("TERMS-", `${slot.dataset.terms}-`));
    }
  }
  slot.replaceWith(terms);
}

// index.html's inline script has started fetching and compiling the wasm
// (self.frontsignWasm: a WebAssembly.Module, or undefined if that failed).
// Otherwise the wasm is fetched here, from next to the module; the build gives
// both hashed names and rewrites these references, so the page fetches
// exactly the file it was built with. Opened over plain http (other than
// localhost) the page has no crypto.subtle and gets the build that signs with
// Go's crypto.
const signer = Promise.resolve(globalThis.frontsignWasm).then((compiled) => load(compiled ?? (globalThis.crypto?.subtle
  ? new URL("./frontsign.wasm", import.meta.url)
  : new URL("./frontsign-gocrypto.wasm", import.meta.url))));

const status = $("status");
signer.then(
  () => {
    performance.mark("frontsign:ready");
    setStatus("Signer ready.", "ready");
  },
  (err) => setStatus(`The signer could not start: ${err.message}`, "failed"),
);

// Resolved when the first form's task has finished, well or not.
let firstTaskDone;
const firstTask = new Promise((resolve) => { firstTaskDone = resolve; });

function setStatus(text, cls) {
  status.textContent = text;
  status.className = `status ${cls}`;
}

// One polite live region for results and errors, so screen readers hear
// "Signed 3 URLs" or "1 problem: …" without the whole result being read.
const announcer = document.createElement("p");
announcer.className = "visually-hidden";
announcer.setAttribute("role", "status");
announcer.setAttribute("aria-live", "polite");
document.body.append(announcer);
function announce(text) {
  announcer.textContent = "";
  // A fresh text node on the next frame makes repeated messages announce again.
  requestAnimationFrame(() => { announcer.textContent = text; });
}

// ---------------------------------------------------------------- tabs
// The WAI-ARIA tabs pattern: one tab stop, arrows/Home/End move and activate.
const tabs = [...document.querySelectorAll('[role="tab"]')];
function selectTab(tab, focus) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  history.replaceState(null, "", `#${tab.id.slice(4)}`);
}
for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab, false));
  tab.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length], true);
  });
}
const initial = tabs.find((t) => `#${t.id.slice(4)}` === location.hash);
if (initial) selectTab(initial, false);

// ---------------------------------------------------------------- field errors
// Errors from the module carry a stable code, and a message that starts with
// the option at fault ("expires: …", "urls[2]: …") when there is one.
const shown = new Set();
function clearErrors(scope) {
  for (const el of [...shown]) {
    if (!scope.contains(el)) continue;
    el.hidden = true;
    el.textContent = "";
    shown.delete(el);
    const field = $(el.id.replace(/-error$/, ""));
    field?.removeAttribute("aria-invalid");
  }
}
function showError(fieldId, message, focus = true) {
  const box = $(`${fieldId}-error`);
  box.textContent = message;
  box.hidden = false;
  shown.add(box);
  const field = $(fieldId);
  if (field && field.tagName !== "P") {
    field.setAttribute("aria-invalid", "true");
    if (focus) field.focus();
  } else if (focus) {
    box.tabIndex = -1;
    box.focus();
  }
  announce(`Problem: ${message}`);
}

const keyCodes = new Set(["bad_key", "encrypted_key", "public_key_given", "unsupported_curve", "rsa_key_size"]);
const optionFields = { expires: "expires", notBefore: "notbefore", hashAlgorithm: "hash", ipAddress: "ip", resource: "resource", at: "at", ip: "ip", domain: "domain", path: "path", cookies: "cookies" };

// fieldFor names the input an error belongs to, in the form whose ids start
// with prefix; fields lists which of them that form has.
function fieldFor(err, prefix, fields) {
  const m = /^(\w+)(?:\[([^\]]*)\])?: /.exec(err.message ?? "");
  const option = m?.[1];
  if (option === "urls") return `${prefix}-urls`;
  if (option === "publicKeys") return `${prefix}-keys`;
  if (option && optionFields[option] && fields.includes(optionFields[option])) return `${prefix}-${optionFields[option]}`;
  const code = err.code;
  if (keyCodes.has(code)) return prefix === "inspect" ? "inspect-keys" : "key-pem";
  if (code === "bad_key_pair_id") return "key-id";
  const byCode = {
    bad_url: prefix === "cookies" ? "resource" : prefix === "playlist" ? "url" : "urls",
    reserved_param: prefix === "playlist" ? "url" : "urls",
    bad_playlist: "text",
    url_too_long: "urls",
    bad_resource: "resource",
    resource_mismatch: "resource",
    bad_time: /not.?before|start|DateGreaterThan/i.test(err.message) ? "notbefore" : (prefix === "inspect" ? "at" : "expires"),
    bad_ip: "ip",
    bad_hash: "hash",
    bad_cookie: /\bPath\b/.test(err.message) && !/Domain/.test(err.message) ? "path" : "domain",
  }[code];
  if (byCode === "urls" && prefix === "inspect") return "inspect-url";
  if (byCode && fields.includes(byCode)) return `${prefix}-${byCode}`;
  return `${prefix}-form`;
}

function reportError(err, prefix, fields) {
  let message = err.message ?? String(err);
  if (Number.isInteger(err.index)) message = `Line ${err.index + 1}: ${message.replace(/^urls\[\d+\]: /, "")}`;
  showError(fieldFor(err, prefix, fields), message);
}

// Runs a form's action with its button disabled, its old errors cleared and
// any error put next to its field.
function onSubmit(prefix, fields, action) {
  const form = $(`form-${prefix}`);
  const button = $(`${prefix}-submit`);
  button.disabled = false; // disabled in the HTML until this handler exists
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    clearErrors($("key-heading").parentElement);
    button.disabled = true;
    try {
      await action();
    } catch (err) {
      reportError(err, prefix, fields);
    } finally {
      button.disabled = false;
      firstTaskDone();
    }
  });
}

// ---------------------------------------------------------------- the key
// The PEM is imported once into the module; only the handle is kept. Nothing
// here stores the key (no localStorage, no IndexedDB, no cookies).
const pemField = $("key-pem");
const idField = $("key-id");
const keyState = $("key-state");
let keyHandle = null;
let keyFor = ""; // the pem+id the handle was made from
let importing = null;

async function currentKey() {
  const pem = pemField.value.trim();
  const id = idField.value.trim();
  const wanted = `${pem}\n${id}`;
  if (keyHandle && keyFor === wanted) return keyHandle;
  if (importing?.wanted === wanted) return importing.promise;
  const promise = (async () => {
    if (!pem) throw Object.assign(new Error("Paste or drop your private key (PEM) first."), { code: "bad_key" });
    if (!id) throw Object.assign(new Error("Enter the key ID CloudFront shows for the public key (K…)."), { code: "bad_key_pair_id" });
    const fs = await signer;
    const handle = await fs.importPrivateKey(pem, { keyPairId: id });
    forgetHandle();
    keyHandle = handle;
    keyFor = wanted;
    return handle;
  })();
  importing = { wanted, promise };
  try {
    const handle = await promise;
    keyState.textContent = `${handle.keyType} key loaded, ID ${handle.keyPairId} (signing with ${handle.crypto === "webcrypto" ? "WebCrypto" : "Go crypto"}).`;
    keyState.className = "keystate loaded";
    return handle;
  } catch (err) {
    keyState.textContent = "No key loaded.";
    keyState.className = "keystate";
    throw err;
  } finally {
    if (importing?.promise === promise) importing = null;
  }
}

function forgetHandle() {
  keyHandle?.free();
  keyHandle = null;
  keyFor = "";
}

// Check the key as soon as it is complete, so a wrong file is flagged at once.
let checkTimer = 0;
function checkKeySoon() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(async () => {
    const keySection = $("key-heading").parentElement;
    if (!/-----END [A-Z ]+-----/.test(pemField.value) || !idField.value.trim()) return;
    clearErrors(keySection);
    try {
      await currentKey();
    } catch (err) {
      showError(keyCodes.has(err.code) || err.code === "bad_key_pair_id" ? fieldFor(err, "key", []) : "key-pem", err.message, false);
    }
  }, 300);
}
pemField.addEventListener("input", checkKeySoon);
idField.addEventListener("input", checkKeySoon);

async function takeKeyFile(file) {
  if (!file) return;
  if (file.size > 64 * 1024) {
    showError("key-pem", `${file.name} is ${file.size} bytes; a private key PEM is under 4 kB. Choose the .pem file of the key.`);
    return;
  }
  pemField.value = await file.text();
  checkKeySoon();
  pemField.focus();
}
$("key-file").addEventListener("change", (e) => takeKeyFile(e.target.files[0]));
pemField.addEventListener("dragover", (e) => {
  e.preventDefault();
  pemField.classList.add("dragging");
});
pemField.addEventListener("dragleave", () => pemField.classList.remove("dragging"));
pemField.addEventListener("drop", (e) => {
  e.preventDefault();
  pemField.classList.remove("dragging");
  takeKeyFile(e.dataTransfer.files[0]);
});
$("key-forget").addEventListener("click", () => {
  forgetHandle();
  pemField.value = "";
  idField.value = "";
  $("key-file").value = "";
  keyState.textContent = "No key loaded.";
  keyState.className = "keystate";
  clearErrors($("key-heading").parentElement);
  announce("Key forgotten.");
  pemField.focus();
});

// ---------------------------------------------------------------- shared terms
// The module reads durations ("15m"), Unix seconds, dates and RFC 3339 itself;
// the page adds local date-times ("2026-12-31 18:00"), which people type.
function timeValue(text) {
  const s = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (!m) return s;
  const local = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? "00"}`);
  return Number.isNaN(local.getTime()) ? s : local;
}

function termsFrom(prefix) {
  const terms = { expires: timeValue($(`${prefix}-expires`).value) };
  const notBefore = $(`${prefix}-notbefore`).value.trim();
  if (notBefore) terms.notBefore = timeValue(notBefore);
  const ip = $(`${prefix}-ip`).value.trim();
  if (ip) terms.ipAddress = ip;
  const hash = $(`${prefix}-hash`).value;
  if (hash) terms.hashAlgorithm = hash;
  return terms;
}

const localFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });
function when(unixSeconds) {
  const d = new Date(unixSeconds * 1000);
  return `${localFormat.format(d)} (${d.toISOString().replace("T", " ").replace(".000Z", " UTC")})`;
}

function prettyPolicy(json) {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

function describe(signed) {
  const kind = signed.canned ? "canned policy" : "custom policy";
  return `${kind}, key ${signed.keyPairId}, ${signed.hashAlgorithm === "SHA256" ? "SHA-256" : "SHA-1"}; valid until ${when(signed.expires)}`;
}

function showResult(prefix, summary) {
  const result = $(`${prefix}-result`);
  result.hidden = false;
  const summaryLine = $(`${prefix}-summary`); // inspect's verdict is its own summary
  if (summaryLine) summaryLine.textContent = summary;
  result.focus();
  announce(summary);
}

// ---------------------------------------------------------------- sign URLs
const termFields = ["expires", "notbefore", "ip", "hash", "resource"];
onSubmit("sign", ["urls", ...termFields], async () => {
  const urls = $("sign-urls").value.split("\n").map((u) => u.trim()).filter(Boolean);
  if (urls.length === 0) {
    showError("sign-urls", "Give at least one URL, such as https://d111111abcdef8.cloudfront.net/video.mp4.");
    return;
  }
  const key = await currentKey();
  const fs = await signer;
  const opts = { key, ...termsFrom("sign") };
  const resource = $("sign-resource").value.trim();
  if (resource) opts.resource = resource;
  const signed = urls.length === 1 ? [await fs.signUrl({ url: urls[0], ...opts })] : await fs.signUrls({ urls, ...opts });
  $("sign-output").value = signed.map((s) => s.signedUrl).join("\n");
  $("sign-policy").textContent = prettyPolicy(signed[0].policy);
  performance.mark("frontsign:signed", { detail: { count: signed.length } });
  showResult("sign", `Signed ${signed.length} URL${signed.length === 1 ? "" : "s"}: ${describe(signed[0])}.`);
});

// ---------------------------------------------------------------- cookies
onSubmit("cookies", ["resource", "domain", "path", ...termFields], async () => {
  const resource = $("cookies-resource").value.trim();
  if (!resource) {
    showError("cookies-resource", "Give the URL or wildcard pattern the cookies unlock, such as https://media.example.com/videos/*.");
    return;
  }
  const key = await currentKey();
  const fs = await signer;
  const opts = { key, resource, ...termsFrom("cookies") };
  const domain = $("cookies-domain").value.trim();
  if (domain) opts.domain = domain;
  const path = $("cookies-path").value.trim();
  if (path) opts.path = path;
  const sameSite = $("cookies-samesite").value;
  if (sameSite) opts.sameSite = sameSite;
  const signed = await fs.signCookies(opts);
  $("cookies-output").value = signed.headers.map((h) => `Set-Cookie: ${h}`).join("\n");
  $("cookies-policy").textContent = prettyPolicy(signed.policy);
  showResult("cookies", `${signed.headers.length} cookies: ${describe(signed)}.`);
});

// ---------------------------------------------------------------- playlist
// Signs an HLS playlist or DASH MPD: one policy over the stream, its query
// after every URI inside it (package playlist, through the module).
const playlistText = $("playlist-text");
// A textarea turns CRLF into LF; a file's own bytes are kept and signed as
// long as the text shown is still that file's.
let playlistFile = null;
async function takePlaylistFile(file) {
  if (!file) return;
  const text = await file.text();
  playlistFile = { text, shown: text.replace(/\r\n?/g, "\n") };
  playlistText.value = text;
  announce(`Loaded ${file.name}.`);
}
$("playlist-file").addEventListener("change", (e) => takePlaylistFile(e.target.files[0]));
playlistText.addEventListener("dragover", (e) => {
  e.preventDefault();
  playlistText.classList.add("dragging");
});
playlistText.addEventListener("dragleave", () => playlistText.classList.remove("dragging"));
playlistText.addEventListener("drop", (e) => {
  e.preventDefault();
  playlistText.classList.remove("dragging");
  takePlaylistFile(e.dataTransfer.files[0]);
});

let signedPlaylist = null; // the last result, for the download button
onSubmit("playlist", ["text", "url", ...termFields], async () => {
  const playlist = playlistFile?.shown === playlistText.value ? playlistFile.text : playlistText.value;
  if (!playlist.trim()) {
    showError("playlist-text", "Paste or drop an HLS playlist (.m3u8) or a DASH MPD (.mpd).");
    return;
  }
  const url = $("playlist-url").value.trim();
  if (!url) {
    showError("playlist-url", "Give the playlist’s own URL, such as https://d111111abcdef8.cloudfront.net/videos/42/index.m3u8: its relative URIs are resolved against it.");
    return;
  }
  const key = await currentKey();
  const fs = await signer;
  const opts = { key, playlist, url, ...termsFrom("playlist") };
  const resource = $("playlist-resource").value.trim();
  if (resource) opts.resource = resource;
  const r = await fs.signPlaylist(opts);
  const name = new URL(url).pathname.split("/").pop() || (r.format === "dash" ? "manifest.mpd" : "index.m3u8");
  signedPlaylist = { text: r.playlist, name, type: r.format === "dash" ? "application/dash+xml" : "application/vnd.apple.mpegurl" };
  $("playlist-output").value = r.playlist;
  $("playlist-skipped").textContent = r.skipped.length === 0 ? "None."
    : r.skipped.map((k) => `line ${k.line} (${k.where}) ${k.uri}: ${k.reason}`).join("\n");
  $("playlist-policy").textContent = prettyPolicy(r.policy);
  const left = r.skipped.length === 0 ? "" : `, ${r.skipped.length} left unsigned (see below)`;
  showResult("playlist", `Signed ${r.signed} URI${r.signed === 1 ? "" : "s"} for ${r.resource}${left}: ${describe(r)}.`);
});
$("playlist-download").addEventListener("click", () => {
  if (!signedPlaylist) return;
  // A blob: URL is local to this page; downloading it sends nothing anywhere.
  const url = URL.createObjectURL(new Blob([signedPlaylist.text], { type: signedPlaylist.type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: signedPlaylist.name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  announce(`Signed playlist downloaded as ${signedPlaylist.name}.`);
});

// Says, as the user types, whether cookies set with this Domain reach the
// resource's host: the most common reason signed cookies "do nothing".
function domainVerdict() {
  const out = $("cookies-domain-verdict");
  let host = "";
  try {
    host = new URL($("cookies-resource").value.trim().replace(/\*/g, "x")).hostname;
  } catch {
    out.textContent = "";
    return;
  }
  const domain = $("cookies-domain").value.trim().replace(/^\./, "").toLowerCase();
  if (host.endsWith(".cloudfront.net")) {
    out.textContent = `${host} is a cloudfront.net name: only a page on ${host} itself could set cookies for it. Use an alternate domain name on the distribution, or signed URLs.`;
  } else if (!domain) {
    out.textContent = `Without Domain, the cookies reach only the host that sets them; set them from ${host}, or set Domain to a parent such as ${host.split(".").slice(-2).join(".")}.`;
  } else if (host === domain || host.endsWith(`.${domain}`)) {
    out.textContent = `Cookies with Domain=${domain} reach ${host}. Set them from a page under ${domain}.`;
  } else {
    out.textContent = `Cookies with Domain=${domain} never reach ${host}; use ${host} or a parent of it.`;
  }
}
$("cookies-resource").addEventListener("input", domainVerdict);
$("cookies-domain").addEventListener("input", domainVerdict);

// ---------------------------------------------------------------- inspect & verify
// "ID=-----BEGIN PUBLIC KEY-----…" blocks, as pasted from a key group.
function publicKeysFrom(text) {
  const keys = {};
  const re = /([A-Za-z0-9_-]+)\s*[=:]\s*(-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \3-----)/g;
  let m;
  while ((m = re.exec(text))) keys[m[1]] = m[2];
  if (text.trim() && Object.keys(keys).length === 0) {
    throw Object.assign(new Error("publicKeys: write each key as ID=PEM, e.g. K2JCJMDEHXQW5F=-----BEGIN PUBLIC KEY-----…-----END PUBLIC KEY-----"), { code: "bad_key" });
  }
  return keys;
}

// A Cookie header ("a=1; b=2"), or Set-Cookie lines whose attributes are dropped.
function cookiesFrom(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return undefined;
  if (lines.length === 1 && !/^set-cookie:/i.test(lines[0])) return lines[0].replace(/^cookie:\s*/i, "");
  return lines.map((l) => {
    const pair = l.replace(/^set-cookie:\s*/i, "").split(";")[0];
    const eq = pair.indexOf("=");
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
  });
}

const reasons = {
  malformed_url: "the URL is not readable",
  missing_parameter: "a signing parameter is missing",
  malformed_policy: "the policy is not readable",
  unknown_key: "the key ID is not trusted",
  hash_mismatch: "the hash algorithm does not match the signature",
  bad_signature: "the signature does not verify",
  expired: "the URL has expired",
  not_yet_valid: "the URL is not valid yet",
  ip_mismatch: "the viewer IP is outside the allowed range",
  resource_mismatch: "the URL does not match the policy's resource",
};

onSubmit("inspect", ["url", "keys", "cookies", "at", "ip"], async () => {
  const url = $("inspect-url").value.trim();
  if (!url) {
    showError("inspect-url", "Paste the signed URL (or the URL the cookies were sent with).");
    return;
  }
  const fs = await signer;
  const cookies = cookiesFrom($("inspect-cookies").value);
  const publicKeys = publicKeysFrom($("inspect-keys").value);
  const verdict = $("inspect-verdict");
  let inspection;
  let notes = [];
  if (Object.keys(publicKeys).length > 0) {
    const opts = { url, publicKeys };
    if (cookies) opts.cookies = cookies;
    const at = $("inspect-at").value.trim();
    if (at) opts.at = timeValue(at);
    const ip = $("inspect-ip").value.trim();
    if (ip) opts.ip = ip;
    const d = await fs.verify(opts);
    inspection = d.inspection;
    notes = d.notes;
    verdict.className = `verdict ${d.allowed ? "allowed" : "denied"}`;
    verdict.textContent = d.allowed
      ? "Allowed: CloudFront would serve this request."
      : `Denied (${d.reason}): ${reasons[d.reason] ?? d.reason}. ${d.detail}`;
  } else {
    try {
      inspection = fs.inspect(url, cookies);
    } catch (err) {
      if (!reasons[err.code]) throw err;
      inspection = null;
      verdict.className = "verdict denied";
      verdict.textContent = `Denied (${err.code}): ${reasons[err.code]}. ${err.message}`;
    }
    const problem = inspection?.problem;
    if (problem) {
      verdict.className = "verdict denied";
      verdict.textContent = `Denied (${problem.code}): ${reasons[problem.code] ?? problem.code}. ${problem.message}`;
    } else if (inspection) {
      verdict.className = "verdict unchecked";
      verdict.textContent = "Decoded, signature not checked: add the public key to get CloudFront’s verdict.";
    }
  }
  renderInspection(inspection, notes);
  showResult("inspect", verdict.textContent);
});

function renderInspection(inspection, notes) {
  const dl = $("inspect-details");
  dl.replaceChildren();
  const row = (term, value) => {
    if (value === undefined || value === "") return;
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    dl.append(dt, dd);
  };
  const p = inspection?.policy;
  if (inspection) {
    // The module decodes what it can; the part it could not read shows why, in its place.
    const problem = inspection.problem;
    const part = (name, value) => (problem?.part === name ? `unreadable: ${problem.message}` : value);
    row("Signed", inspection.source === "cookies" ? "with cookies" : "in the URL");
    row("URL", inspection.url);
    row("Key ID", part("keyPairId", inspection.keyPairId));
    if (p || problem?.part === "policy") row("Policy", part("policy", inspection.canned ? "canned (Expires)" : "custom (Policy)"));
    row("Hash", part("hashAlgorithm", inspection.hashAlgorithm === "SHA256" ? "SHA-256" : "SHA-1"));
    row("Signature", part("signature", inspection.signatureKind));
  }
  if (p) {
    row("Resource", p.resource || "(none: any URL)");
    row("Valid from", p.notBefore ? when(p.notBefore) : "(no start)");
    row("Valid until", when(p.expires));
    row("Viewer IP", p.ipAddress);
  }
  const list = $("inspect-notes");
  list.replaceChildren(...(notes ?? []).map((n) => Object.assign(document.createElement("li"), { textContent: n })));
  $("inspect-policy").textContent = inspection?.policyJson ? prettyPolicy(inspection.policyJson) : "(nothing decoded)";
}

// ---------------------------------------------------------------- key pair
let generated = null; // the last generated pair; kept only until the page closes
onSubmit("keygen", [], async () => {
  const type = document.querySelector('input[name="keygen-type"]:checked').value;
  const fs = await signer;
  generated = await fs.generateKeyPair(type);
  $("keygen-public").value = generated.publicKeyPem;
  showResult("keygen", `New ${generated.keyType} key pair ready. Download the private key, then copy the public key.`);
});

$("keygen-download").addEventListener("click", () => {
  if (!generated) return;
  // A blob: URL is local to this page; downloading it sends nothing anywhere.
  const url = URL.createObjectURL(new Blob([generated.privateKeyPem], { type: "application/x-pem-file" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: "private_key.pem" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  announce("Private key downloaded as private_key.pem.");
});
$("keygen-use").addEventListener("click", () => {
  if (!generated) return;
  pemField.value = generated.privateKeyPem;
  idField.value = "";
  idField.focus();
  announce("Key copied into the key field. Enter the ID CloudFront shows for the public key.");
});

// ---------------------------------------------------------------- copy buttons
for (const button of document.querySelectorAll("button.copy")) {
  button.addEventListener("click", async () => {
    const field = $(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
      announce("Copied.");
    } catch {
      field.select(); // no clipboard permission: leave it selected for Ctrl+C
      announce("Selected; press Ctrl+C to copy.");
    }
  });
}

// ---------------------------------------------------------------- offline
// The service worker caches this build's files, so the page signs offline
// after one visit. Its install downloads every file of the build, the wasm
// again included, so it is registered only once the signer has started and
// then the first task is done or a second has passed: on a first visit it
// takes no bandwidth or CPU from the first signature.
// Under Trusted Types the script URL must come from a policy.
if ("serviceWorker" in navigator) {
  signer.catch(() => {})
    .then(() => Promise.race([firstTask, new Promise((resolve) => setTimeout(resolve, 1000))]))
    .then(registerServiceWorker);
}

function registerServiceWorker() {
  const policy = globalThis.trustedTypes?.createPolicy("frontsign-sw", {
    createScriptURL: (u) => {
      if (u !== "./sw.js") throw new TypeError(`unexpected service worker ${u}`);
      return u;
    },
  });
  const swURL = policy ? policy.createScriptURL("./sw.js") : "./sw.js";
  navigator.serviceWorker.register(swURL, { scope: "./" }).then(
    () => navigator.serviceWorker.ready,
  ).then(async () => {
    await signer;
    setStatus("Signer ready. This page now works offline.", "ready");
  }, (err) => {
    // Offline use is a bonus: signing works without it.
    console.warn("service worker not registered:", err);
  });
}
