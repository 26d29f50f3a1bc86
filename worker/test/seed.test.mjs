// worker/seed.mjs lets the Go program start at module scope in workerd, where
// crypto.getRandomValues throws. These tests run a real Go js/wasm program
// (testdata/seedprobe, built here with the worker's toolchain) in Node under
// a crypto.getRandomValues that throws as workerd's does at global scope, and
// check that only the runtime's own first read, before any package init, is
// answered otherwise, and that crypto/rand always reads crypto.getRandomValues.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "./helpers.mjs";
import { seedAtGlobalScope } from "../seed.mjs";

test("only the Go runtime's start-up seed avoids crypto.getRandomValues; crypto/rand never does", async () => {
  const dir = tempDir("frontsign-seed-");
  const wasm = join(dir, "probe.wasm");
  execFileSync("go", ["build", "-o", wasm, "./worker/test/testdata/seedprobe"], { cwd: ROOT, env: { ...process.env, GOOS: "js", GOARCH: "wasm" } });
  await import(join(ROOT, "dist", "worker", "wasm_exec.js")); // the toolchain's, as entry.mjs uses

  let globalScope = true;
  let refused = 0;
  const served = []; // lengths of the reads crypto.getRandomValues answered
  const real = globalThis.crypto.getRandomValues;
  globalThis.crypto.getRandomValues = (bytes) => {
    if (globalScope) {
      refused++;
      throw new Error("Disallowed operation called within global scope (as workerd)");
    }
    served.push(bytes.length);
    return bytes.fill(0xa5);
  };
  try {
    const events = [];
    globalThis.probeInit = () => events.push(`init (${refused} refused)`);
    let ready;
    const isReady = new Promise((resolve) => { ready = resolve; });
    globalThis.probeReady = () => { events.push("ready"); ready(); };
    const go = new globalThis.Go();
    seedAtGlobalScope(go);
    const { instance } = await WebAssembly.instantiate(readFileSync(wasm), go.importObject);
    go.run(instance);
    await isReady;
    // The runtime read once, was refused and seeded from Math.random, all
    // before the first package init; then the program started.
    assert.deepEqual(events, ["init (1 refused)", "ready"]);
    assert.deepEqual(served, []);

    // Afterwards (in a handler) crypto/rand reads crypto.getRandomValues.
    globalScope = false;
    assert.equal(globalThis.probeRead(48), "a5".repeat(48));
    assert.deepEqual(served, [48]);

    // A crypto/rand read at global scope fails; it never gets Math.random.
    globalScope = true;
    assert.throws(() => globalThis.probeRead(16), /Disallowed operation/);
    assert.equal(refused, 2);
    assert.deepEqual(served, [48]);
  } finally {
    globalThis.crypto.getRandomValues = real;
  }
});
