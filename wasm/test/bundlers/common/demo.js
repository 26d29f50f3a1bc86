// The one app every bundler fixture builds (copied into each as demo.js):
// load frontsign as the tool bundles it, sign one URL with each key given in
// the page's #fragment, and write the result into #out for check.mjs to read.
import { load } from "frontsign";

export async function run(out) {
  let result;
  try {
    const p = JSON.parse(decodeURIComponent(location.hash.slice(1)));
    const fs = await load();
    const rsa = await fs.importPrivateKey(p.rsa, { keyPairId: p.keyPairId });
    const ec = await fs.importPrivateKey(p.ec, { keyPairId: p.keyPairId });
    result = {
      rsa: (await fs.signUrl({ url: p.url, key: rsa, expires: p.expires })).signedUrl,
      ecdsa: (await fs.signUrl({ url: p.url, key: ec, expires: p.expires })).signedUrl,
      crypto: rsa.crypto,
    };
  } catch (err) {
    result = { error: `${err?.code ?? err?.name}: ${err?.message ?? err}` };
  }
  out.textContent = JSON.stringify(result);
  out.dataset.done = "1";
}
