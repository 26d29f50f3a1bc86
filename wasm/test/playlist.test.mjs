// signPlaylist in Node, on the built package (dist/npm): byte-identical to
// the native CLI's `frontsign playlist` with the same RSA key and time (RSA
// PKCS#1 v1.5 signatures are deterministic), for HLS with CRLF and for a
// DASH MPD; every signed URI verifies; refusals and errors have their codes.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MODULE_URL, RSA_PEM, EC_PEM, KEY_ID, tempDir, nativeCLI } from "./helpers.mjs";

const { load } = await import(MODULE_URL);
const fs = await load();
const rsa = await fs.importPrivateKey(RSA_PEM, { keyPairId: KEY_ID });
const ec = await fs.importPrivateKey(EC_PEM, { keyPairId: KEY_ID });

const NOW = "2026-11-26T00:00:00Z";
const EXPIRES = "2026-11-26T01:00:00Z";
const BASE = "https://d111111abcdef8.cloudfront.net/videos/42/";
const HLS = "#EXTM3U\r\n#EXT-X-TARGETDURATION:6\r\n# comment\r\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\"\r\n#EXT-X-MAP:URI=\"init.mp4\"\r\n" +
  "#EXTINF:6,\r\nseg-1.m4s\r\n#EXTINF:6,\r\nseg-2.m4s?x=1\r\n#EXTINF:6,\r\n../43/seg.m4s\r\n#EXT-X-ENDLIST\r\n";
const MPD = `<?xml version="1.0"?>\n<MPD type="static" mediaPresentationDuration="PT12S"><Period><AdaptationSet><SegmentTemplate initialization="init-$RepresentationID$.m4s" media="chunk-$RepresentationID$-$Number%05d$.m4s"/><Representation id="0"/></AdaptationSet></Period></MPD>\n`;

let cli, dir;
before(() => { dir = tempDir("frontsign-playlist-"); cli = nativeCLI(dir); });

for (const [name, text, url] of [["HLS with CRLF", HLS, `${BASE}index.m3u8`], ["DASH", MPD, `${BASE}manifest.mpd`]]) {
  test(`signPlaylist is byte-identical to frontsign playlist: ${name}`, async () => {
    const file = join(dir, name.replace(/\W/g, "_"));
    writeFileSync(file, text);
    const want = cli(["playlist", file, "--url", url, "--key-pair-id", KEY_ID, "--private-key", "-", "--date-less-than", EXPIRES, "--now", NOW, "--json"], RSA_PEM);
    const got = await fs.signPlaylist({ playlist: text, url, key: rsa, expires: new Date(EXPIRES), now: NOW });
    assert.equal(got.playlist, want.playlist);
    assert.equal(got.resource, `${BASE}*`);
    assert.equal(got.signed, want.signed);
    assert.deepEqual(got.skipped, want.skipped);
    assert.equal(got.format, want.format);
    assert.equal(got.policy, want.policy);
    assert.equal(got.expires, Date.parse(EXPIRES) / 1000);
  });
}

test("signPlaylist: every signed URI verifies; the one outside is left and reported", async () => {
  const pair = await fs.generateKeyPair("ecdsa");
  const key = await fs.importPrivateKey(pair.privateKeyPem, { keyPairId: "KPLAYLIST" });
  const r = await fs.signPlaylist({ playlist: HLS, url: `${BASE}index.m3u8`, key, expires: "1h" });
  assert.equal(r.signed, 4);
  assert.deepEqual(r.skipped.map((s) => [s.line, s.where, s.uri]), [[11, "segment", "../43/seg.m4s"]]);
  const uris = [...r.playlist.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]).concat(r.playlist.split("\r\n").filter((l) => l && !l.startsWith("#")));
  for (const u of uris) {
    const d = await fs.verify({ url: new URL(u, `${BASE}index.m3u8`).href, publicKeys: { KPLAYLIST: pair.publicKeyPem } });
    assert.equal(d.allowed, !u.startsWith("../43/"), `${u}: ${d.detail}`);
  }
});

test("signPlaylist: a narrower resource, and errors with their codes", async () => {
  const r = await fs.signPlaylist({ playlist: HLS, url: `${BASE}index.m3u8`, key: ec, expires: "1h", resource: `${BASE}seg-*` });
  assert.equal(r.signed, 2);
  const codeOf = (p) => p.then(() => "none", (e) => e.code);
  assert.equal(await codeOf(fs.signPlaylist({ playlist: "hello", url: `${BASE}x.m3u8`, key: ec, expires: "1h" })), "bad_playlist");
  assert.equal(await codeOf(fs.signPlaylist({ playlist: HLS, url: "index.m3u8", key: ec, expires: "1h" })), "bad_url");
  assert.equal(await codeOf(fs.signPlaylist({ playlist: HLS, url: `${BASE}index.m3u8`, key: ec })), "bad_time");
  assert.equal(await codeOf(fs.signPlaylist({ playlist: HLS, url: `${BASE}index.m3u8`, key: ec, expires: "1h", playlst: 1 })), "bad_argument");
  await assert.rejects(() => fs.signPlaylist({ playlist: 42, url: `${BASE}index.m3u8`, key: ec, expires: "1h" }), (e) => e.code === "bad_argument");
});
