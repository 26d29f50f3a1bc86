// A tiny Worker using the npm package as an app would: `import … from
// "frontsign"` resolves to the package's workerd entry, which hands the
// bundled .wasm module to load(). The test (workerd.test.mjs) runs it in
// workerd through `wrangler dev`.
import { load } from "frontsign";

let ready; // one Go instance and one imported key per isolate, reused by every request

function setup(env) {
  return (async () => {
    const fs = await load();
    const key = await fs.importPrivateKey(env.PRIVATE_KEY, { keyPairId: env.KEY_PAIR_ID });
    return { fs, key };
  })();
}

export default {
  async fetch(request, env) {
    ready ??= setup(env).catch((err) => {
      ready = undefined;
      throw err;
    });
    try {
      const { fs, key } = await ready;
      const q = new URL(request.url).searchParams;
      const signed = await fs.signUrl({ url: q.get("url"), key, expires: Number(q.get("expires")) });
      return Response.json({ ...signed, crypto: key.crypto });
    } catch (err) {
      return Response.json({ code: err.code, message: err.message }, { status: 400 });
    }
  },
};
